// The EKS stack (first cut): the cluster, its role, control-plane logs and secrets encryption, wired to the base stack
// through the SSM hand-off parameters. Node groups, add-ons and the workload come with the EKS issue.
import { TerraformOutput, Fn } from "cdktf";
import type { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { accountRootArn, managedPolicyArn, servicePrincipal } from "@gw/partition";
import { assumeRolePolicy, policyDocument } from "@gw/constructs/iam";
import { GatewayStack, type GatewayStackProps } from "./gateway-stack";

export type EksStackProps = GatewayStackProps;

/** Control-plane log types sent to CloudWatch Logs: all of them (scheduling and controller decisions included). */
export const EKS_CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Kubernetes resources EKS envelope-encrypts with the cluster's KMS key. */
export const EKS_ENCRYPTED_RESOURCES = ["secrets"] as const;

export class EksStack extends GatewayStack {
  /** Name of the cluster the workload runs on (created or existing). */
  readonly clusterName: string;

  constructor(scope: Construct, id: string, props: EksStackProps) {
    super(scope, id, props);
    const s = this.settings;
    const names = this.names;

    if (s.eks.existingClusterName) {
      const existing = new DataAwsEksCluster(this, "Cluster", { name: s.eks.existingClusterName });
      this.clusterName = existing.name;
      new TerraformOutput(this, "cluster_name", { value: existing.name });
      return;
    }

    const privateSubnets = Fn.split(",", this.handoff("private-subnet-ids"));
    const logsKeyArn = this.handoff("logs-kms-key-arn");
    const role = new IamRole(this, "ClusterRole", {
      name: `${names.cluster}-eks-cluster`,
      assumeRolePolicy: assumeRolePolicy(servicePrincipal("eks", s.region)),
    });
    const policy = new IamRolePolicyAttachment(this, "ClusterPolicy", {
      role: role.name,
      policyArn: managedPolicyArn("AmazonEKSClusterPolicy", s.region),
    });
    // Kubernetes secrets are envelope-encrypted with a key of our own (etcd holds only ciphertext). EKS cannot
    // remove encryption from a cluster afterwards, and deleting the key makes the secrets unreadable: 30-day window.
    const accountId = new DataAwsCallerIdentity(this, "caller").accountId;
    const secretsKey = new KmsKey(this, "SecretsKey", {
      description: `EKS secrets encryption for ${names.cluster}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          Sid: "AccountAdministersKeyThroughIam",
          Effect: "Allow",
          Principal: { AWS: accountRootArn(accountId, s.region) },
          Action: "kms:*",
          Resource: "*",
        },
      ]),
    });
    new KmsAlias(this, "SecretsKeyAlias", { name: `alias/${names.cluster}-eks-secrets`, targetKeyId: secretsKey.keyId });
    const keyUse = new IamRolePolicy(this, "ClusterSecretsKeyUse", {
      role: role.name,
      name: "eks-secrets-encryption",
      policy: policyDocument([
        {
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          Resource: secretsKey.arn,
        },
      ]),
    });
    // EKS would create this group itself with no retention; owning it keeps retention and encryption ours.
    const logGroup = new CloudwatchLogGroup(this, "ControlPlaneLogs", {
      name: `/aws/eks/${names.cluster}/cluster`,
      retentionInDays: s.observability.logRetentionDays,
      kmsKeyId: logsKeyArn,
    });
    const cluster = new EksCluster(this, "Cluster", {
      name: names.cluster,
      version: s.eks.clusterVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: privateSubnets,
        endpointPrivateAccess: true,
        // No public API endpoint: operators reach it from inside the VPC (bastion stack) until the EKS issue
        // adds an allow-listed public endpoint.
        endpointPublicAccess: false,
      },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      enabledClusterLogTypes: [...EKS_CONTROL_PLANE_LOGS],
      encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: [...EKS_ENCRYPTED_RESOURCES] },
      dependsOn: [policy, keyUse, logGroup],
    });
    this.clusterName = cluster.name;
    new TerraformOutput(this, "cluster_name", { value: cluster.name });
  }
}
