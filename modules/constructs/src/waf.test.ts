import { describe, expect, it } from "vitest";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { cloudFrontControlRegion } from "@gw/partition";
import { REDACTED_HEADERS, WAF_LOG_GROUP_PREFIX, WebAcl, type WebAclProps } from "./waf";
import { single, synthConstructs, type SynthesizedJson } from "./testing";

function acl(region: string, extra: Partial<WebAclProps> = {}) {
  return single(synthConstructs((s) => new WebAcl(s, "W", { region, name: "gw-waf", ...extra })), "aws_wafv2_web_acl");
}

/** A CLOUDFRONT-scope ACL for a deployment in `region`, through a provider in the CloudFront control region. */
function cloudFrontAcl(region: string, extra: Partial<WebAclProps> = {}) {
  return single(
    synthConstructs((s) => {
      const control = cloudFrontControlRegion(region)!;
      const provider = new AwsProvider(s, "control", { alias: "control", region: control });
      new WebAcl(s, "W", { region, name: "gw-cf", scope: "CLOUDFRONT", provider, ...extra });
    }),
    "aws_wafv2_web_acl",
  );
}

const metricNames = (web: Record<string, any>) => [
  web.visibility_config.metric_name,
  ...web.rule.map((r: { visibility_config: { metric_name: string } }) => r.visibility_config.metric_name),
];
const countedRules = (web: Record<string, any>) =>
  web.rule.find((r: { name: string }) => r.name === "AWSManagedRulesCommonRuleSet").statement.managed_rule_group_statement.rule_action_override;

describe("WebAcl (REGIONAL)", () => {
  const web = acl("us-east-1");

  it("is regional by default, allows by default and has distinct metric names", () => {
    expect(web).toMatchObject({ scope: "REGIONAL", default_action: { allow: {} } });
    expect(web.provider).toBeUndefined();
    const metrics = metricNames(web);
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
    expect(countedRules(web)).toEqual([{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }]);
  });

  it("leaves the IP reputation list out in aws-cn by default", () => {
    const cn = acl("cn-north-1");
    expect(cn.rule.some((r: { name: string }) => r.name === "AWSManagedRulesAmazonIpReputationList")).toBe(false);
    expect(cn.rule).toHaveLength(3);
  });

  it("names the offending prop", () => {
    expect(() => acl("us-east-1", { rateLimitPer5Min: 5 })).toThrow(/rateLimitPer5Min/);
    expect(() => acl("us-east-1", { rateLimitPer5Min: 100.5 })).toThrow(/rateLimitPer5Min/);
    expect(() => acl("us-east-1", { name: "bad name" })).toThrow(/name/);
  });
});

describe("WebAcl (CLOUDFRONT)", () => {
  const web = cloudFrontAcl("eu-central-2");

  it("is created through the given provider with the same rule groups and distinct metrics", () => {
    expect(web).toMatchObject({ scope: "CLOUDFRONT", provider: "aws.control", default_action: { allow: {} } });
    expect(web.rule.map((r: { name: string }) => r.name).sort()).toEqual(
      ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "rate-limit-per-ip"],
    );
    const metrics = metricNames(web);
    expect(new Set(metrics).size).toBe(metrics.length);
    expect(metrics.every((m: string) => m.startsWith("gw-cf-"))).toBe(true);
  });

  it("allows more requests per IP and also counts requests without a User-Agent", () => {
    const rate = web.rule.find((r: { name: string }) => r.name === "rate-limit-per-ip");
    expect(rate.statement.rate_based_statement.limit).toBe(10_000);
    expect(countedRules(web).map((r: { name: string }) => r.name)).toEqual(["SizeRestrictions_BODY", "NoUserAgent_HEADER"]);
    expect(cloudFrontAcl("eu-central-2", { rateLimitPer5Min: 500 }).rule.find((r: { name: string }) => r.name === "rate-limit-per-ip").statement.rate_based_statement.limit).toBe(500);
  });

  it("refuses a partition without CLOUDFRONT scope, and a missing provider outside the control region", () => {
    expect(() => cloudFrontAcl("cn-north-1")).toThrow(/scope CLOUDFRONT does not exist in aws-cn/);
    expect(() => acl("eu-central-2", { scope: "CLOUDFRONT" })).toThrow(`provider must be a ${cloudFrontControlRegion("eu-central-2")} provider`);
    expect(acl(cloudFrontControlRegion("eu-central-2")!, { scope: "CLOUDFRONT" }).scope).toBe("CLOUDFRONT");
  });
});

describe("WebAcl request log", () => {
  const regional: SynthesizedJson = synthConstructs((s) => new WebAcl(s, "W", { region: "eu-central-2", name: "gw-waf", logRetentionDays: 90, logsKmsKeyArn: "key-arn" }));

  it("logs every request of the ACL to an encrypted aws-waf-logs-* group with retention", () => {
    const group = single(regional, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: `${WAF_LOG_GROUP_PREFIX}gw-waf`, retention_in_days: 90, kms_key_id: "key-arn" });
    const logging = single(regional, "aws_wafv2_web_acl_logging_configuration");
    const [aclId] = Object.keys(regional.resource!.aws_wafv2_web_acl!);
    expect(logging.resource_arn).toBe(`\${aws_wafv2_web_acl.${aclId}.arn}`);
    expect(logging.log_destination_configs).toEqual([`\${aws_cloudwatch_log_group.${Object.keys(regional.resource!.aws_cloudwatch_log_group!)[0]}.arn}`]);
  });

  it("redacts the headers that carry gateway keys", () => {
    const logging = single(regional, "aws_wafv2_web_acl_logging_configuration");
    expect(logging.redacted_fields).toEqual([{ single_header: { name: "authorization" } }, { single_header: { name: "x-api-key" } }]);
    expect(REDACTED_HEADERS).toEqual(["authorization", "x-api-key"]);
  });

  it("creates the CLOUDFRONT ACL's log group and logging through the control-region provider", () => {
    const tf = synthConstructs((s) => {
      const provider = new AwsProvider(s, "control", { alias: "control", region: cloudFrontControlRegion("eu-central-2")! });
      new WebAcl(s, "W", { region: "eu-central-2", name: "gw-cf", scope: "CLOUDFRONT", provider });
    });
    expect(single(tf, "aws_cloudwatch_log_group")).toMatchObject({ name: `${WAF_LOG_GROUP_PREFIX}gw-cf`, provider: "aws.control", retention_in_days: 30 });
    expect(single(tf, "aws_wafv2_web_acl_logging_configuration").provider).toBe("aws.control");
  });

  it("names the offending prop", () => {
    const build = (extra: Partial<WebAclProps>) => () => acl("us-east-1", extra);
    expect(build({ logGroupName: "/waf/gw" })).toThrow(/logGroupName must start with "aws-waf-logs-"/);
    expect(build({ logRetentionDays: 0 })).toThrow(/logRetentionDays/);
    expect(build({ redactedHeaders: [] })).toThrow(/redactedHeaders/);
    expect(build({ redactedHeaders: ["Authorization"] })).toThrow(/redactedHeaders/);
  });
});
