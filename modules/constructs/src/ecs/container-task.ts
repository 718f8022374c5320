import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { CpuArchitecture } from "@gw/config/types";
import { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../iam";
import { ecsTasksTrustPolicy, executionPolicy } from "./policies";

/** CloudWatch Logs accepts only these retention values. */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export interface ContainerTaskProps {
  /** Task family. */
  readonly family: string;
  /** Prefix of the role names: `<prefix>-execution`, `<prefix>-task` (IAM allows 64 characters). */
  readonly roleNamePrefix: string;
  readonly region: string;
  /** Deploying account id (a token from aws_caller_identity is fine). */
  readonly accountId: string;
  /** ECS container definitions (already rendered). */
  readonly containerDefinitions: readonly Record<string, unknown>[];
  /** Log groups the containers write to (created here, with retention). */
  readonly logGroupNames: readonly string[];
  /** Log retention in days; must be a CloudWatch retention value. */
  readonly logRetentionDays: number;
  /** KMS key for the log groups. Default: CloudWatch-owned encryption. */
  readonly logsKmsKeyArn?: string;
  /** Fargate CPU units and memory MiB. */
  readonly cpu: number;
  readonly memory: number;
  readonly architecture: CpuArchitecture;
  /** ECR repository names the execution role may pull from. */
  readonly repositoryNames: readonly string[];
  /** Secrets the execution role may read (exactly the ones the containers reference). Default none. */
  readonly secretArns?: readonly string[];
  /** Task role statements. Default: none (the role exists but can do nothing). */
  readonly taskPolicy?: readonly PolicyStatement[];
}

/** Log groups, least-privilege execution and task roles, and one Fargate task definition. */
export class ContainerTask extends Construct {
  readonly taskDefinition: EcsTaskDefinition;
  readonly taskRole: IamRole;
  readonly executionRole: IamRole;
  readonly logGroups: readonly CloudwatchLogGroup[];

  constructor(scope: Construct, id: string, props: ContainerTaskProps) {
    super(scope, id);
    if (!LOG_RETENTION_DAYS.includes(props.logRetentionDays)) {
      throw new Error(`logRetentionDays: ${props.logRetentionDays} is not a CloudWatch retention value (${LOG_RETENTION_DAYS.join(", ")})`);
    }
    if (`${props.roleNamePrefix}-execution`.length > 64) throw new Error(`roleNamePrefix: "${props.roleNamePrefix}" is too long for IAM role names`);
    this.logGroups = props.logGroupNames.map(
      (name, i) => new CloudwatchLogGroup(this, `logs-${i}`, { name, retentionInDays: props.logRetentionDays, kmsKeyId: props.logsKmsKeyArn }),
    );

    const trust = ecsTasksTrustPolicy(props.region, props.accountId);
    this.executionRole = new IamRole(this, "execution-role", { name: `${props.roleNamePrefix}-execution`, assumeRolePolicy: trust });
    new IamRolePolicy(this, "execution-policy", {
      role: this.executionRole.id,
      name: "pull-logs-secrets",
      policy: policyDocument(
        executionPolicy({
          region: props.region,
          accountId: props.accountId,
          repositoryNames: props.repositoryNames,
          logGroupNames: props.logGroupNames,
          secretArns: props.secretArns ?? [],
        }),
      ),
    });

    this.taskRole = new IamRole(this, "task-role", { name: `${props.roleNamePrefix}-task`, assumeRolePolicy: trust });
    if (props.taskPolicy && props.taskPolicy.length > 0) {
      new IamRolePolicy(this, "task-policy", { role: this.taskRole.id, name: "workload", policy: policyDocument(props.taskPolicy) });
    }

    this.taskDefinition = new EcsTaskDefinition(this, "task", {
      family: props.family,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.cpu),
      memory: String(props.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: props.architecture === "arm64" ? "ARM64" : "X86_64" },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      containerDefinitions: JSON.stringify(props.containerDefinitions),
      dependsOn: [...this.logGroups],
    });
  }
}
