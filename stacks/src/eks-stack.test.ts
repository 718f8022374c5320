import { describe, expect, it } from "vitest";
import { accountRootArn } from "@gw/partition";
import { resourceEntries, resources, settingsFor, single, synthStack } from "@gw/constructs/testing";
import { EKS_CONTROL_PLANE_LOGS, EksStack } from "./eks-stack";

function synthEks(region: string) {
  return synthStack((app) => new EksStack(app, "eks", { loaded: settingsFor({ AWS_REGION: region }), localStateDir: "/tmp" })).json;
}

describe.each(["us-east-1", "cn-north-1"])("EksStack in %s", (region) => {
  const eks = synthEks(region);
  const cluster = single(eks, "aws_eks_cluster");

  it("sends every control-plane log type to its own log group", () => {
    expect([...EKS_CONTROL_PLANE_LOGS].sort()).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(cluster.enabled_cluster_log_types).toEqual([...EKS_CONTROL_PLANE_LOGS]);
    const [[groupId]] = resourceEntries(eks, "aws_cloudwatch_log_group");
    expect(cluster.depends_on).toContain(`aws_cloudwatch_log_group.${groupId}`);
  });

  it("envelope-encrypts Kubernetes secrets with a rotating KMS key the cluster role may use", () => {
    const [[keyId, key]] = resourceEntries(eks, "aws_kms_key");
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const statements = JSON.parse(key.policy).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Principal.AWS).toBe(accountRootArn("${data.aws_caller_identity.caller.account_id}", region));
    expect(cluster.encryption_config).toEqual({ provider: { key_arn: `\${aws_kms_key.${keyId}.arn}` }, resources: ["secrets"] });
    const [[rolePolicyId, rolePolicy]] = resourceEntries(eks, "aws_iam_role_policy");
    const [use] = JSON.parse(rolePolicy.policy).Statement;
    expect(use).toEqual({ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: `\${aws_kms_key.${keyId}.arn}` });
    expect(rolePolicy.role).toMatch(/^\$\{aws_iam_role\.[^}]+\.name\}$/);
    expect(cluster.depends_on).toContain(`aws_iam_role_policy.${rolePolicyId}`);
    expect(resources(eks, "aws_kms_alias")).toHaveLength(1);
  });
});
