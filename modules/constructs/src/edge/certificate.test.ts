import { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { synthStack } from "../testing";
import { stackWarnings } from "../warnings";
import { LoadBalancerCertificate, type LoadBalancerCertificateProps } from "./certificate";

function build(props: LoadBalancerCertificateProps) {
  let cert: LoadBalancerCertificate | undefined;
  const { stack, json } = synthStack((app) => {
    const stack = new TerraformStack(app, "t");
    cert = new LoadBalancerCertificate(stack, "cert", props);
    return stack;
  });
  return { cert: cert!, json, warnings: stackWarnings(stack) };
}

describe("LoadBalancerCertificate", () => {
  it("passes a given certificate through without generating anything", () => {
    const { cert, json, warnings } = build({ certificateArn: "given", setting: "CERT_VAR" });
    expect([cert.certificateArn, cert.selfSigned]).toEqual(["given", false]);
    expect(json.resource).toEqual({});
    expect(warnings).toEqual([]);
  });

  it("generates a self-signed certificate for the common name, imports it into ACM and warns naming the setting", () => {
    const { cert, json, warnings } = build({ setting: "CERT_VAR", commonName: "gw.example.com" });
    expect(cert.selfSigned).toBe(true);
    const [selfSigned] = Object.values(json.resource.tls_self_signed_cert) as any[];
    expect(selfSigned.dns_names).toEqual(["gw.example.com"]);
    expect(selfSigned.allowed_uses).toContain("server_auth");
    const [imported] = Object.values(json.resource.aws_acm_certificate) as any[];
    expect(imported.lifecycle.create_before_destroy).toBe(true);
    expect(json.provider.tls).toBeDefined();
    expect(warnings.join("\n")).toMatch(/CERT_VAR is not set/);
    expect(build({ setting: "CERT_VAR", warn: false }).warnings).toEqual([]);
  });

  it("requests an ACM certificate validated in the given public zone instead of self-signing", () => {
    const { cert, json, warnings } = build({ setting: "CERT_VAR", commonName: "gw.example.com", dnsValidationZoneId: "Z1" });
    expect([cert.source, cert.selfSigned]).toEqual(["dns-validated", false]);
    const [requested] = Object.values(json.resource.aws_acm_certificate) as any[];
    expect(requested).toMatchObject({ domain_name: "gw.example.com", validation_method: "DNS" });
    const [record] = Object.values(json.resource.aws_route53_record) as any[];
    expect(record.zone_id).toBe("Z1");
    expect(record.name).toMatch(/^\$\{tolist\(aws_acm_certificate\.[^)]+\.domain_validation_options\)\.0\.resource_record_name\}$/);
    expect(cert.certificateArn).toBeDefined();
    expect(json.resource.tls_self_signed_cert).toBeUndefined();
    expect(warnings).toEqual([]);
  });
});
