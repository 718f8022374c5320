/** @gw/bedrock-router: cross-region and cross-partition routing for Amazon Bedrock Runtime calls. */
export { BedrockRouter, type BedrockRouterOptions } from "./router";
export * from "./types";
export * from "./errors";
export {
  validateRouterConfig,
  resolveRouterConfig,
  parseEndpointConfig,
  loadEndpointConfig,
  type CooldownStoreSpec,
  type RouterConfigInput,
  type ResolvedRouterConfig,
  type ValidateOptions,
} from "./config";
export { classifyError, isRetryable, errorNameOf } from "./classify";
export { resolveModelId, baseModelId, PROFILE_PREFIXES } from "./model-id";
export { planTargets, weightedOrder, backoffDelayMs, type Plan } from "./plan";
export { clientAuthConfig, MissingCredentialsError, type CredentialRegistry } from "./credentials";
export {
  InMemoryCooldownStore,
  FileCooldownStore,
  RedisCooldownStore,
  createCooldownStore,
  type CooldownStore,
  type FileCooldownStoreOptions,
  type RedisCooldownStoreOptions,
} from "./cooldown";
