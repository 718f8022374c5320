import { describe, expect, it } from "vitest";
import { resources, single, synthConstructs } from "../testing";
import { GatewayLoadBalancer, type GatewayLoadBalancerProps } from "./load-balancer";

const base: GatewayLoadBalancerProps = {
  baseName: "gw",
  internal: false,
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b"],
  certificateArn: "cert",
  ingress: { kind: "cidr", ipv4: ["0.0.0.0/0"] },
  targetPort: 3000,
  healthCheckPath: "/health/readiness",
};

function synth(props: Partial<GatewayLoadBalancerProps> = {}, withTargets = false) {
  return synthConstructs((scope) => {
    const lb = new GatewayLoadBalancer(scope, "lb", { ...base, ...props });
    if (withTargets) lb.allowTargets("sg-task");
  });
}

describe("GatewayLoadBalancer", () => {
  it("forwards unmatched paths to the target and redirects HTTP to HTTPS", () => {
    const tf = synth({ routePatterns: ["/a", "/b/*"] });
    const listeners = resources(tf, "aws_lb_listener");
    const https = listeners.find((l) => l.protocol === "HTTPS")!;
    expect(https.default_action[0].type).toBe("forward");
    const http = listeners.find((l) => l.protocol === "HTTP")!;
    expect(http.default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
    const rules = resources(tf, "aws_lb_listener_rule");
    expect(rules).toHaveLength(1);
    expect(rules[0]!.condition).toEqual([{ path_pattern: { values: ["/a", "/b/*"] } }]);
    expect(rules[0]!.listener_arn).toContain("https");
    expect(single(tf, "aws_lb").name).toBe("gw-alb");
    expect(single(tf, "aws_lb_target_group").deregistration_delay).toBe("120");
  });

  it("answers 404 for unmatched paths when asked and for blocked patterns", () => {
    const tf = synth({ unmatched: "reject", blockedPatterns: ["/__admin/*"] });
    const https = resources(tf, "aws_lb_listener").find((l) => l.protocol === "HTTPS")!;
    expect(https.default_action[0].fixed_response.status_code).toBe("404");
    const blocked = single(tf, "aws_lb_listener_rule");
    expect(blocked.priority).toBe(1);
    expect(blocked.action[0].fixed_response.status_code).toBe("404");
  });

  it("requires the origin header on every forwarding rule and opens only 443 when there is no redirect listener", () => {
    const tf = synth({ routePatterns: ["/a"], originHeader: { name: "X-Origin-Verify", value: "v" }, httpRedirect: false, ingress: { kind: "prefix-list", prefixListId: "pl-1" } });
    expect(resources(tf, "aws_lb_listener")).toHaveLength(1);
    for (const r of resources(tf, "aws_lb_listener_rule")) expect(r.condition).toContainEqual({ http_header: { http_header_name: "X-Origin-Verify", values: ["v"] } });
    const ingress = resources(tf, "aws_vpc_security_group_ingress_rule");
    expect(ingress).toEqual([expect.objectContaining({ from_port: 443, prefix_list_id: "pl-1" })]);
  });

  it("describes every ingress and egress rule (CIDR, IPv6 and prefix-list sources alike)", () => {
    const cidr = synth({ ingress: { kind: "cidr", ipv4: ["0.0.0.0/0"], ipv6: ["::/0"] } }, true);
    const prefixList = synth({ httpRedirect: false, ingress: { kind: "prefix-list", prefixListId: "pl-1" } }, true);
    for (const tf of [cidr, prefixList]) {
      const rules = [...resources(tf, "aws_vpc_security_group_ingress_rule"), ...resources(tf, "aws_vpc_security_group_egress_rule")];
      for (const r of rules) expect(r.description, JSON.stringify(r)).toMatch(/\S/);
    }
    const open = resources(cidr, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv4 === "0.0.0.0/0" || r.cidr_ipv6 === "::/0");
    expect(open.map((r) => [r.from_port, r.description]).sort()).toEqual([
      [443, "HTTPS to the listener on 443"],
      [443, "HTTPS to the listener on 443"],
      [80, "HTTP to the redirect-to-HTTPS listener"],
      [80, "HTTP to the redirect-to-HTTPS listener"],
    ]);
  });

  it("limits load balancer egress to the targets on the target port", () => {
    const tf = synth({}, true);
    expect(resources(tf, "aws_vpc_security_group_egress_rule")).toEqual([
      expect.objectContaining({ from_port: 3000, to_port: 3000, referenced_security_group_id: "sg-task" }),
    ]);
    expect(resources(tf, "aws_vpc_security_group_ingress_rule")).toContainEqual(
      expect.objectContaining({ security_group_id: "sg-task", from_port: 3000 }),
    );
  });

  it("validates names and the idle timeout, naming the prop", () => {
    expect(() => synth({ loadBalancerName: "x".repeat(33) })).toThrow(/loadBalancerName/);
    expect(() => synth({ targetGroupName: "-bad" })).toThrow(/targetGroupName/);
    expect(() => synth({ idleTimeoutSeconds: 0 })).toThrow(/idleTimeoutSeconds/);
  });
});
