import { EXAMPLE_ACCOUNT_ID, arn } from "@gw/partition";
import { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { regionalLogsPrincipal } from "../logs-key";
import { resources, settingsFor, single, synthStack } from "../testing";
import { planDistribution } from "./distribution-plan";
import { GatewayEdge, type GatewayEdgeProps } from "./gateway-edge";

function edgeProps(env: Record<string, string>): GatewayEdgeProps {
  const s = settingsFor(env).settings;
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
    targetPort: 3000,
    healthCheckPath: "/health/readiness",
    routePatterns: ["/v1/*"],
    accessLogBucket: "logs",
    accountId: EXAMPLE_ACCOUNT_ID,
    logsKmsKeyArn: "regional-logs-key",
    regionalWebAclArn: "acl",
    cloudFront: s.cloudFront,
  };
}

function build(env: Record<string, string>) {
  let edge: GatewayEdge | undefined;
  const { json } = synthStack((app) => {
    const stack = new TerraformStack(app, "t");
    edge = new GatewayEdge(stack, "edge", edgeProps(env));
    return stack;
  });
  return { edge: edge!, json };
}

const cert = arn("us-east-1", "acm", "certificate/x", { account: EXAMPLE_ACCOUNT_ID });

describe("GatewayEdge", () => {
  it("takes the load balancer certificate from the plan: the given ARN, or a self-signed one", () => {
    const given = build({ CERTIFICATE_ARN: cert }).json;
    const https = resources(given, "aws_lb_listener").find((l) => l.protocol === "HTTPS")!;
    expect(https.certificate_arn).toBe(cert);
    expect(given.resource.aws_acm_certificate).toBeUndefined();
    expect(given.resource.tls_self_signed_cert).toBeUndefined();

    const selfSigned = build({}).json;
    expect(single(selfSigned, "tls_self_signed_cert")).toBeDefined();
    const imported = single(selfSigned, "aws_acm_certificate");
    expect(imported.certificate_body).toMatch(/tls_self_signed_cert\./);
  });

  it("connects CloudFront to CLOUDFRONT_ORIGIN_DOMAIN without creating records or certificates", () => {
    const { edge, json } = build({ CLOUDFRONT_ORIGIN_DOMAIN: "lb.example.org", CERTIFICATE_ARN: cert });
    expect(edge.distribution).toBeDefined();
    const d = single(json, "aws_cloudfront_distribution");
    expect(d.origin[0].domain_name).toBe("lb.example.org");
    expect(json.resource.aws_route53_record).toBeUndefined();
    expect(json.resource.aws_acm_certificate).toBeUndefined();
  });

  it("protects CloudFront with a CLOUDFRONT-scope web ACL through a provider in the control region", () => {
    const { json } = build({ CLOUDFRONT_ORIGIN_DOMAIN: "lb.example.org", CERTIFICATE_ARN: cert });
    const acl = single(json, "aws_wafv2_web_acl");
    expect(acl).toMatchObject({ scope: "CLOUDFRONT", name: "gw-cloudfront", provider: "aws.us_east_1" });
    expect(single(json, "aws_cloudfront_distribution").web_acl_id).toMatch(/^\$\{aws_wafv2_web_acl\.[^}]+\.arn\}$/);
  });
});

describe("GatewayEdge CloudFront logging", () => {
  const cloudFrontEnv = { CLOUDFRONT_ORIGIN_DOMAIN: "lb.example.org", CERTIFICATE_ARN: cert };

  it("logs the CloudFront web ACL and access logs in the control region with the hand-off key when that is the region", () => {
    const { json } = build(cloudFrontEnv);
    const groups = resources(json, "aws_cloudwatch_log_group");
    expect(groups.map((g) => g.name).sort()).toEqual(["/aws/vendedlogs/cloudfront/gw-cloudfront", "aws-waf-logs-gw-cloudfront"]);
    for (const g of groups) expect(g).toMatchObject({ provider: "aws.us_east_1", kms_key_id: "regional-logs-key", retention_in_days: 30 });
    expect(single(json, "aws_wafv2_web_acl_logging_configuration").provider).toBe("aws.us_east_1");
    expect(single(json, "aws_cloudwatch_log_delivery_source").resource_arn).toMatch(/^\$\{aws_cloudfront_distribution\.[^}]+\.arn\}$/);
    expect(json.resource.aws_kms_key).toBeUndefined();
  });

  it("creates a logs key in the control region for a deployment elsewhere", () => {
    const zurichCert = arn("eu-central-2", "acm", "certificate/x", { account: EXAMPLE_ACCOUNT_ID });
    const { json } = build({ ...cloudFrontEnv, AWS_REGION: "eu-central-2", CERTIFICATE_ARN: zurichCert });
    const key = single(json, "aws_kms_key");
    expect(key.provider).toBe("aws.us_east_1");
    expect(JSON.parse(key.policy).Statement[1].Principal.Service).toBe(regionalLogsPrincipal("us-east-1"));
    const keyRef = `\${aws_kms_key.${Object.keys(json.resource.aws_kms_key!)[0]}.arn}`;
    for (const g of resources(json, "aws_cloudwatch_log_group")) expect(g).toMatchObject({ provider: "aws.us_east_1", kms_key_id: keyRef });
  });

  it("attaches the security headers policy to the distribution", () => {
    const { json } = build(cloudFrontEnv);
    expect(single(json, "aws_cloudfront_distribution").default_cache_behavior.response_headers_policy_id).toMatch(
      /^\$\{aws_cloudfront_response_headers_policy\.[^}]+\.id\}$/,
    );
    expect(single(json, "aws_cloudfront_response_headers_policy").name).toBe("gw-security-headers");
  });
});
