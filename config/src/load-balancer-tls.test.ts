import { describe, expect, it } from "vitest";
import { cloudFrontOrigin, loadBalancerCertificatePlan } from "./load-balancer-tls";
import { acmArn, load } from "./test-helpers";

const settings = (env: Record<string, string>) => load(env).settings;

describe("cloudFrontOrigin", () => {
  it("is `<record or deployment name>-origin.<zone>` in the public zone, or CLOUDFRONT_ORIGIN_DOMAIN", () => {
    expect(cloudFrontOrigin(settings({ HOSTED_ZONE_NAME: "example.com" }))).toEqual({
      kind: "zone-record",
      domainName: "genai-gateway-origin.example.com",
      zoneName: "example.com",
    });
    const custom = settings({ HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw", CERTIFICATE_ARN: acmArn("us-east-1") });
    expect(cloudFrontOrigin(custom)).toMatchObject({ kind: "zone-record", domainName: "gw-origin.example.com" });
    const given = settings({ CLOUDFRONT_ORIGIN_DOMAIN: "lb.example.org", CERTIFICATE_ARN: acmArn("us-east-1"), HOSTED_ZONE_NAME: "example.com" });
    expect(cloudFrontOrigin(given)).toEqual({ kind: "given", domainName: "lb.example.org" });
  });

  it("is undefined when CloudFront is off, and when nothing names the origin (settings the loader refuses)", () => {
    expect(cloudFrontOrigin(settings({ USE_CLOUDFRONT: "false", HOSTED_ZONE_NAME: "example.com" }))).toBeUndefined();
    const s = settings({});
    expect(cloudFrontOrigin({ ...s, cloudFront: { ...s.cloudFront, enabled: true } })).toBeUndefined();
  });
});

describe("loadBalancerCertificatePlan", () => {
  it("uses CERTIFICATE_ARN whenever it is given", () => {
    const arn = acmArn("us-east-1");
    expect(loadBalancerCertificatePlan(settings({ CERTIFICATE_ARN: arn, HOSTED_ZONE_NAME: "example.com" }))).toEqual({ kind: "given", certificateArn: arn });
  });

  it("issues a DNS-validated certificate for CloudFront's origin record or a public ALB's record", () => {
    expect(loadBalancerCertificatePlan(settings({ HOSTED_ZONE_NAME: "example.com" }))).toEqual({
      kind: "dns-validated",
      domainName: "genai-gateway-origin.example.com",
      zoneName: "example.com",
    });
    const publicAlb = settings({ USE_CLOUDFRONT: "false", HOSTED_ZONE_NAME: "example.com", RECORD_NAME: "gw" });
    expect(loadBalancerCertificatePlan(publicAlb)).toEqual({ kind: "dns-validated", domainName: "gw.example.com", zoneName: "example.com" });
  });

  it("falls back to self-signed without a public zone holding the load balancer's name", () => {
    expect(loadBalancerCertificatePlan(settings({}))).toEqual({ kind: "self-signed", commonName: "gateway.internal" });
    expect(loadBalancerCertificatePlan(settings({ USE_CLOUDFRONT: "false", HOSTED_ZONE_NAME: "example.com" }))).toEqual({
      kind: "self-signed",
      commonName: "gateway.internal",
    });
    const internal = settings({ PUBLIC_LOAD_BALANCER: "false", HOSTED_ZONE_NAME: "corp.internal", RECORD_NAME: "gw" });
    expect(loadBalancerCertificatePlan(internal)).toEqual({ kind: "self-signed", commonName: "gw.corp.internal" });
    // GovCloud has no public zones: a private zone record still gets a self-signed certificate.
    const gov = settings({ AWS_REGION: "us-gov-west-1", PUBLIC_LOAD_BALANCER: "false", HOSTED_ZONE_NAME: "corp.internal", RECORD_NAME: "gw" });
    expect(loadBalancerCertificatePlan(gov).kind).toBe("self-signed");
  });
});
