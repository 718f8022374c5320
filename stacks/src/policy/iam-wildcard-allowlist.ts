// Reviewed exceptions to the no-wildcard-iam-actions rule. Every entry needs a reason a reviewer agreed to.

export interface WildcardAllowance {
  /** Terraform resource or data-source type carrying the policy. */
  readonly resourceType: string;
  /** The wildcard action, exactly as written ("*" or "service:*"). */
  readonly action: string;
  /** Sid of the statement; the allowance applies to that statement only. */
  readonly sid: string;
  /** Why this wildcard is acceptable. */
  readonly reason: string;
}

export const IAM_WILDCARD_ALLOWLIST: readonly WildcardAllowance[] = [
  {
    resourceType: "aws_kms_key",
    action: "kms:*",
    sid: "AccountAdministersKeyThroughIam",
    reason:
      "Key-policy statement for the account root principal (the AWS default key policy). It delegates key access to " +
      "IAM policies; without it the key can become unmanageable. It grants nothing to any role by itself.",
  },
];
