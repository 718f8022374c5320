import { loadSettings } from "@gw/config/settings";
import { EXAMPLE_ACCOUNT_ID, arn } from "@gw/partition";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { planDistribution } from "./distribution-plan";
import { GatewayEdge, type GatewayEdgeProps } from "./gateway-edge";

function edgeProps(env: Record<string, string>): GatewayEdgeProps {
  const s = loadSettings({ env: { AWS_REGION: "us-east-1", ...env }, envFile: false }).settings;
  return {
    plan: planDistribution(s),
    region: s.region,
    namePrefix: "gw",
    loadBalancerName: "gw-alb",
    targetGroupName: "gw-tg",
    tags: {},
    vpcId: "vpc-1",
    vpcCidr: "10.0.0.0/16",
    publicSubnetIds: ["subnet-a", "subnet-b"],
    privateSubnetIds: ["subnet-c", "subnet-d"],
    albCertificateArn: s.dns.albCertificateArn,
    targetPort: 3000,
    healthCheckPath: "/health/readiness",
    routePatterns: ["/v1/*"],
    accessLogBucket: "logs",
    regionalWebAclArn: "acl",
    cloudFront: s.cloudFront,
  };
}

const build = (props: GatewayEdgeProps) => new GatewayEdge(new TerraformStack(Testing.app(), "t"), "edge", props);

describe("GatewayEdge", () => {
  it("refuses a certificate ARN that disagrees with the plan's certificate decision", () => {
    const cert = arn("us-east-1", "acm", "certificate/x", { account: EXAMPLE_ACCOUNT_ID });
    expect(() => build({ ...edgeProps({}), albCertificateArn: cert })).toThrow(/disagrees with the plan's certificate \(self-signed\)/);
    expect(() => build({ ...edgeProps({ CERTIFICATE_ARN: cert }), albCertificateArn: undefined })).toThrow(/albCertificateArn \(unset\)/);
  });

  it("connects CloudFront to CLOUDFRONT_ORIGIN_DOMAIN without creating records or certificates", () => {
    const cert = arn("us-east-1", "acm", "certificate/x", { account: EXAMPLE_ACCOUNT_ID });
    const edge = build(edgeProps({ CLOUDFRONT_ORIGIN_DOMAIN: "lb.example.org", CERTIFICATE_ARN: cert }));
    expect(edge.distribution).toBeDefined();
    const json = JSON.parse(Testing.synth(edge.node.scope as TerraformStack));
    const [d] = Object.values(json.resource.aws_cloudfront_distribution) as any[];
    expect(d.origin[0].domain_name).toBe("lb.example.org");
    expect(json.resource.aws_route53_record).toBeUndefined();
    expect(json.resource.aws_acm_certificate).toBeUndefined();
  });
});
