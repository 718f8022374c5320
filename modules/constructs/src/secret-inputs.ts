// Sensitive Terraform variables through which the operator supplies secret values at plan/apply time
// (TF_VAR_<name>), so that no secret value is ever part of the synthesized Terraform JSON. Settings decide which
// keys must be present; each variable's validation names the missing ones without printing any value.
import { Construct } from "constructs";
import { Fn, TerraformVariable } from "cdktf";

/** Terraform variable names (the operator exports `TF_VAR_<name>`). */
export const SECRET_VARIABLE_NAMES = {
  providerKeys: "provider_keys",
  observabilityKeys: "observability_keys",
  globalBedrockCredentials: "global_bedrock_credentials",
} as const;

/** Command that prints the `export TF_VAR_...` lines from the same settings (documented in stacks/README.md). */
export const SECRET_VARIABLES_COMMAND = 'eval "$(pnpm --silent secret-vars)"';

const KEY_RE = /^[A-Z][A-Z0-9_]*$/;

export interface SecretInputsProps {
  /** Provider-key names that provider_keys must hold (settings.providerKeys). @default [] */
  readonly providerKeys?: readonly string[];
  /** Callback-key names that observability_keys must hold (LANGSMITH_API_KEY, LANGFUSE_SECRET_KEY). @default [] */
  readonly observabilityKeys?: readonly string[];
  /**
   * Keys of the global Bedrock credentials object; when given, the global_bedrock_credentials variable is declared
   * (required, no default). @default - the variable is not declared
   */
  readonly globalBedrockCredentialKeys?: readonly string[];
}

export class SecretInputs extends Construct {
  /** `jsonencode(merge(var.provider_keys, var.observability_keys))`: the provider-keys secret string. */
  readonly providerKeysJson: string;
  /** `jsonencode(var.global_bedrock_credentials)` when that variable is declared. */
  readonly globalBedrockCredentialsJson?: string;
  /** Names of the keys the provider-keys JSON is required to hold. */
  readonly providerKeysJsonKeys: readonly string[];

  constructor(scope: Construct, id: string, props: SecretInputsProps = {}) {
    super(scope, id);
    const providerKeys = [...(props.providerKeys ?? [])];
    const observabilityKeys = [...(props.observabilityKeys ?? [])];
    for (const [prop, keys] of [
      ["providerKeys", providerKeys],
      ["observabilityKeys", observabilityKeys],
      ["globalBedrockCredentialKeys", props.globalBedrockCredentialKeys ?? []],
    ] as const) {
      const bad = keys.filter((k) => !KEY_RE.test(k));
      if (bad.length > 0) throw new Error(`SecretInputs: ${prop} must be UPPER_SNAKE names (got ${bad.join(", ")})`);
    }

    const providers = this.mapVariable(SECRET_VARIABLE_NAMES.providerKeys, "Third-party provider keys by variable name", providerKeys);
    const observability = this.mapVariable(
      SECRET_VARIABLE_NAMES.observabilityKeys,
      "LiteLLM callback secrets (LANGSMITH_API_KEY, LANGFUSE_SECRET_KEY) by variable name",
      observabilityKeys,
    );
    this.providerKeysJson = Fn.jsonencode(Fn.merge([providers.value, observability.value]));
    this.providerKeysJsonKeys = [...providerKeys, ...observabilityKeys].sort();

    const globalKeys = props.globalBedrockCredentialKeys;
    if (globalKeys && globalKeys.length > 0) {
      const name = SECRET_VARIABLE_NAMES.globalBedrockCredentials;
      const v = new TerraformVariable(this, name, {
        type: `object({${globalKeys.map((k) => `${k}=string`).join(", ")}})`,
        // No default: Terraform refuses to plan without it ("No value for required variable").
        description: `Access key of a global-partition account for Bedrock (China deployments; sensitive; supply with TF_VAR_${name})`,
        sensitive: true,
        nullable: false,
        validation: [
          {
            condition: `\${try(alltrue([for k in ${hclList(globalKeys)} : length(var.${name}[k]) > 0]), false)}`,
            errorMessage: `The ${name} variable is required by the settings (${globalKeys.join(", ")}): run ${SECRET_VARIABLES_COMMAND} with the same .env before planning.`,
          },
        ],
      });
      v.overrideLogicalId(name);
      this.globalBedrockCredentialsJson = Fn.jsonencode(v.value);
    }
  }

  /** A sensitive map(string) variable, default {}, that must hold non-empty values for `required`. */
  private mapVariable(name: string, description: string, required: readonly string[]): TerraformVariable {
    const v = new TerraformVariable(this, name, {
      type: "map(string)",
      description: `${description} (sensitive; supply with TF_VAR_${name})`,
      sensitive: true,
      nullable: false,
      default: {},
      validation:
        required.length === 0
          ? undefined
          : [
              {
                condition: `\${alltrue([for k in ${hclList(required)} : length(lookup(var.${name}, k, "")) > 0])}`,
                errorMessage: `The ${name} variable must hold a value for each of ${required.join(", ")} (the settings enable them): run ${SECRET_VARIABLES_COMMAND} with the same .env before planning.`,
              },
            ],
    });
    v.overrideLogicalId(name);
    return v;
  }
}

function hclList(items: readonly string[]): string {
  return `[${items.map((i) => JSON.stringify(i)).join(", ")}]`;
}
