import { describe, expect, it } from "vitest";
import { single, synthConstructs } from "../testing";
import { GatewayDistribution, HSTS_MAX_AGE_SECONDS, type GatewayDistributionProps } from "./cloudfront";

const base: GatewayDistributionProps = {
  originDomainName: "origin.example.com",
  originHeader: { name: "X-Origin-Verify", value: "secret-token" },
  settings: { priceClass: "PriceClass_100", originReadTimeoutSeconds: 120 },
  viewerCertificate: { kind: "default" },
  securityHeadersPolicyName: "gw-security-headers",
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

  it("validates the origin read timeout and the security headers policy name", () => {
    expect(() => synth({ settings: { priceClass: "PriceClass_100", originReadTimeoutSeconds: 181 } })).toThrow(/originReadTimeoutSeconds/);
    expect(() => synth({ securityHeadersPolicyName: "gw security" })).toThrow(/securityHeadersPolicyName/);
  });

  it("adds HSTS, nosniff, DENY framing and a referrer policy to every response, overriding the origin", () => {
    const tf = synth();
    const policy = single(tf, "aws_cloudfront_response_headers_policy");
    expect(policy.name).toBe("gw-security-headers");
    expect(policy.security_headers_config).toEqual({
      strict_transport_security: { access_control_max_age_sec: HSTS_MAX_AGE_SECONDS, include_subdomains: true, preload: true, override: true },
      content_type_options: { override: true },
      frame_options: { frame_option: "DENY", override: true },
      referrer_policy: { referrer_policy: "strict-origin-when-cross-origin", override: true },
    });
    const d = single(tf, "aws_cloudfront_distribution");
    const [policyId] = Object.keys(tf.resource!.aws_cloudfront_response_headers_policy!);
    const behaviours = [d.default_cache_behavior, ...(d.ordered_cache_behavior ?? [])];
    for (const b of behaviours) expect(b.response_headers_policy_id).toBe(`\${aws_cloudfront_response_headers_policy.${policyId}.id}`);
  });
});
