// @gw/config: deployment settings (load + validate), resource names, LiteLLM catalogs and renderer.
export * from "./types";
export { SettingsError, ConfigError, type ConfigProblem } from "./errors";
export { loadSettings, type LoadSettingsOptions } from "./settings";
export { cloudFrontOrigin, loadBalancerCertificatePlan, type CloudFrontOrigin, type LoadBalancerCertificatePlan } from "./load-balancer-tls";
export { resourceNames, withAccountSuffix, ACCOUNT_SUFFIX_LENGTH, NAME_LIMITS } from "./names";
export { renderLiteLLMConfig, litellmSecretNames, LOG_BUCKET_ENV, type RenderedLiteLLMConfig, type RenderOptions } from "./render";
export { CATALOG_DIR, NEAREST_CATALOG, catalogRegions, chooseCatalog, catalogMarkdown, type CatalogChoice } from "./catalog";
export { VARIABLES, PROVIDER_KEY_NAMES, SECRET_VARIABLE_NAMES, KNOWN_VARIABLE_NAMES, variablesMarkdown, type VariableSpec, type VariableSection } from "./variables";
export { parseDotenv, type DotenvEntry, type DotenvResult } from "./dotenv";
export { FARGATE_SIZES, isValidFargateSize } from "./fargate";
export { DEFAULT_LITELLM_TAG, DEFAULT_MIDDLEWARE_TAG } from "./defaults";
