import type { PartitionId } from "./partitions";

export type VpcEndpointType = "Interface" | "Gateway";

export interface VpcEndpointCatalogueEntry {
  /** Default endpoint type for this service. */
  readonly type: VpcEndpointType;
  /** Partitions where the endpoint service exists. */
  readonly partitions: readonly PartitionId[];
  /** Only where the region serves this Bedrock API (see region-data). */
  readonly requires?: "bedrock-runtime" | "bedrock-prompt-management" | "bedrock-agents";
  /**
   * In aws-cn the interface endpoint service is named `cn.com.amazonaws.<region>.<svc>` (aws-cdk
   * `InterfaceVpcEndpointAwsService` exception table for cn-north-1 and cn-northwest-1).
   */
  readonly cnPrefix?: boolean;
  readonly exceptRegions?: readonly string[];
}

const ALL: readonly PartitionId[] = ["aws", "aws-cn", "aws-us-gov"];
const NOT_CN: readonly PartitionId[] = ["aws", "aws-us-gov"];

/**
 * The endpoint services the gateway may create (upstream-infra §2.6 lists the older implementation's 19), with where
 * they exist. Sources: anchors §B.5 (ELB interface endpoints unsupported in China; Bedrock runtime absent in China),
 * aws-cdk vpc-endpoint.ts (China name prefixes), Bedrock "Regional availability by endpoints" page.
 */
export const VPC_ENDPOINT_CATALOGUE: Readonly<Record<string, VpcEndpointCatalogueEntry>> = {
  s3: { type: "Gateway", partitions: ALL, cnPrefix: true },
  "ecr.api": { type: "Interface", partitions: ALL, cnPrefix: true },
  "ecr.dkr": { type: "Interface", partitions: ALL, cnPrefix: true },
  logs: { type: "Interface", partitions: ALL },
  secretsmanager: { type: "Interface", partitions: ALL },
  ssm: { type: "Interface", partitions: ALL },
  ssmmessages: { type: "Interface", partitions: ALL },
  ec2messages: { type: "Interface", partitions: ALL },
  kms: { type: "Interface", partitions: ALL },
  sts: { type: "Interface", partitions: ALL, cnPrefix: true },
  monitoring: { type: "Interface", partitions: ALL, cnPrefix: true },
  ec2: { type: "Interface", partitions: ALL, cnPrefix: true },
  autoscaling: { type: "Interface", partitions: ALL, cnPrefix: true },
  "application-autoscaling": { type: "Interface", partitions: ALL, cnPrefix: true },
  ecs: { type: "Interface", partitions: ALL },
  "ecs-agent": { type: "Interface", partitions: ALL },
  "ecs-telemetry": { type: "Interface", partitions: ALL },
  eks: { type: "Interface", partitions: ALL, cnPrefix: true },
  elasticloadbalancing: { type: "Interface", partitions: NOT_CN },
  wafv2: { type: "Interface", partitions: NOT_CN },
  "sagemaker.runtime": { type: "Interface", partitions: ALL, cnPrefix: true },
  bedrock: { type: "Interface", partitions: NOT_CN, requires: "bedrock-runtime" },
  "bedrock-runtime": { type: "Interface", partitions: NOT_CN, requires: "bedrock-runtime" },
  "bedrock-agent": { type: "Interface", partitions: ["aws"], requires: "bedrock-prompt-management" },
  "bedrock-agent-runtime": { type: "Interface", partitions: ["aws"], requires: "bedrock-agents" },
};
