import { describe, expect, it } from "vitest";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { resources, settingsFor, synthConstructs, synthStack } from "@gw/constructs/testing";
import { BastionStack, bastionOptionsFromEnv } from "../bastion-stack";
import { securityGroupRuleDescriptions } from "./security-group-rule-descriptions";
import { runPolicies } from "./index";
import { synthApp } from "../test-support";

describe("security-group-rule-descriptions", () => {
  it("passes on every stack of the app (public load balancer open on 80/443, fake-llm, bastion)", () => {
    const { stacks } = synthApp("us-east-1", {}, { fakeLlm: true, bastion: true });
    const open = resources(stacks.ecs!, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(open.map((r) => r.from_port).sort()).toEqual([443, 80]);
    expect(runPolicies(stacks, [securityGroupRuleDescriptions])).toEqual([]);
  });

  it("passes on a bastion that allows SSH", () => {
    const { json } = synthStack(
      (app) =>
        new BastionStack(app, "bastion", {
          loaded: settingsFor({ EC2_KEY_PAIR_NAME: "ops" }),
          localStateDir: "/tmp",
          options: bastionOptionsFromEnv({ BASTION_SUBNET: "public", BASTION_SSH_CIDR: "203.0.113.0/24" }),
        }),
    );
    expect(resources(json, "aws_vpc_security_group_ingress_rule").map((r) => r.from_port)).toContain(22);
    expect(runPolicies({ bastion: json }, [securityGroupRuleDescriptions])).toEqual([]);
  });

  it("catches groups, inline blocks and rules without a description", () => {
    const tf = synthConstructs((s) => {
      const sg = new SecurityGroup(s, "bare", { name: "bare" });
      new SecurityGroup(s, "inline", {
        name: "inline",
        description: "has inline rules",
        ingress: [{ fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], description: "ok" }],
        egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
      });
      new VpcSecurityGroupIngressRule(s, "in", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
      new VpcSecurityGroupEgressRule(s, "out", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: " " });
      new VpcSecurityGroupEgressRule(s, "described", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS" });
      new SecurityGroupRule(s, "legacy", { type: "ingress", securityGroupId: sg.id, protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] });
    });
    const found = securityGroupRuleDescriptions.check("crafted", tf).map((v) => `${v.address}: ${v.message}`);
    expect(found.sort()).toEqual([
      "aws_security_group.bare: description is missing or empty",
      "aws_security_group.inline: egress[0] has no description",
      "aws_security_group_rule.legacy: description is missing or empty",
      "aws_vpc_security_group_egress_rule.out: description is missing or empty",
      "aws_vpc_security_group_ingress_rule.in: description is missing or empty",
    ]);
  });
});
