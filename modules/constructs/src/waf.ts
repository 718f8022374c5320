// Regional WAF web ACL for the load balancer: AWS managed rule groups plus a per-IP rate limit.
import { Construct } from "constructs";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { partitionOf } from "@gw/partition";

export interface RegionalWebAclProps {
  readonly region: string;
  /** Web ACL name (also the metric-name prefix). */
  readonly name: string;
  /** Requests per IP per 5 minutes before blocking (10-2,000,000,000). @default 2000 */
  readonly rateLimitPer5Min?: number;
  /**
   * Add AWSManagedRulesAmazonIpReputationList.
   * @default - true, except in aws-cn where the group's availability is not documented
   */
  readonly ipReputation?: boolean;
}

/** Managed rule groups; the common rule set counts (does not block) large bodies, which LLM prompts routinely are. */
const COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet";
const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
const IP_REPUTATION = "AWSManagedRulesAmazonIpReputationList";
export const COUNTED_COMMON_RULES = ["SizeRestrictions_BODY"] as const;

export class RegionalWebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: RegionalWebAclProps) {
    super(scope, id);
    const limit = props.rateLimitPer5Min ?? 2000;
    if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) {
      throw new Error(`RegionalWebAcl: rateLimitPer5Min must be an integer from 10 to 2000000000 (got ${limit})`);
    }
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(props.name)) {
      throw new Error(`RegionalWebAcl: name must be 1-128 letters, digits, "_" or "-" (got "${props.name}")`);
    }
    const ipReputation = props.ipReputation ?? partitionOf(props.region) !== "aws-cn";
    const visibility = (metric: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.name}-${metric}`,
    });
    const managed = (priority: number, group: string, metric: string, counted: readonly string[] = []): Wafv2WebAclRule => ({
      name: group,
      priority,
      overrideAction: { none: {} },
      statement: {
        managed_rule_group_statement: {
          vendor_name: "AWS",
          name: group,
          ...(counted.length > 0
            ? { rule_action_override: counted.map((rule) => ({ name: rule, action_to_use: { count: {} } })) }
            : {}),
        },
      },
      visibilityConfig: visibility(metric),
    });
    const rules: Wafv2WebAclRule[] = [];
    if (ipReputation) rules.push(managed(rules.length + 1, IP_REPUTATION, "ip-reputation"));
    rules.push(
      {
        name: "rate-limit-per-ip",
        priority: rules.length + 1,
        action: { block: {} },
        statement: { rate_based_statement: { limit, aggregate_key_type: "IP" } },
        visibilityConfig: visibility("rate-limit"),
      },
      managed(rules.length + 2, COMMON_RULE_SET, "common", COUNTED_COMMON_RULES),
      managed(rules.length + 3, KNOWN_BAD_INPUTS, "known-bad-inputs"),
    );
    this.webAcl = new Wafv2WebAcl(this, "Resource", {
      name: props.name,
      description: "Gateway load balancer protection",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility("web-acl"),
    });
    this.arn = this.webAcl.arn;
  }
}
