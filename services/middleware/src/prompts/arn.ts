import { parseArn, type PartitionId } from "@gw/partition";

export interface PromptArn {
  readonly arn: string;
  readonly partition: PartitionId;
  readonly region: string;
  readonly account: string;
  readonly promptId: string;
  /** A number or "DRAFT"; undefined when the ARN names none. */
  readonly version?: string;
}

const PROMPT_RESOURCE = /^prompt\/([0-9A-Za-z_-]{1,64})(?::(DRAFT|\d{1,10}))?$/;

/** bedrock prompt ARN (`…:bedrock:<region>:<account>:prompt/<id>[:<version>]`) in any partition, or undefined. */
export function parsePromptArn(value: string): PromptArn | undefined {
  const parts = parseArn(value);
  if (!parts || parts.service !== "bedrock" || !parts.region) return undefined;
  const m = PROMPT_RESOURCE.exec(parts.resource);
  if (!m) return undefined;
  return { arn: value, partition: parts.partition, region: parts.region, account: parts.account, promptId: m[1]!, version: m[2] };
}

export function isPromptArn(modelId: string): boolean {
  return typeof modelId === "string" && parsePromptArn(modelId) !== undefined;
}
