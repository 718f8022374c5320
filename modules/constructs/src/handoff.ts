// base -> ecs/eks hand-off through SSM parameters with deterministic names (no cross-stack tokens), so each stack
// can be planned on its own. The keys are the contract in contracts/CONTRACTS.md.
import { Construct } from "constructs";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import type { ResourceNames } from "@gw/config/types";

export type SecretLogicalName = keyof ResourceNames["secrets"];

export const HANDOFF_KEYS = [
  "vpc-id",
  "private-subnet-ids",
  "public-subnet-ids",
  "vpc-cidr",
  "db-security-group-id",
  "redis-security-group-id",
  "redis-endpoint",
  "redis-port",
  "config-bucket",
  "config-object-key",
  "config-hash",
  "litellm-log-bucket",
  "alb-log-bucket",
  "waf-regional-arn",
  "ecr-litellm-url",
  "ecr-middleware-url",
  "ecr-fake-llm-url",
  "logs-kms-key-arn",
  "private-zone-id",
] as const;
export type PlainHandoffKey = (typeof HANDOFF_KEYS)[number];
export type HandoffKey = PlainHandoffKey | `secret-arn/${SecretLogicalName}`;

/** The secret hand-off key for one logical secret, e.g. "secret-arn/masterKey". */
export function secretHandoffKey(logical: SecretLogicalName): HandoffKey {
  return `secret-arn/${logical}`;
}

/** Full SSM parameter name for a hand-off key: `${names.ssmPrefix}${key}`. */
export function ssmParameterName(names: Pick<ResourceNames, "ssmPrefix">, key: HandoffKey): string {
  const prefix = names.ssmPrefix.endsWith("/") ? names.ssmPrefix : `${names.ssmPrefix}/`;
  if (!prefix.startsWith("/")) throw new Error(`ssmParameterName: names.ssmPrefix must start with "/" (got "${names.ssmPrefix}")`);
  return `${prefix}${key}`;
}

export interface HandoffParametersProps {
  /** Deterministic names; only `ssmPrefix` is used. */
  readonly names: Pick<ResourceNames, "ssmPrefix">;
  /** Values to publish, by hand-off key. Never secret values: secrets are handed off by ARN. Empty values are rejected. */
  readonly values: Readonly<Partial<Record<HandoffKey, string>>>;
}

/** Writes one String SSM parameter per hand-off value. */
export class HandoffParameters extends Construct {
  /** The parameters by key. */
  readonly parameters: Readonly<Partial<Record<HandoffKey, SsmParameter>>>;

  constructor(scope: Construct, id: string, props: HandoffParametersProps) {
    super(scope, id);
    const parameters: Partial<Record<HandoffKey, SsmParameter>> = {};
    for (const [key, value] of Object.entries(props.values) as [HandoffKey, string | undefined][]) {
      if (value === undefined) continue;
      if (value === "") throw new Error(`HandoffParameters: values["${key}"] must not be empty`);
      parameters[key] = new SsmParameter(this, key.replace(/\//g, "-"), {
        name: ssmParameterName(props.names, key),
        type: "String",
        tier: "Standard",
        value,
        description: `Hand-off value "${key}" written by the base stack`,
      });
    }
    this.parameters = parameters;
  }
}

/**
 * Reads a hand-off value in a downstream stack (ecs, eks). Repeated reads of the same key in one scope share a
 * single data source.
 */
export function readHandoff(scope: Construct, names: Pick<ResourceNames, "ssmPrefix">, key: HandoffKey): string {
  const id = `handoff-${key.replace(/\//g, "-")}`;
  const existing = scope.node.tryFindChild(id);
  const param =
    existing instanceof DataAwsSsmParameter
      ? existing
      : new DataAwsSsmParameter(scope, id, { name: ssmParameterName(names, key) });
  return param.value;
}
