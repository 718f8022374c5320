// Application secrets that do not belong to a data store: LiteLLM master/salt keys, third-party provider keys,
// global Bedrock credentials for China, and the middleware's chat-history hash key.
import { Construct } from "constructs";
import { Password } from "@cdktf/provider-random/lib/password";
import type { ResourceNames } from "@gw/config/types";
import { GatewaySecret } from "./secret";

/** Keys of the global Bedrock credentials secret (China deployments). */
export const GLOBAL_BEDROCK_SECRET_KEYS = ["GLOBAL_BEDROCK_ACCESS_KEY_ID", "GLOBAL_BEDROCK_SECRET_ACCESS_KEY"] as const;
/** Callback secrets stored beside the provider keys when present. */
export const CALLBACK_SECRET_KEYS = ["LANGSMITH_API_KEY", "LANGFUSE_SECRET_KEY"] as const;

export interface GatewaySecretsProps {
  /** Secret names. */
  readonly names: ResourceNames["secrets"];
  /** Provider-key variable names; each becomes a key of the provider-keys JSON secret. @default [] */
  readonly providerKeys?: readonly string[];
  /** Secret values by variable name (LoadedSettings.secrets). Every name in providerKeys must have a value. */
  readonly secretValues: Readonly<Record<string, string>>;
  /** Create the global Bedrock credentials secret (aws-cn deployments). @default false */
  readonly globalBedrockCredentials?: boolean;
  /** @default 7 */
  readonly recoveryWindowDays?: number;
}

export class GatewaySecrets extends Construct {
  readonly masterKey: GatewaySecret;
  readonly saltKey: GatewaySecret;
  readonly providerKeys: GatewaySecret;
  readonly historyHashKey: GatewaySecret;
  readonly globalBedrockCredentials?: GatewaySecret;
  /** Keys of the provider-keys JSON secret. */
  readonly providerKeyNames: readonly string[];
  /** True when the global Bedrock secret was created without a value (the operator must put it). */
  readonly globalBedrockCredentialsPending: boolean;

  constructor(scope: Construct, id: string, props: GatewaySecretsProps) {
    super(scope, id);
    const recoveryWindowDays = props.recoveryWindowDays;
    const providerKeys = props.providerKeys ?? [];
    const missing = providerKeys.filter((k) => !props.secretValues[k]);
    if (missing.length > 0) {
      throw new Error(`GatewaySecrets: secretValues has no value for providerKeys ${missing.join(", ")}`);
    }
    const bad = providerKeys.filter((k) => !/^[A-Z][A-Z0-9_]*$/.test(k));
    if (bad.length > 0) throw new Error(`GatewaySecrets: providerKeys must be UPPER_SNAKE names (got ${bad.join(", ")})`);

    const random = (rid: string, length: number) => new Password(this, rid, { length, special: false }).result;
    // LiteLLM requires the master key to start with "sk-".
    this.masterKey = new GatewaySecret(this, "MasterKey", {
      name: props.names.masterKey,
      description: "LITELLM_MASTER_KEY",
      value: `sk-${random("MasterKeyValue", 40)}`,
      recoveryWindowDays,
    });
    // The salt key encrypts provider credentials stored in LiteLLM's database: never rotate it casually.
    this.saltKey = new GatewaySecret(this, "SaltKey", {
      name: props.names.saltKey,
      description: "LITELLM_SALT_KEY (never change after first deploy)",
      value: `sk-${random("SaltKeyValue", 40)}`,
      recoveryWindowDays,
    });
    this.historyHashKey = new GatewaySecret(this, "HistoryHashKey", {
      name: props.names.historyHashKey,
      description: "HISTORY_HASH_KEY (HMAC key for chat-history owners)",
      value: random("HistoryHashKeyValue", 64),
      recoveryWindowDays,
    });
    const keyNames = [...new Set([...providerKeys, ...CALLBACK_SECRET_KEYS.filter((k) => props.secretValues[k])])].sort();
    this.providerKeyNames = keyNames;
    const json: Record<string, string> = {};
    for (const k of keyNames) json[k] = props.secretValues[k];
    this.providerKeys = new GatewaySecret(this, "ProviderKeys", {
      name: props.names.providerKeys,
      description: `Third-party provider and callback keys (JSON): ${keyNames.join(", ") || "none"}`,
      value: JSON.stringify(json),
      recoveryWindowDays,
    });
    let pending = false;
    if (props.globalBedrockCredentials) {
      const have = GLOBAL_BEDROCK_SECRET_KEYS.every((k) => props.secretValues[k]);
      pending = !have;
      this.globalBedrockCredentials = new GatewaySecret(this, "GlobalBedrockCredentials", {
        name: props.names.globalBedrockCredentials,
        description: "Access key of a global-partition account for Bedrock (JSON)",
        value: have
          ? JSON.stringify(Object.fromEntries(GLOBAL_BEDROCK_SECRET_KEYS.map((k) => [k, props.secretValues[k]])))
          : undefined,
        recoveryWindowDays,
      });
    }
    this.globalBedrockCredentialsPending = pending;
  }
}
