import { describe, expect, it } from "vitest";
import { noPlaintextForwardingListener } from "./no-plaintext-forwarding-listener";
import type { TerraformJson } from "./types";

const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } };
const forward = { type: "forward", target_group_arn: "${aws_lb_target_group.tg.arn}" };

function tf(listeners: Record<string, Record<string, unknown>>, rules: Record<string, Record<string, unknown>> = {}): TerraformJson {
  return { resource: { aws_lb_listener: listeners, aws_lb_listener_rule: rules } };
}

describe("no-plaintext-forwarding-listener", () => {
  it("accepts an HTTP listener that only redirects to HTTPS and HTTPS listeners that forward", () => {
    const ok = tf(
      { http: { protocol: "HTTP", port: 80, default_action: [redirect] }, https: { protocol: "HTTPS", port: 443, certificate_arn: "c", default_action: [forward] } },
      { r: { listener_arn: "${aws_lb_listener.https.arn}", action: [forward] } },
    );
    expect(noPlaintextForwardingListener.check("s", ok)).toEqual([]);
  });

  it("flags an HTTP listener that forwards, redirects to HTTP, or carries rules", () => {
    const bad = tf(
      {
        fwd: { protocol: "HTTP", port: 80, default_action: [forward] },
        http2http: { port: 8080, default_action: [{ type: "redirect", redirect: { protocol: "HTTP" } }] },
        withRule: { protocol: "HTTP", default_action: [redirect] },
      },
      { r: { listener_arn: "${aws_lb_listener.withRule.arn}", action: [forward] } },
    );
    const addresses = noPlaintextForwardingListener.check("s", bad).map((v) => v.address).sort();
    expect(addresses).toEqual(["aws_lb_listener.fwd", "aws_lb_listener.http2http", "aws_lb_listener_rule.r"]);
  });
});
