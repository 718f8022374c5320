import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Construct } from "constructs";

export interface CloudFrontWebAclProps {
  /** Web ACL name; metric names derive from it so two deployments never share metrics. */
  readonly name: string;
  /** A provider for us-east-1, where CLOUDFRONT-scope web ACLs live. */
  readonly usEast1: AwsProvider;
  /** Requests per 5 minutes from one IP before it is blocked. Default 10000 (clients often share a NAT address). */
  readonly rateLimitPer5Minutes?: number;
}

function managedRule(name: string, priority: number, metric: string, countRules: readonly string[] = []) {
  return {
    Name: name,
    Priority: priority,
    OverrideAction: { None: {} },
    Statement: {
      ManagedRuleGroupStatement: {
        VendorName: "AWS",
        Name: name,
        ...(countRules.length > 0 ? { RuleActionOverrides: countRules.map((r) => ({ Name: r, ActionToUse: { Count: {} } })) } : {}),
      },
    },
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: metric },
  };
}

/**
 * CLOUDFRONT-scope web ACL (commercial partition): AWS common rules (large LLM bodies and SDK clients without a
 * User-Agent are counted, not blocked), known bad inputs, IP reputation, and a per-IP rate limit.
 */
export class CloudFrontWebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: CloudFrontWebAclProps) {
    super(scope, id);
    const limit = props.rateLimitPer5Minutes ?? 10_000;
    if (limit < 10 || limit > 2_000_000_000) throw new Error(`rateLimitPer5Minutes: ${limit} must be 10..2000000000`);
    const rules = [
      managedRule("AWSManagedRulesCommonRuleSet", 1, `${props.name}-common`, ["SizeRestrictions_BODY", "NoUserAgent_HEADER"]),
      managedRule("AWSManagedRulesKnownBadInputsRuleSet", 2, `${props.name}-bad-inputs`),
      managedRule("AWSManagedRulesAmazonIpReputationList", 3, `${props.name}-ip-reputation`),
      {
        Name: "rate-limit-per-ip",
        Priority: 4,
        Action: { Block: {} },
        Statement: { RateBasedStatement: { Limit: limit, AggregateKeyType: "IP" } },
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: `${props.name}-rate` },
      },
    ];
    this.webAcl = new Wafv2WebAcl(this, "acl", {
      provider: props.usEast1,
      name: props.name,
      scope: "CLOUDFRONT",
      description: "Protects the gateway's CloudFront distribution",
      defaultAction: { allow: {} },
      ruleJson: JSON.stringify(rules),
      visibilityConfig: { sampledRequestsEnabled: true, cloudwatchMetricsEnabled: true, metricName: `${props.name}-acl` },
    });
  }
}
