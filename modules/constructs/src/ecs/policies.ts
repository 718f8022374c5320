// IAM policy documents for the gateway workload, as plain objects so tests can read them without synth.
// Every ARN is built through @gw/partition.
import { arn, arnInAnyRegion, servicePrincipal } from "@gw/partition";
import { assumeRolePolicy, type PolicyStatement } from "../iam";

/** Trust policy (JSON) for ECS tasks, limited to the deploying account (confused-deputy protection). */
export function ecsTasksTrustPolicy(region: string, accountId: string): string {
  return assumeRolePolicy(servicePrincipal("ecs-tasks", region), { sourceAccount: accountId });
}

export interface ExecutionPolicyProps {
  readonly region: string;
  readonly accountId: string;
  /** ECR repository names the task pulls from. */
  readonly repositoryNames: readonly string[];
  /** Log group names the containers write to. */
  readonly logGroupNames: readonly string[];
  /** Exactly the secrets the containers reference. */
  readonly secretArns: readonly string[];
}

/** Execution role: pull our images, write our log groups, read exactly the referenced secrets. */
export function executionPolicy(p: ExecutionPolicyProps): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    // GetAuthorizationToken has no resource-level permissions.
    { Sid: "EcrAuth", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] },
    {
      Sid: "EcrPull",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: p.repositoryNames.map((n) => arn(p.region, "ecr", `repository/${n}`, { account: p.accountId })),
    },
    {
      Sid: "Logs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: p.logGroupNames.map((n) => arn(p.region, "logs", `log-group:${n}:*`, { account: p.accountId })),
    },
  ];
  if (p.secretArns.length > 0) {
    statements.push({ Sid: "Secrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [...p.secretArns] });
  }
  return statements;
}

export interface TaskPolicyProps {
  readonly region: string;
  readonly accountId: string;
  /** Bucket holding the rendered LiteLLM config (read only). */
  readonly configBucket: string;
  /** Bucket for LiteLLM's S3 logging callback (write only). */
  readonly logBucket: string;
  /**
   * Whether Bedrock is called with the task role. False in aws-cn, where LiteLLM reaches Bedrock in the global
   * partition with the credentials from the globalBedrockCredentials secret. Default true.
   */
  readonly bedrockInPartition?: boolean;
}

/** Bedrock model ARNs: foundation models in any region (cross-region inference profiles fan out) and our profiles. */
export function bedrockModelResources(region: string, accountId: string): string[] {
  return [
    arnInAnyRegion(region, "bedrock", "foundation-model/*"),
    arnInAnyRegion(region, "bedrock", "inference-profile/*", { account: accountId }),
    arnInAnyRegion(region, "bedrock", "application-inference-profile/*", { account: accountId }),
  ];
}

/**
 * Managed prompts of this account in any region of the partition: the middleware calls GetPrompt in the region named
 * by the prompt ARN (a model id), which need not be the deployment region.
 */
export function managedPromptResources(region: string, accountId: string): string[] {
  return [arnInAnyRegion(region, "bedrock", "prompt/*", { account: accountId })];
}

/**
 * Task role: least privilege for LiteLLM and the middleware. Converse/ConverseStream are authorized by
 * bedrock:InvokeModel / bedrock:InvokeModelWithResponseStream (there is no separate IAM action for them).
 */
export function taskPolicy(p: TaskPolicyProps): PolicyStatement[] {
  const s3 = (bucket: string, key?: string) => arn(p.region, "s3", key === undefined ? bucket : `${bucket}/${key}`);
  const statements: PolicyStatement[] = [
    { Sid: "ConfigRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [s3(p.configBucket, "*")] },
    { Sid: "ConfigList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [s3(p.configBucket)] },
    {
      Sid: "LogWrite",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: [s3(p.logBucket, "*")],
    },
    {
      Sid: "SageMakerInvoke",
      Effect: "Allow",
      Action: ["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream"],
      Resource: [arn(p.region, "sagemaker", "endpoint/*", { account: p.accountId })],
    },
  ];
  if (p.bedrockInPartition ?? true) {
    statements.push(
      {
        Sid: "BedrockInvoke",
        Effect: "Allow",
        Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
        Resource: bedrockModelResources(p.region, p.accountId),
      },
      {
        Sid: "BedrockGuardrails",
        Effect: "Allow",
        Action: ["bedrock:ApplyGuardrail"],
        Resource: [arnInAnyRegion(p.region, "bedrock", "guardrail/*", { account: p.accountId })],
      },
      {
        Sid: "BedrockManagedPrompts",
        Effect: "Allow",
        Action: ["bedrock:GetPrompt"],
        Resource: managedPromptResources(p.region, p.accountId),
      },
    );
  }
  return statements;
}
