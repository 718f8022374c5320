import type { CpuArchitecture } from "@gw/config/types";
import { regionFacts } from "@gw/partition";
import { Construct } from "constructs";
import type { GatewayWorkload, SecretLogicalName } from "../workload/gateway-workload";
import { ecsContainerDefinition } from "./container-definitions";
import { ContainerTask } from "./container-task";
import { taskPolicy } from "./policies";

export interface GatewayTaskProps {
  /** Name prefix for roles and the task family (ResourceNames.prefix). */
  readonly namePrefix: string;
  readonly region: string;
  /** Deploying account id (a token from aws_caller_identity is fine). */
  readonly accountId: string;
  /** The shared two-container description. */
  readonly workload: GatewayWorkload;
  /** Secret ARN per logical name; must contain every secret the workload references. */
  readonly secretArns: Readonly<Partial<Record<SecretLogicalName, string>>>;
  /** Log group names (ResourceNames.logGroups). */
  readonly logGroupNames: { readonly litellm: string; readonly middleware: string };
  /** KMS key for the log groups (base hand-off `logs-kms-key-arn`). Default: CloudWatch-owned encryption. */
  readonly logsKmsKeyArn?: string;
  /** Log retention in days; must be a CloudWatch retention value. */
  readonly logRetentionDays: number;
  /** Fargate CPU units and memory MiB (validated by the settings loader). */
  readonly cpu: number;
  readonly memory: number;
  readonly architecture: CpuArchitecture;
  /** ECR repository names, for the execution role's pull permission. */
  readonly repositoryNames: { readonly litellm: string; readonly middleware: string };
  /** Config bucket (read) and LiteLLM log bucket (write) for the task role. */
  readonly configBucket: string;
  readonly logBucket: string;
}

/** The gateway's Fargate task: the shared workload description rendered for ECS, with its roles and log groups. */
export class GatewayTask extends ContainerTask {
  constructor(scope: Construct, id: string, props: GatewayTaskProps) {
    const missing = props.workload.secretsUsed.filter((s) => props.secretArns[s] === undefined);
    if (missing.length > 0) throw new Error(`secretArns: missing ${missing.join(", ")}`);
    const logGroups = { litellm: props.logGroupNames.litellm, middleware: props.logGroupNames.middleware };
    super(scope, id, {
      family: `${props.namePrefix}-gateway`,
      roleNamePrefix: `${props.namePrefix}-ecs`,
      region: props.region,
      accountId: props.accountId,
      containerDefinitions: props.workload.containers.map((c) =>
        ecsContainerDefinition(c, { secretArns: props.secretArns, logGroups, region: props.region }),
      ),
      logGroupNames: [logGroups.litellm, logGroups.middleware],
      logRetentionDays: props.logRetentionDays,
      logsKmsKeyArn: props.logsKmsKeyArn,
      cpu: props.cpu,
      memory: props.memory,
      architecture: props.architecture,
      repositoryNames: [props.repositoryNames.litellm, props.repositoryNames.middleware],
      secretArns: props.workload.secretsUsed.map((s) => props.secretArns[s]!),
      taskPolicy: taskPolicy({
        region: props.region,
        accountId: props.accountId,
        configBucket: props.configBucket,
        logBucket: props.logBucket,
        bedrockInPartition: regionFacts(props.region).bedrock.mode === "in-region",
      }),
    });
  }
}
