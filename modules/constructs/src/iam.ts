// Small helpers that render IAM policy JSON. Statements may carry cdktf tokens (they survive JSON.stringify as
// "${...}" interpolations), so policies stay plain strings that the policy rules can parse after synthesis.

export type PolicyPrincipal =
  | { readonly Service: string | readonly string[] }
  | { readonly AWS: string | readonly string[] }
  | "*";

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: PolicyPrincipal;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** Renders a policy document (Version 2012-10-17) as a JSON string. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  if (statements.length === 0) throw new Error("policyDocument: statements must not be empty");
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Trust policy letting one service principal assume a role, optionally pinned to the caller's account. */
export function assumeRolePolicy(servicePrincipalName: string, opts: { readonly sourceAccount?: string } = {}): string {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: servicePrincipalName },
      Action: "sts:AssumeRole",
      ...(opts.sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": opts.sourceAccount } } } : {}),
    },
  ]);
}
