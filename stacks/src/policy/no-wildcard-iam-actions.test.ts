import { describe, expect, it } from "vitest";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { policyDocument } from "@gw/constructs/iam";
import { checkWildcards, isWildcardAction, noWildcardIamActions } from "./no-wildcard-iam-actions";
import { IAM_WILDCARD_ALLOWLIST } from "./iam-wildcard-allowlist";
import { synthConstructs } from "@gw/constructs/testing";
import { runPolicies } from "./index";
import { synthApp } from "../test-support";

describe("no-wildcard-iam-actions", () => {
  it("passes on the synthesized cn-northwest-1 stacks", () => {
    const { stacks } = synthApp("cn-northwest-1");
    expect(runPolicies(stacks, [noWildcardIamActions])).toEqual([]);
  });

  it("recognises wildcard actions", () => {
    expect(["*", "s3:*", "bedrock:*"].every(isWildcardAction)).toBe(true);
    expect(["s3:GetObject", "kms:Encrypt*", "logs:PutLogEvents"].some(isWildcardAction)).toBe(false);
  });

  it("every allow-list entry carries a reason", () => {
    for (const entry of IAM_WILDCARD_ALLOWLIST) expect(entry.reason.length).toBeGreaterThan(40);
  });

  const crafted = synthConstructs((s) => {
    const role = new IamRole(s, "role", { name: "r", assumeRolePolicy: policyDocument([{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "x" } }]) });
    new IamRolePolicy(s, "star", { role: role.id, policy: policyDocument([{ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }]) });
    new IamRolePolicy(s, "service", { role: role.id, policy: policyDocument([{ Sid: "AllBedrock", Effect: "Allow", Action: ["bedrock:*"], Resource: "*" }]) });
    new IamRolePolicy(s, "deny", { role: role.id, policy: policyDocument([{ Effect: "Deny", Action: "s3:*", Resource: "*" }]) });
    new IamRolePolicy(s, "fromdoc", { role: role.id, policy: "${data.aws_iam_policy_document.doc.json}" });
    new IamRolePolicy(s, "hcl", { role: role.id, policy: '${file("policy.json")}' });
    new DataAwsIamPolicyDocument(s, "doc", { statement: [{ actions: ["s3:*"], resources: ["*"] }] });
    new KmsKey(s, "key", {
      policy: policyDocument([
        { Sid: "AccountAdministersKeyThroughIam", Effect: "Allow", Principal: { AWS: "root" }, Action: "kms:*", Resource: "*" },
        { Sid: "SomethingElse", Effect: "Allow", Principal: { AWS: "root" }, Action: "kms:*", Resource: "*" },
      ]),
    });
  });

  it("catches *, service:*, policy documents and unreviewed key statements, and ignores Deny", () => {
    const messages = noWildcardIamActions.check("crafted", crafted).map((v) => `${v.address}: ${v.message}`);
    expect(messages.sort()).toEqual([
      'aws_iam_role_policy.hcl: policy is not a JSON document the rule can read',
      'aws_iam_role_policy.service: statement AllBedrock allows wildcard action "bedrock:*"',
      'aws_iam_role_policy.star: statement Everything allows wildcard action "*"',
      'aws_kms_key.key: statement SomethingElse allows wildcard action "kms:*"',
      'data.aws_iam_policy_document.doc: statement (no Sid) allows wildcard action "s3:*"',
    ]);
  });

  it("flags the allow-listed statement too when the list is empty", () => {
    expect(checkWildcards("crafted", crafted, []).some((v) => v.message.includes("AccountAdministersKeyThroughIam"))).toBe(true);
  });
});
