import { createHash } from "node:crypto";
import { partitionOf } from "@gw/partition";
import { MIDDLEWARE_PORT, LITELLM_PORT } from "./routes";

/** Everything the middleware reads from its environment, validated once at startup. */
export interface MiddlewareConfig {
  /** Listening port. Default 3000 (PORT). */
  readonly port: number;
  /** Listening address. Default 0.0.0.0 (HOST). */
  readonly host: string;
  /** LiteLLM base URL. Default http://127.0.0.1:4000 (LITELLM_URL). */
  readonly litellmUrl: string;
  /** LiteLLM master key, used only for OIDC self sign-up (LITELLM_MASTER_KEY / MASTER_KEY). */
  readonly masterKey?: string;
  /** Postgres URL for chat history (DATABASE_MIDDLEWARE_URL, then DATABASE_URL); PGlite in memory when absent. */
  readonly databaseUrl?: string;
  /** PGlite data directory (PGLITE_DATA_DIR); in memory when absent. */
  readonly pgliteDataDir?: string;
  /** Secret for the keyed owner hash (HISTORY_HASH_KEY; default derived from LITELLM_SALT_KEY or the master key). */
  readonly historyHashKey: string;
  /** The most recent N messages used per turn; storage keeps every message (HISTORY_MAX_MESSAGES, default 200, 0 = unlimited). */
  readonly historyMaxMessages: number;
  /** JSON characters of recent sessions' history cached for chat turns; 0 = off (HISTORY_TURN_CACHE_CHARS, default 4 Mi). */
  readonly historyTurnCacheChars: number;
  /** Days after which idle sessions are purged; 0 disables (CHAT_HISTORY_RETENTION_DAYS, default 0). */
  readonly retentionDays: number;
  /** How often the purge runs (CHAT_HISTORY_PURGE_INTERVAL_MS, default 1 h). */
  readonly purgeIntervalMs: number;
  /** OIDC self sign-up, on when issuer and audience are both set (OIDC_ISSUER/OKTA_ISSUER, OIDC_AUDIENCE/OKTA_AUDIENCE). */
  readonly oidc?: { readonly issuer: string; readonly audience: string; readonly algorithms?: string[] };
  /** Self-service fields a signed-up user may set (SIGNUP_ALLOWED_FIELDS, comma list). */
  readonly signupAllowedFields: string[];
  readonly signupMaxBudget?: number;
  readonly signupAllowedModels?: string[];
  /** Keys a signed-up user may hold (SIGNUP_MAX_KEYS, integer >= 1); no limit when absent. */
  readonly signupMaxKeys?: number;
  /** Region the gateway runs in (AWS_REGION, then AWS_DEFAULT_REGION): its partition decides which prompts are cross-partition. */
  readonly region?: string;
  /**
   * Static credentials of a global-partition account for managed prompts in another partition than the deployment's
   * (GLOBAL_BEDROCK_ACCESS_KEY_ID + GLOBAL_BEDROCK_SECRET_ACCESS_KEY, both or neither; China deployments).
   */
  readonly globalBedrockCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Bedrock Agent endpoint override for GetPrompt (BEDROCK_AGENT_ENDPOINT; tests point it at fake-llm). */
  readonly bedrockAgentEndpoint?: string;
  /** Managed-prompt cache TTL (PROMPT_CACHE_TTL_MS, default 5 min). */
  readonly promptCacheTtlMs: number;
  /** Upstream timeouts: connect, time to response headers, idle time between body chunks. */
  readonly upstreamConnectTimeoutMs: number;
  readonly upstreamHeadersTimeoutMs: number;
  readonly upstreamBodyTimeoutMs: number;
  /** Max sockets to LiteLLM (UPSTREAM_CONNECTIONS, default 256). */
  readonly upstreamConnections: number;
  /** Request body limit (BODY_LIMIT_BYTES, default 20 MiB: base64 images and documents). */
  readonly bodyLimitBytes: number;
  /** Verify the key with LiteLLM (/key/info) before serving history endpoints (HISTORY_VERIFY_KEYS, default true). */
  readonly verifyKeysForHistory: boolean;
  /** CORS allowed origins; ["*"] allows any (CORS_ORIGINS, default "*"). */
  readonly corsOrigins: string[];
  /** Grace period for in-flight requests on SIGTERM (SHUTDOWN_GRACE_MS, default 25 s). */
  readonly shutdownGraceMs: number;
  /** pino level (LOG_LEVEL, default info). */
  readonly logLevel: string;
  /** Log one line per request (LOG_REQUESTS, default true). */
  readonly logRequests: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid middleware configuration:\n${problems.join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** Read and validate the configuration; every problem is reported at once. */
export function loadMiddlewareConfig(env: Env = process.env, overrides: Partial<MiddlewareConfig> = {}): MiddlewareConfig {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const int = (name: string, dflt: number, min = 0): number => {
    const raw = str(name);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      problems.push(`${name}: expected an integer >= ${min}, got "${raw}"`);
      return dflt;
    }
    return n;
  };
  const bool = (name: string, dflt: boolean): boolean => {
    const raw = str(name)?.toLowerCase();
    if (raw === undefined) return dflt;
    if (["1", "true", "yes", "on"].includes(raw)) return true;
    if (["0", "false", "no", "off"].includes(raw)) return false;
    problems.push(`${name}: expected true or false, got "${raw}"`);
    return dflt;
  };
  const list = (name: string): string[] | undefined => str(name)?.split(",").map((s) => s.trim()).filter(Boolean);

  const litellmUrl = (str("LITELLM_URL") ?? `http://127.0.0.1:${LITELLM_PORT}`).replace(/\/+$/, "");
  try {
    const u = new URL(litellmUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") problems.push(`LITELLM_URL: must be http(s), got "${u.protocol}"`);
  } catch {
    problems.push(`LITELLM_URL: not a URL: "${litellmUrl}"`);
  }
  const masterKey = str("LITELLM_MASTER_KEY") ?? str("MASTER_KEY");
  const seed = str("HISTORY_HASH_KEY") ?? str("LITELLM_SALT_KEY") ?? masterKey;
  // A derived key keeps owner hashes stable across restarts when no dedicated secret is configured.
  const historyHashKey = str("HISTORY_HASH_KEY") ?? createHash("sha256").update(`gw-history-owner:${seed ?? "insecure-default"}`).digest("hex");
  const issuer = str("OIDC_ISSUER") ?? str("OKTA_ISSUER");
  const audience = str("OIDC_AUDIENCE") ?? str("OKTA_AUDIENCE");
  if ((issuer && !audience) || (!issuer && audience)) problems.push("OIDC_ISSUER/OIDC_AUDIENCE: set both (or OKTA_ISSUER/OKTA_AUDIENCE) to enable self sign-up, or neither");
  const maxBudgetRaw = str("SIGNUP_MAX_BUDGET");
  const signupMaxBudget = maxBudgetRaw === undefined ? undefined : Number(maxBudgetRaw);
  if (signupMaxBudget !== undefined && !(signupMaxBudget >= 0)) problems.push(`SIGNUP_MAX_BUDGET: expected a number >= 0, got "${maxBudgetRaw}"`);
  const signupMaxKeys = str("SIGNUP_MAX_KEYS") === undefined ? undefined : int("SIGNUP_MAX_KEYS", 1, 1);
  const region = str("AWS_REGION") ?? str("AWS_DEFAULT_REGION");
  if (region !== undefined) {
    try {
      partitionOf(region);
    } catch (err) {
      problems.push(`AWS_REGION: ${(err as Error).message}`);
    }
  }
  const globalKeyId = str("GLOBAL_BEDROCK_ACCESS_KEY_ID");
  const globalSecret = str("GLOBAL_BEDROCK_SECRET_ACCESS_KEY");
  if (!globalKeyId !== !globalSecret) problems.push("GLOBAL_BEDROCK_ACCESS_KEY_ID/GLOBAL_BEDROCK_SECRET_ACCESS_KEY: set both or neither");

  const cfg: MiddlewareConfig = {
    port: int("PORT", MIDDLEWARE_PORT),
    host: str("HOST") ?? "0.0.0.0",
    litellmUrl,
    masterKey,
    databaseUrl: str("DATABASE_MIDDLEWARE_URL") ?? str("DATABASE_URL"),
    pgliteDataDir: str("PGLITE_DATA_DIR"),
    historyHashKey,
    historyMaxMessages: int("HISTORY_MAX_MESSAGES", 200),
    historyTurnCacheChars: int("HISTORY_TURN_CACHE_CHARS", 4 * 1024 * 1024),
    retentionDays: int("CHAT_HISTORY_RETENTION_DAYS", 0),
    purgeIntervalMs: int("CHAT_HISTORY_PURGE_INTERVAL_MS", 3_600_000, 1_000),
    oidc: issuer && audience ? { issuer, audience, algorithms: list("OIDC_ALGORITHMS") } : undefined,
    signupAllowedFields: list("SIGNUP_ALLOWED_FIELDS") ?? ["user_email", "user_alias", "metadata"],
    signupMaxBudget,
    signupAllowedModels: list("SIGNUP_ALLOWED_MODELS"),
    signupMaxKeys,
    region,
    globalBedrockCredentials: globalKeyId && globalSecret ? { accessKeyId: globalKeyId, secretAccessKey: globalSecret } : undefined,
    bedrockAgentEndpoint: str("BEDROCK_AGENT_ENDPOINT"),
    promptCacheTtlMs: int("PROMPT_CACHE_TTL_MS", 300_000),
    upstreamConnectTimeoutMs: int("UPSTREAM_CONNECT_TIMEOUT_MS", 5_000, 1),
    upstreamHeadersTimeoutMs: int("UPSTREAM_HEADERS_TIMEOUT_MS", 600_000, 1),
    upstreamBodyTimeoutMs: int("UPSTREAM_BODY_TIMEOUT_MS", 300_000, 1),
    upstreamConnections: int("UPSTREAM_CONNECTIONS", 256, 1),
    bodyLimitBytes: int("BODY_LIMIT_BYTES", 20 * 1024 * 1024, 1024),
    verifyKeysForHistory: bool("HISTORY_VERIFY_KEYS", true),
    corsOrigins: list("CORS_ORIGINS") ?? ["*"],
    shutdownGraceMs: int("SHUTDOWN_GRACE_MS", 25_000),
    logLevel: str("LOG_LEVEL") ?? "info",
    logRequests: bool("LOG_REQUESTS", true),
    ...overrides,
  };
  if (problems.length) throw new ConfigError(problems);
  return cfg;
}
