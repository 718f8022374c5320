// Application secrets that do not belong to a data store: LiteLLM master/salt keys, the admin UI password,
// third-party provider keys, global Bedrock credentials for China, and the middleware's chat-history hash key.
//
// Generated values come from the random provider; values the operator owns (provider keys, callback keys, global
// Bedrock credentials) come in as Terraform expressions over sensitive variables (SecretInputs), so no secret value
// is ever part of the synthesized JSON.
import { Construct } from "constructs";
import { Password } from "@cdktf/provider-random/lib/password";
import type { ResourceNames } from "@gw/config/types";
import { GatewaySecret } from "./secret";

export { CALLBACK_SECRET_KEY_BY_CALLBACK, CALLBACK_SECRET_KEYS, callbackSecretKeys, GLOBAL_BEDROCK_SECRET_KEYS } from "@gw/config/secret-keys";
import { GLOBAL_BEDROCK_SECRET_KEYS } from "@gw/config/secret-keys";

export interface GatewaySecretsProps {
  /** Secret name prefixes (a unique suffix is appended; see GatewaySecret). */
  readonly names: ResourceNames["secrets"];
  /** Keys the provider-keys JSON holds (provider and callback key names); listed in its description. @default [] */
  readonly providerKeyNames?: readonly string[];
  /**
   * Secret string of the provider-keys secret: a Terraform expression such as SecretInputs.providerKeysJson.
   * Required when providerKeyNames is not empty.
   * @default "{}"
   */
  readonly providerKeysJson?: string;
  /** Create the global Bedrock credentials secret (aws-cn deployments). @default false */
  readonly globalBedrockCredentials?: boolean;
  /**
   * Secret string of the global Bedrock credentials (a Terraform expression such as
   * SecretInputs.globalBedrockCredentialsJson). Only with globalBedrockCredentials.
   * @default - no version; the operator puts the value
   */
  readonly globalBedrockCredentialsJson?: string;
  /** @default 7 */
  readonly recoveryWindowDays?: number;
}

export class GatewaySecrets extends Construct {
  readonly masterKey: GatewaySecret;
  readonly saltKey: GatewaySecret;
  readonly providerKeys: GatewaySecret;
  readonly historyHashKey: GatewaySecret;
  /** Password of LiteLLM's admin UI login (UI_PASSWORD): its own secret, so signing in to the UI never needs the
   * master key and the UI password can be rotated alone. */
  readonly uiPassword: GatewaySecret;
  readonly globalBedrockCredentials?: GatewaySecret;
  /** Keys of the provider-keys JSON secret. */
  readonly providerKeyNames: readonly string[];
  /** True when the global Bedrock secret was created without a value (the operator must put it). */
  readonly globalBedrockCredentialsPending: boolean;

  constructor(scope: Construct, id: string, props: GatewaySecretsProps) {
    super(scope, id);
    const recoveryWindowDays = props.recoveryWindowDays;
    const keyNames = [...new Set(props.providerKeyNames ?? [])].sort();
    const bad = keyNames.filter((k) => !/^[A-Z][A-Z0-9_]*$/.test(k));
    if (bad.length > 0) throw new Error(`GatewaySecrets: providerKeyNames must be UPPER_SNAKE names (got ${bad.join(", ")})`);
    if (keyNames.length > 0 && props.providerKeysJson === undefined) {
      throw new Error(`GatewaySecrets: providerKeysJson is required when providerKeyNames is set (${keyNames.join(", ")})`);
    }
    if (props.globalBedrockCredentialsJson !== undefined && !props.globalBedrockCredentials) {
      throw new Error("GatewaySecrets: globalBedrockCredentialsJson needs globalBedrockCredentials: true");
    }

    const random = (rid: string, length: number) => new Password(this, rid, { length, special: false }).result;
    // LiteLLM requires the master key to start with "sk-".
    this.masterKey = new GatewaySecret(this, "MasterKey", {
      namePrefix: props.names.masterKey,
      description: "LITELLM_MASTER_KEY",
      value: `sk-${random("MasterKeyValue", 40)}`,
      recoveryWindowDays,
    });
    // The salt key encrypts provider credentials stored in LiteLLM's database: never rotate it casually.
    this.saltKey = new GatewaySecret(this, "SaltKey", {
      namePrefix: props.names.saltKey,
      description: "LITELLM_SALT_KEY (never change after first deploy)",
      value: `sk-${random("SaltKeyValue", 40)}`,
      recoveryWindowDays,
    });
    this.historyHashKey = new GatewaySecret(this, "HistoryHashKey", {
      namePrefix: props.names.historyHashKey,
      description: "HISTORY_HASH_KEY (HMAC key for chat-history owners)",
      value: random("HistoryHashKeyValue", 64),
      recoveryWindowDays,
    });
    this.uiPassword = new GatewaySecret(this, "UiPassword", {
      namePrefix: props.names.uiPassword,
      description: "UI_PASSWORD (LiteLLM admin UI login; the user name is the UI_USERNAME setting)",
      value: random("UiPasswordValue", 32),
      recoveryWindowDays,
    });
    this.providerKeyNames = keyNames;
    this.providerKeys = new GatewaySecret(this, "ProviderKeys", {
      namePrefix: props.names.providerKeys,
      description: `Third-party provider and callback keys (JSON): ${keyNames.join(", ") || "none"}`,
      value: props.providerKeysJson ?? "{}",
      recoveryWindowDays,
    });
    if (props.globalBedrockCredentials) {
      this.globalBedrockCredentials = new GatewaySecret(this, "GlobalBedrockCredentials", {
        namePrefix: props.names.globalBedrockCredentials,
        description: `Access key of a global-partition account for Bedrock (JSON: ${GLOBAL_BEDROCK_SECRET_KEYS.join(", ")})`,
        value: props.globalBedrockCredentialsJson,
        recoveryWindowDays,
      });
    }
    this.globalBedrockCredentialsPending = !!props.globalBedrockCredentials && props.globalBedrockCredentialsJson === undefined;
  }
}
