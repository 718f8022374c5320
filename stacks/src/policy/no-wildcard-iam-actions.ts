// Allow statements never grant "*" or "service:*" (nor use NotAction), except the reviewed allow-list entries.
import type { PolicyRule, TerraformJson, Violation } from "./types";
import { collectViolations, type Report } from "./rule";
import { asList, dataSourcesOf, parsePolicy, resourcesOf, type IamStatement } from "./terraform-json";
import { IAM_WILDCARD_ALLOWLIST, type WildcardAllowance } from "./iam-wildcard-allowlist";

const id = "no-wildcard-iam-actions";

/** Resource types and the attribute holding a JSON policy. */
const POLICY_ATTRIBUTES: readonly (readonly [string, string])[] = [
  ["aws_iam_role", "assume_role_policy"],
  ["aws_iam_role_policy", "policy"],
  ["aws_iam_policy", "policy"],
  ["aws_iam_user_policy", "policy"],
  ["aws_iam_group_policy", "policy"],
  ["aws_kms_key", "policy"],
  ["aws_s3_bucket_policy", "policy"],
  ["aws_secretsmanager_secret_policy", "policy"],
  ["aws_ecr_repository_policy", "policy"],
];

export function isWildcardAction(action: string): boolean {
  return action === "*" || /^[A-Za-z0-9-]+:\*$/.test(action);
}

function allowed(list: readonly WildcardAllowance[], resourceType: string, sid: string | undefined, action: string): boolean {
  return list.some((a) => a.resourceType === resourceType && a.action === action && a.sid === sid);
}

export function checkWildcards(stack: string, tf: TerraformJson, allowList: readonly WildcardAllowance[]): Violation[] {
  return collectViolations(id, stack, (report) => findWildcards(tf, allowList, report));
}

function findWildcards(tf: TerraformJson, allowList: readonly WildcardAllowance[], report: Report): void {
  const inspect = (type: string, address: string, statements: (IamStatement & { Sid?: string })[] | undefined, raw: unknown) => {
    if (statements === undefined) {
      // A reference to a policy-document data source is fine: the data source itself is checked below.
      if (typeof raw === "string" && /^\$\{data\.aws_iam_policy_document\.[A-Za-z0-9_-]+\.json\}$/.test(raw)) return;
      if (raw !== undefined) report(address, "policy is not a JSON document the rule can read");
      return;
    }
    for (const s of statements) {
      if (s.Effect !== "Allow") continue;
      if (s.NotAction !== undefined) report(address, `statement ${s.Sid ?? "(no Sid)"} uses NotAction with Allow`);
      for (const action of asList(s.Action)) {
        if (isWildcardAction(action) && !allowed(allowList, type, s.Sid, action)) {
          report(address, `statement ${s.Sid ?? "(no Sid)"} allows wildcard action "${action}"`);
        }
      }
    }
  };
  for (const [type, attr] of POLICY_ATTRIBUTES) {
    for (const r of resourcesOf(tf, type)) {
      const raw = r.config[attr];
      if (raw === undefined) continue;
      inspect(type, r.address, parsePolicy(raw), raw);
    }
  }
  for (const r of resourcesOf(tf, "aws_iam_role")) {
    for (const p of asList(r.config.inline_policy as Record<string, unknown>[] | undefined)) {
      inspect("aws_iam_role", r.address, parsePolicy(p.policy), p.policy);
    }
  }
  for (const d of dataSourcesOf(tf, "aws_iam_policy_document")) {
    const statements = asList(d.config.statement as Record<string, unknown>[] | undefined).map((s) => ({
      Sid: s.sid as string | undefined,
      Effect: (s.effect as string | undefined) ?? "Allow",
      Action: s.actions as string[] | undefined,
      NotAction: s.not_actions as string[] | undefined,
    }));
    inspect("aws_iam_policy_document", d.address, statements, d.config);
  }
}

export const noWildcardIamActions: PolicyRule = {
  id,
  description: 'IAM Allow statements do not grant "*" or "service:*" outside the reviewed allow-list',
  check: (stack, tf) => checkWildcards(stack, tf, IAM_WILDCARD_ALLOWLIST),
};
