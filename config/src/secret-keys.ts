// Names of the secret-backed keys the settings decide on: one list, used by the LiteLLM renderer (config) and by the
// stacks that create the secrets and reference them in the task definition (@gw/constructs re-exports these).

/** Keys of the global Bedrock credentials secret (China deployments). */
export const GLOBAL_BEDROCK_SECRET_KEYS = ["GLOBAL_BEDROCK_ACCESS_KEY_ID", "GLOBAL_BEDROCK_SECRET_ACCESS_KEY"] as const;
/** Callback secrets stored beside the provider keys when present. */
export const CALLBACK_SECRET_KEYS = ["LANGSMITH_API_KEY", "LANGFUSE_SECRET_KEY"] as const;
/** The secret key each LiteLLM callback needs (settings.observability.callbacks). */
export const CALLBACK_SECRET_KEY_BY_CALLBACK: Readonly<Record<string, (typeof CALLBACK_SECRET_KEYS)[number]>> = {
  langsmith: "LANGSMITH_API_KEY",
  langfuse: "LANGFUSE_SECRET_KEY",
};

/** Callback-secret names the enabled callbacks need, sorted. */
export function callbackSecretKeys(callbacks: readonly string[]): string[] {
  return callbacks.flatMap((c) => (CALLBACK_SECRET_KEY_BY_CALLBACK[c] ? [CALLBACK_SECRET_KEY_BY_CALLBACK[c]!] : [])).sort();
}
