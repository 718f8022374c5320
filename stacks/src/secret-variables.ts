// Values of the base stack's sensitive Terraform variables, from the same settings that decided which keys exist,
// formatted as `export TF_VAR_<name>=...` lines for `eval` (scripts/src/secret-vars.ts). Nothing here logs.
import { regionFacts } from "@gw/partition";
import type { LoadedSettings } from "@gw/config/types";
import { callbackSecretKeys, GLOBAL_BEDROCK_SECRET_KEYS } from "@gw/constructs/secrets";
import { SECRET_VARIABLE_NAMES } from "@gw/constructs/secret-inputs";

/** Variable name -> map of secret key -> value, for every variable the base stack declares for these settings. */
export function secretVariableValues(loaded: LoadedSettings): Record<string, Record<string, string>> {
  const s = loaded.settings;
  const pick = (keys: readonly string[]) => Object.fromEntries(keys.filter((k) => k in loaded.secrets).map((k) => [k, loaded.secrets[k]!]));
  const values: Record<string, Record<string, string>> = {
    [SECRET_VARIABLE_NAMES.providerKeys]: pick(s.providerKeys),
    [SECRET_VARIABLE_NAMES.observabilityKeys]: pick(callbackSecretKeys(s.observability.callbacks)),
  };
  const global = pick(GLOBAL_BEDROCK_SECRET_KEYS);
  if (regionFacts(s.region).bedrock.mode === "cross-partition" && Object.keys(global).length === GLOBAL_BEDROCK_SECRET_KEYS.length) {
    values[SECRET_VARIABLE_NAMES.globalBedrockCredentials] = global;
  }
  return values;
}

/** An HCL string literal: JSON escapes plus `$${` / `%%{` so Terraform reads `${` and `%{` literally. */
function hclString(value: string): string {
  return JSON.stringify(value).replace(/([$%])\{/g, (_m, c: string) => `${c}${c}{`);
}

/** Single-quoted for POSIX shells. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export TF_VAR_<name>='{"KEY" = "value", ...}'` lines (Terraform parses complex TF_VAR_ values as HCL). */
export function secretVariableExports(loaded: LoadedSettings): string[] {
  return Object.entries(secretVariableValues(loaded)).map(([name, map]) => {
    const hcl = `{${Object.entries(map).map(([k, v]) => `${hclString(k)} = ${hclString(v)}`).join(", ")}}`;
    return `export TF_VAR_${name}=${shellQuote(hcl)}`;
  });
}
