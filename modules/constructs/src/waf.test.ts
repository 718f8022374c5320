import { describe, expect, it } from "vitest";
import { RegionalWebAcl } from "./waf";
import { single, synthConstructs } from "./testing";

function acl(region: string, extra: Partial<ConstructorParameters<typeof RegionalWebAcl>[2]> = {}) {
  return single(synthConstructs((s) => new RegionalWebAcl(s, "W", { region, name: "gw-waf", ...extra })), "aws_wafv2_web_acl");
}

describe("RegionalWebAcl", () => {
  const web = acl("us-east-1");

  it("is regional, allows by default and has distinct metric names", () => {
    expect(web).toMatchObject({ scope: "REGIONAL", default_action: { allow: {} } });
    const metrics = [web.visibility_config.metric_name, ...web.rule.map((r: { visibility_config: { metric_name: string } }) => r.visibility_config.metric_name)];
    expect(new Set(metrics).size).toBe(metrics.length);
    const priorities = web.rule.map((r: { priority: number }) => r.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
  });

  it("uses the managed common, known-bad-inputs and IP-reputation groups and a per-IP rate limit", () => {
    const groups = web.rule.map((r: { statement: { managed_rule_group_statement?: { name: string } } }) => r.statement.managed_rule_group_statement?.name).filter(Boolean);
    expect(groups.sort()).toEqual(["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]);
    const rate = web.rule.find((r: { statement: { rate_based_statement?: unknown } }) => r.statement.rate_based_statement);
    expect(rate).toMatchObject({ action: { block: {} }, statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } } });
  });

  it("counts instead of blocking large bodies (LLM prompts)", () => {
    const common = web.rule.find((r: { name: string }) => r.name === "AWSManagedRulesCommonRuleSet");
    expect(common.statement.managed_rule_group_statement.rule_action_override).toEqual([{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }]);
  });

  it("leaves the IP reputation list out in aws-cn by default", () => {
    const cn = acl("cn-north-1");
    expect(cn.rule.some((r: { name: string }) => r.name === "AWSManagedRulesAmazonIpReputationList")).toBe(false);
    expect(cn.rule).toHaveLength(3);
  });

  it("names the offending prop", () => {
    expect(() => acl("us-east-1", { rateLimitPer5Min: 5 })).toThrow(/rateLimitPer5Min/);
    expect(() => acl("us-east-1", { name: "bad name" })).toThrow(/name/);
  });
});
