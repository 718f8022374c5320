// The EKS stack (first cut): the cluster, its role and control-plane logs, wired to the base stack through the SSM
// hand-off parameters. Node groups, add-ons and the workload come with the EKS issue.
import { TerraformOutput, Fn } from "cdktf";
import type { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { managedPolicyArn, servicePrincipal } from "@gw/partition";
import { assumeRolePolicy } from "@gw/constructs/iam";
import { GatewayStack, type GatewayStackProps } from "./gateway-stack";

export type EksStackProps = GatewayStackProps;

/** Control-plane log types sent to CloudWatch Logs. */
export const EKS_CONTROL_PLANE_LOGS = ["api", "audit", "authenticator"] as const;

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
      dependsOn: [policy, logGroup],
    });
    this.clusterName = cluster.name;
    new TerraformOutput(this, "cluster_name", { value: cluster.name });
  }
}
