import { partitionOf } from "./regions";
import { PARTITION_BASICS } from "./partitions";

export type ServicePrincipalName =
  | "ec2"
  | "ecs-tasks"
  | "ecs"
  | "logs"
  | "s3"
  | "vpc-flow-logs"
  | "delivery.logs"
  | "elasticloadbalancing"
  | "logdelivery.elasticloadbalancing"
  | "eks"
  | "eks-pods"
  | "rds"
  | "monitoring.rds"
  | "application-autoscaling"
  | "cloudfront"
  | "ssm"
  | "bedrock"
  | "sagemaker"
  | "lambda"
  | "events"
  | "sqs"
  | "codedeploy"
  | "elasticmapreduce";

/** Principal host label where it differs from the short name. */
const PRINCIPAL_LABEL: Partial<Record<ServicePrincipalName, string>> = { "eks-pods": "pods.eks" };

/**
 * Services whose principal in aws-cn ends in the China DNS suffix (anchors §B.2, from terraform-provider-aws
 * `aws_service_principal`, PR #47141 for ec2/s3). Every other service, in every partition, uses the global suffix:
 * e.g. `ecs-tasks`, `eks`, `pods.eks`, `monitoring.rds`, `lambda`, where the China-suffixed form is invalid.
 */
export const CN_SUFFIXED_PRINCIPALS: ReadonlySet<ServicePrincipalName> = new Set<ServicePrincipalName>([
  "ec2",
  "s3",
  "logs",
  "codedeploy",
  "elasticmapreduce",
]);

export const SERVICE_PRINCIPAL_NAMES: readonly ServicePrincipalName[] = [
  "ec2", "ecs-tasks", "ecs", "logs", "s3", "vpc-flow-logs", "delivery.logs", "elasticloadbalancing",
  "logdelivery.elasticloadbalancing", "eks", "eks-pods", "rds", "monitoring.rds", "application-autoscaling",
  "cloudfront", "ssm", "bedrock", "sagemaker", "lambda", "events", "sqs", "codedeploy", "elasticmapreduce",
];

export function servicePrincipal(service: ServicePrincipalName, region: string): string {
  if (!SERVICE_PRINCIPAL_NAMES.includes(service)) {
    throw new Error(`Unknown service principal "${service}". Known: ${SERVICE_PRINCIPAL_NAMES.join(", ")}.`);
  }
  const partition = partitionOf(region);
  const label = PRINCIPAL_LABEL[service] ?? service;
  const suffix =
    partition === "aws-cn" && CN_SUFFIXED_PRINCIPALS.has(service)
      ? PARTITION_BASICS["aws-cn"].dnsSuffix
      : PARTITION_BASICS.aws.dnsSuffix;
  return `${label}.${suffix}`;
}

/** Audience of IAM roles for service accounts (EKS IRSA); the global form in every partition (upstream-infra P8). */
export function eksOidcAudience(region: string): string {
  partitionOf(region);
  return `sts.${PARTITION_BASICS.aws.dnsSuffix}`;
}
