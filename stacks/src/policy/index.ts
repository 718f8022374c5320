// Runs every policy rule over synthesized stacks.
import type { PolicyRule, TerraformJson, Violation } from "./types";
import { encryptionAtRest } from "./encryption-at-rest";
import { tlsOnlyBuckets } from "./tls-only-buckets";
import { noPublicBuckets } from "./no-public-buckets";
import { logRetention } from "./log-retention";
import { noWildcardIamActions } from "./no-wildcard-iam-actions";
import { noSecretsInTaskEnv } from "./no-secrets-in-task-env";
import { noPlaintextForwardingListener } from "./no-plaintext-forwarding-listener";
import { secretsNamedByPrefix } from "./secrets-named-by-prefix";
import { secretValuesFromExpressions } from "./secret-values-from-expressions";
import { securityGroupRuleDescriptions } from "./security-group-rule-descriptions";

export type { PolicyRule, TerraformJson, Violation } from "./types";

export const POLICY_RULES: readonly PolicyRule[] = [
  encryptionAtRest,
  tlsOnlyBuckets,
  noPublicBuckets,
  logRetention,
  noWildcardIamActions,
  noSecretsInTaskEnv,
  noPlaintextForwardingListener,
  secretsNamedByPrefix,
  secretValuesFromExpressions,
  securityGroupRuleDescriptions,
];

/** Runs the rules over stacks given as name -> Terraform JSON (object or JSON string). */
export function runPolicies(
  stacks: Readonly<Record<string, TerraformJson | string>>,
  rules: readonly PolicyRule[] = POLICY_RULES,
): Violation[] {
  const out: Violation[] = [];
  for (const [stack, value] of Object.entries(stacks)) {
    const tf = typeof value === "string" ? (JSON.parse(value) as TerraformJson) : value;
    for (const rule of rules) out.push(...rule.check(stack, tf));
  }
  return out;
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `[${v.rule}] ${v.stack}: ${v.address}: ${v.message}`).join("\n");
}
