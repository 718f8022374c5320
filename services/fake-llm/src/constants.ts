/** Dependency-free facts about the fake-llm container, importable by infrastructure code (the fake-llm stack). */
export const FAKE_LLM_CONTAINER_PORT = 8080;
export const FAKE_LLM_HEALTH_PATH = "/health/liveliness";
/** Environment variables the container reads (see README "Controls"). */
export const FAKE_LLM_ENV = {
  port: "FAKE_LLM_PORT",
  host: "FAKE_LLM_HOST",
  region: "FAKE_LLM_REGION",
  latencyMs: "FAKE_LLM_LATENCY_MS",
  latencyMsMax: "FAKE_LLM_LATENCY_MS_MAX",
  ttftMs: "FAKE_LLM_TTFT_MS",
  tokensPerSecond: "FAKE_LLM_TOKENS_PER_SECOND",
  responseTokens: "FAKE_LLM_RESPONSE_TOKENS",
  errorRate: "FAKE_LLM_ERROR_RATE",
  fleet: "FAKE_LLM_FLEET",
  masterKey: "FAKE_LLM_MASTER_KEY",
  acceptAnyKey: "FAKE_LLM_ACCEPT_ANY_KEY",
  keys: "FAKE_LLM_KEYS",
  adminKey: "FAKE_LLM_ADMIN_KEY",
  requestLogSize: "FAKE_LLM_REQUEST_LOG_SIZE",
  log: "FAKE_LLM_LOG",
} as const;
