import type { Settings } from "@gw/config/types";
import { EXAMPLE_ACCOUNT_ID, arn } from "@gw/partition";
import { describe, expect, it } from "vitest";
import { settingsFor } from "../testing";
import { planDistribution } from "./distribution-plan";

const settings = (env: Record<string, string>): Settings => settingsFor(env).settings;
const acm = (region: string) => arn(region, "acm", "certificate/x", { account: EXAMPLE_ACCOUNT_ID });
const dns = { USE_ROUTE53: "true", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gateway" };

describe("planDistribution", () => {
  it("(a) CloudFront with its default domain by default in the commercial partition with a zone for the origin", () => {
    expect(planDistribution(settings({ HOSTED_ZONE_NAME: "example.com" }))).toEqual({
      kind: "cloudfront",
      customDomain: undefined,
      certificate: { kind: "default" },
      webAcl: true,
      originFacingPrefixList: true,
      origin: { kind: "zone-record", domainName: "genai-gateway-origin.example.com", zoneName: "example.com" },
      albCertificate: { kind: "dns-validated", domainName: "genai-gateway-origin.example.com", zoneName: "example.com" },
    });
  });

  it("no settings at all: the public ALB directly, with a self-signed certificate", () => {
    expect(planDistribution(settings({}))).toEqual({
      kind: "public-alb",
      dns: undefined,
      albCertificate: { kind: "self-signed", commonName: "gateway.internal" },
    });
  });

  it("(a) with CLOUDFRONT_ORIGIN_DOMAIN: CloudFront connects to the operator's name with CERTIFICATE_ARN", () => {
    const plan = planDistribution(settings({ CLOUDFRONT_ORIGIN_DOMAIN: "lb.example.org", CERTIFICATE_ARN: acm("us-east-1") }));
    expect(plan).toMatchObject({
      kind: "cloudfront",
      certificate: { kind: "default" },
      origin: { kind: "given", domainName: "lb.example.org" },
      albCertificate: { kind: "given", certificateArn: acm("us-east-1") },
    });
  });

  it("(b) custom domain on CloudFront with the us-east-1 certificate", () => {
    const plan = planDistribution(settings({ AWS_REGION: "eu-central-2", ...dns, CLOUDFRONT_CERTIFICATE_ARN: acm("us-east-1") }));
    expect(plan).toMatchObject({
      kind: "cloudfront",
      customDomain: { fqdn: "gateway.example.com", zoneName: "example.com" },
      certificate: { kind: "acm", certificateArn: acm("us-east-1") },
      origin: { kind: "zone-record", domainName: "gateway-origin.example.com", zoneName: "example.com" },
      albCertificate: { kind: "dns-validated", domainName: "gateway-origin.example.com", zoneName: "example.com" },
    });
  });

  it("(c) public ALB with Route 53, (d) private ALB", () => {
    expect(planDistribution(settings({ USE_CLOUDFRONT: "false", ...dns }))).toEqual({
      kind: "public-alb",
      dns: { fqdn: "gateway.example.com", zoneName: "example.com" },
      albCertificate: { kind: "dns-validated", domainName: "gateway.example.com", zoneName: "example.com" },
    });
    expect(planDistribution(settings({ PUBLIC_LOAD_BALANCER: "false" }))).toEqual({
      kind: "private-alb",
      dns: undefined,
      zoneFromHandoff: false,
      albCertificate: { kind: "self-signed", commonName: "gateway.internal" },
    });
  });

  it("China: CloudFront only with an ICP domain and an IAM certificate, no CloudFront WAF or prefix list", () => {
    expect(planDistribution(settings({ AWS_REGION: "cn-north-1" })).kind).toBe("public-alb");
    const iamArn = arn("cn-north-1", "iam", "server-certificate/cloudfront/gateway", { account: EXAMPLE_ACCOUNT_ID });
    const plan = planDistribution(settings({ AWS_REGION: "cn-north-1", USE_CLOUDFRONT: "true", ...dns, CLOUDFRONT_CERTIFICATE_ARN: iamArn }));
    expect(plan).toMatchObject({ kind: "cloudfront", certificate: { kind: "iam-name", certificateName: "gateway" }, webAcl: false, originFacingPrefixList: false });
  });

  it("GovCloud: never CloudFront, no public Route 53 records", () => {
    expect(planDistribution(settings({ AWS_REGION: "us-gov-west-1" })).kind).toBe("public-alb");
    const s = settings({ AWS_REGION: "us-gov-west-1" });
    expect(() => planDistribution({ ...s, cloudFront: { ...s.cloudFront, enabled: true } })).toThrow(/USE_CLOUDFRONT: CloudFront does not exist in aws-us-gov/);
    expect(() => planDistribution({ ...s, dns: { ...s.dns, useRoute53: true, hostedZoneName: "example.com", recordLabel: "gw" } })).toThrow(/USE_ROUTE53/);
  });

  it("refuses CloudFront without an origin name its certificate can match (the ALB's own name would answer 502)", () => {
    const s = settings({});
    expect(() => planDistribution({ ...s, cloudFront: { ...s.cloudFront, enabled: true } })).toThrow(/USE_CLOUDFRONT \+ HOSTED_ZONE_NAME/);
    const given = { ...s, cloudFront: { ...s.cloudFront, enabled: true, originDomain: "lb.example.org" } };
    expect(() => planDistribution(given)).toThrow(/CLOUDFRONT_ORIGIN_DOMAIN \+ CERTIFICATE_ARN: the load balancer needs a certificate covering lb\.example\.org/);
  });

  it("refuses impossible combinations even if settings validation let them through, listing all", () => {
    const s = settings({ HOSTED_ZONE_NAME: "example.com" });
    const broken: Settings = {
      ...s,
      network: { ...s.network, publicLoadBalancer: false },
      dns: { ...s.dns, useRoute53: true, hostedZoneName: "example.com", recordLabel: "gw", fqdn: "gw.example.com" },
    };
    expect(() => planDistribution(broken)).toThrow(/PUBLIC_LOAD_BALANCER[\s\S]*CLOUDFRONT_CERTIFICATE_ARN/);
    const wrongRegion = { ...s, dns: { ...broken.dns, cloudFrontCertificateArn: acm("eu-west-1") } };
    expect(() => planDistribution(wrongRegion)).toThrow(/us-east-1/);
  });
});
