// Every security group and every rule says what it admits: a rule without a description cannot be reviewed (why is
// 0.0.0.0/0 open on this port?) and checkov (CKV_AWS_23) flags it.
import { policyRule } from "./rule";
import { asList, resourcesOf } from "./terraform-json";

/** Resource types that are a security group or a single rule, each with its own `description`. */
const DESCRIBED_TYPES = [
  "aws_security_group",
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
] as const;

const described = (value: unknown) => typeof value === "string" && value.trim().length > 0;

export const securityGroupRuleDescriptions = policyRule(
  "security-group-rule-descriptions",
  "security groups, their inline ingress/egress blocks and every security group rule have a non-empty description",
  (tf, report) => {
    for (const type of DESCRIBED_TYPES) {
      for (const r of resourcesOf(tf, type)) {
        if (!described(r.config.description)) report(r.address, "description is missing or empty");
        if (type !== "aws_security_group") continue;
        for (const block of ["ingress", "egress"] as const) {
          asList(r.config[block] as Record<string, unknown>[] | undefined).forEach((rule, i) => {
            if (!described(rule?.description)) report(r.address, `${block}[${i}] has no description`);
          });
        }
      }
    }
  },
);
