import { describe, expect, it } from "vitest";
import { single, synthConstructs } from "../testing";
import { GatewayDistribution, type GatewayDistributionProps } from "./cloudfront";

const base: GatewayDistributionProps = {
  originDomainName: "origin.example.com",
  originHeader: { name: "X-Origin-Verify", value: "secret-token" },
  settings: { priceClass: "PriceClass_100", originReadTimeoutSeconds: 120 },
  viewerCertificate: { kind: "default" },
};

const synth = (props: Partial<GatewayDistributionProps> = {}) =>
  synthConstructs((scope) => new GatewayDistribution(scope, "cf", { ...base, ...props }));

describe("GatewayDistribution", () => {
  it("talks HTTPS only to the origin with the secret header and the configured read timeout", () => {
    const d = single(synth(), "aws_cloudfront_distribution");
    expect(d.origin[0].custom_origin_config).toMatchObject({ origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"], origin_read_timeout: 120 });
    expect(d.origin[0].custom_header).toEqual([{ name: "X-Origin-Verify", value: "secret-token" }]);
    expect(d.default_cache_behavior.viewer_protocol_policy).toBe("redirect-to-https");
    expect(d.default_cache_behavior.allowed_methods).toContain("POST");
  });

  it("uses an ACM or IAM certificate for aliases and refuses aliases on the default certificate", () => {
    expect(() => synth({ aliases: ["gw.example.com"] })).toThrow(/viewerCertificate/);
    const acm = single(synth({ aliases: ["gw.example.com"], viewerCertificate: { kind: "acm", certificateArn: "c" } }), "aws_cloudfront_distribution");
    expect(acm.viewer_certificate).toEqual({ acm_certificate_arn: "c", ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" });
    const iam = single(synth({ aliases: ["gw.example.cn"], viewerCertificate: { kind: "iam", certificateId: "ASCAEXAMPLE" } }), "aws_cloudfront_distribution");
    expect(iam.viewer_certificate.iam_certificate_id).toBe("ASCAEXAMPLE");
  });

  it("validates the origin read timeout", () => {
    expect(() => synth({ settings: { priceClass: "PriceClass_100", originReadTimeoutSeconds: 181 } })).toThrow(/originReadTimeoutSeconds/);
  });
});
