// WAF web ACL for the gateway's entry point: AWS managed rule groups plus a per-IP rate limit. REGIONAL scope protects
// the load balancer (base stack); CLOUDFRONT scope protects the distribution (edge, through a us-east-1 provider).
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { cloudFrontControlRegion, partitionOf, regionFacts, type WafScope } from "@gw/partition";
import { requireInteger } from "./validation";

export interface WebAclProps {
  /** Deployment region: decides the partition (available scopes, IP-reputation default). */
  readonly region: string;
  /** Web ACL name (also the metric-name prefix, so two deployments never share metrics). */
  readonly name: string;
  /** What the ACL protects: a load balancer (REGIONAL) or a CloudFront distribution (CLOUDFRONT). @default "REGIONAL" */
  readonly scope?: WafScope;
  /**
   * Provider the web ACL is created with. CLOUDFRONT-scope ACLs live in cloudFrontControlRegion(region) (us-east-1).
   * @default - the stack's default provider; required for CLOUDFRONT unless `region` is that control region
   */
  readonly provider?: TerraformProvider;
  /**
   * Requests per IP per 5 minutes before blocking (10-2,000,000,000).
   * @default - 2000 for REGIONAL; 10000 for CLOUDFRONT, where many clients often share one NAT address
   */
  readonly rateLimitPer5Min?: number;
  /**
   * Add AWSManagedRulesAmazonIpReputationList.
   * @default - true, except in aws-cn where the group's availability is not documented
   */
  readonly ipReputation?: boolean;
  /**
   * Rules of the common rule set that only count (never block).
   * @default - COUNTED_COMMON_RULES; for CLOUDFRONT also NoUserAgent_HEADER (SDK clients may send no User-Agent)
   */
  readonly countedCommonRules?: readonly string[];
  /**
   * CloudWatch log group of the ACL's request log; WAF only delivers to groups whose name starts with
   * WAF_LOG_GROUP_PREFIX. Created with the ACL's provider (CLOUDFRONT: in the control region).
   * @default - `aws-waf-logs-<name>`
   */
  readonly logGroupName?: string;
  /** Request-log retention in days. @default 30 */
  readonly logRetentionDays?: number;
  /**
   * KMS key of the request-log group; must be in the same region as the group (CLOUDFRONT: the control region).
   * @default - CloudWatch Logs service-owned encryption
   */
  readonly logsKmsKeyArn?: string;
  /**
   * Request headers replaced by "REDACTED" in the log (1-100 headers, lower case).
   * @default - REDACTED_HEADERS: the client's API key in `authorization` and `x-api-key`
   */
  readonly redactedHeaders?: readonly string[];
}

/** WAF delivers logs only to log groups with this name prefix. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";
/** Headers that carry gateway keys (Bearer token, Anthropic/LiteLLM style key): never written to the request log. */
export const REDACTED_HEADERS = ["authorization", "x-api-key"] as const;

/** Managed rule groups; the common rule set counts (does not block) large bodies, which LLM prompts routinely are. */
const COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet";
const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
const IP_REPUTATION = "AWSManagedRulesAmazonIpReputationList";
export const COUNTED_COMMON_RULES = ["SizeRestrictions_BODY"] as const;
const CLOUDFRONT_COUNTED_COMMON_RULES = [...COUNTED_COMMON_RULES, "NoUserAgent_HEADER"] as const;

const DESCRIPTION: Readonly<Record<WafScope, string>> = {
  REGIONAL: "Gateway load balancer protection",
  CLOUDFRONT: "Protects the gateway's CloudFront distribution",
};

export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly arn: string;
  /** Log group of the request log (blocked and allowed requests, keys redacted). */
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const aclScope = props.scope ?? "REGIONAL";
    const cloudFront = aclScope === "CLOUDFRONT";
    const limit = requireInteger("WebAcl", "rateLimitPer5Min", props.rateLimitPer5Min ?? (cloudFront ? 10_000 : 2000), 10, 2_000_000_000);
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(props.name)) {
      throw new Error(`WebAcl: name must be 1-128 letters, digits, "_" or "-" (got "${props.name}")`);
    }
    const facts = regionFacts(props.region);
    if (!facts.wafScopes.includes(aclScope)) {
      throw new Error(`WebAcl: scope ${aclScope} does not exist in ${facts.partition} (${props.region}); use ${facts.wafScopes.join(" or ")}`);
    }
    const controlRegion = cloudFrontControlRegion(props.region);
    if (cloudFront && !props.provider && props.region !== controlRegion) {
      throw new Error(`WebAcl: provider must be a ${controlRegion} provider for a CLOUDFRONT-scope web ACL (region is ${props.region})`);
    }
    const logRetentionDays = requireInteger("WebAcl", "logRetentionDays", props.logRetentionDays ?? 30, 1);
    const logGroupName = props.logGroupName ?? `${WAF_LOG_GROUP_PREFIX}${props.name}`;
    if (!logGroupName.startsWith(WAF_LOG_GROUP_PREFIX) || !/^[A-Za-z0-9_\-/.#]{1,512}$/.test(logGroupName)) {
      throw new Error(`WebAcl: logGroupName must start with "${WAF_LOG_GROUP_PREFIX}" and be a valid log group name (got "${logGroupName}")`);
    }
    const redactedHeaders = props.redactedHeaders ?? REDACTED_HEADERS;
    if (redactedHeaders.length < 1 || redactedHeaders.length > 100 || redactedHeaders.some((h) => !/^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/.test(h))) {
      throw new Error(`WebAcl: redactedHeaders must be 1-100 lower-case header names (got ${JSON.stringify(redactedHeaders)})`);
    }
    const ipReputation = props.ipReputation ?? partitionOf(props.region) !== "aws-cn";
    const counted = props.countedCommonRules ?? (cloudFront ? CLOUDFRONT_COUNTED_COMMON_RULES : COUNTED_COMMON_RULES);
    const visibility = (metric: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.name}-${metric}`,
    });
    const managed = (priority: number, group: string, metric: string, countedRules: readonly string[] = []): Wafv2WebAclRule => ({
      name: group,
      priority,
      overrideAction: { none: {} },
      statement: {
        managed_rule_group_statement: {
          vendor_name: "AWS",
          name: group,
          ...(countedRules.length > 0
            ? { rule_action_override: countedRules.map((rule) => ({ name: rule, action_to_use: { count: {} } })) }
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
      managed(rules.length + 2, COMMON_RULE_SET, "common", counted),
      managed(rules.length + 3, KNOWN_BAD_INPUTS, "known-bad-inputs"),
    );
    this.webAcl = new Wafv2WebAcl(this, "Resource", {
      provider: props.provider,
      name: props.name,
      description: DESCRIPTION[aclScope],
      scope: aclScope,
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility("web-acl"),
    });
    this.arn = this.webAcl.arn;

    // Without a request log, blocked requests leave no trace but a metric. WAF adds the log group's resource
    // policy for its log-delivery principal itself (one shared policy per account and region).
    this.logGroup = new CloudwatchLogGroup(this, "Logs", {
      provider: props.provider,
      name: logGroupName,
      retentionInDays: logRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, "Logging", {
      provider: props.provider,
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: redactedHeaders.map((name) => ({ singleHeader: { name } })),
    });
  }
}
