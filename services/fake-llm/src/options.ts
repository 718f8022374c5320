/** Options of a fake-llm instance and the per-request control header. */

/** Inject `status` on `rate` (0..1) of the requests to `route` (a route id, alias, path prefix or "*"). */
export interface ErrorRule {
  readonly route: string;
  readonly status: number;
  readonly rate: number;
  /** Bedrock error type (e.g. "ThrottlingException"); derived from the status when omitted. */
  readonly errorType?: string;
  /** Fail streams after this many content chunks instead of before the response starts. */
  readonly afterChunks?: number;
}

export interface FakeLlmOptions {
  /** Region label shown in replies and the x-fake-llm-region header. @default "us-east-1" */
  region?: string;
  /** Delay before the response starts: fixed ms, or [min, max] uniform. @default 0 */
  latencyMs?: number | [number, number];
  /** Delay between the response start and the first content token. @default 0 */
  ttftMs?: number;
  /** Token pacing (streams, and the duration of non-stream replies); 0 = as fast as possible. @default 0 */
  tokensPerSecond?: number;
  /** Reply length in tokens (words); unset = the deterministic reply header only. */
  responseTokens?: number;
  /** LiteLLM master key. @default "sk-fake-master" */
  masterKey?: string;
  /**
   * Accept any "sk-" bearer on OpenAI routes (development only: `pnpm dev`). When false, only the master key, keys
   * minted through /key/generate or /user/new, and `keys` are accepted, as LiteLLM does. @default false
   */
  acceptAnyKey?: boolean;
  /** Virtual keys that exist from the start (also FAKE_LLM_KEYS, --keys, POST /__admin/keys). @default [] */
  keys?: string[];
  /** Bearer keys always rejected with 401. @default [] */
  rejectKeys?: string[];
  /** Error injection rules. @default [] */
  errors?: ErrorRule[];
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 0 (ephemeral) */
  port?: number;
  /** Size of the /__admin/requests ring buffer. @default 100 */
  requestLogSize?: number;
  /** When set, admin endpoints require `Authorization: Bearer <adminKey>`. @default - admin endpoints are open */
  adminKey?: string;
  /** Model ids listed by GET /v1/models. @default DEFAULT_MODELS */
  models?: string[];
  /** Account id used in fake ARNs (prompts). @default twelve zeros */
  accountId?: string;
  /** Max request body size. @default 20 MiB */
  bodyLimit?: number;
  /** fastify logger. @default false */
  logger?: boolean;
}

export const DEFAULT_MODELS = [
  "fake-openai-endpoint",
  "gpt-4o-mini",
  "anthropic.claude-3-5-sonnet-20241022-v2:0",
  "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
  "amazon.nova-lite-v1:0",
];

export type ResolvedOptions = Required<Omit<FakeLlmOptions, "responseTokens" | "adminKey">> &
  Pick<FakeLlmOptions, "responseTokens" | "adminKey">;

export function resolveOptions(opts: FakeLlmOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    region: opts.region ?? "us-east-1",
    latencyMs: opts.latencyMs ?? 0,
    ttftMs: opts.ttftMs ?? 0,
    tokensPerSecond: opts.tokensPerSecond ?? 0,
    responseTokens: opts.responseTokens,
    masterKey: opts.masterKey ?? "sk-fake-master",
    acceptAnyKey: opts.acceptAnyKey ?? false,
    keys: opts.keys ?? [],
    rejectKeys: opts.rejectKeys ?? [],
    errors: opts.errors ?? [],
    host: opts.host ?? "127.0.0.1",
    port: opts.port ?? 0,
    requestLogSize: opts.requestLogSize ?? 100,
    adminKey: opts.adminKey,
    models: opts.models ?? DEFAULT_MODELS,
    accountId: opts.accountId ?? "0".repeat(12),
    bodyLimit: opts.bodyLimit ?? 20 * 1024 * 1024,
    logger: opts.logger ?? false,
  };
  const problems = validateOptions(resolved);
  if (problems.length) throw new Error(`Invalid fake-llm options:\n${problems.join("\n")}`);
  return resolved;
}

function nonNegative(name: string, v: unknown, problems: string[]): void {
  if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) problems.push(`${name}: must be a number >= 0, got ${JSON.stringify(v)}`);
}

/** Every problem of a (partial) option set, one message per problem naming the option. */
export function validateOptions(o: Partial<FakeLlmOptions>): string[] {
  const problems: string[] = [];
  if (Array.isArray(o.latencyMs)) {
    const [min, max] = o.latencyMs;
    nonNegative("latencyMs[0]", min, problems);
    nonNegative("latencyMs[1]", max, problems);
    if (o.latencyMs.length !== 2 || min > max) problems.push(`latencyMs: expected [min, max] with min <= max, got ${JSON.stringify(o.latencyMs)}`);
  } else nonNegative("latencyMs", o.latencyMs, problems);
  nonNegative("ttftMs", o.ttftMs, problems);
  nonNegative("tokensPerSecond", o.tokensPerSecond, problems);
  nonNegative("responseTokens", o.responseTokens, problems);
  nonNegative("port", o.port, problems);
  if (o.keys !== undefined && (!Array.isArray(o.keys) || o.keys.some((k) => typeof k !== "string" || !k.trim())))
    problems.push("keys: must be an array of non-empty strings");
  if (o.requestLogSize !== undefined && (!Number.isInteger(o.requestLogSize) || o.requestLogSize < 1))
    problems.push(`requestLogSize: must be an integer >= 1, got ${JSON.stringify(o.requestLogSize)}`);
  for (const [i, rule] of (o.errors ?? []).entries()) {
    if (!rule || typeof rule.route !== "string" || !rule.route) problems.push(`errors[${i}].route: required`);
    if (!Number.isInteger(rule?.status) || rule.status < 400 || rule.status > 599) problems.push(`errors[${i}].status: must be an HTTP error status (400-599)`);
    if (typeof rule?.rate !== "number" || rule.rate < 0 || rule.rate > 1) problems.push(`errors[${i}].rate: must be between 0 and 1`);
  }
  return problems;
}

/** Per-request controls, from the `x-fake-llm` JSON header. */
export interface RequestControls {
  latencyMs?: number | [number, number];
  ttftMs?: number;
  tokensPerSecond?: number;
  responseTokens?: number;
  /** Answer with this error status (before the response starts, or mid-stream with failAfterChunks). */
  status?: number;
  errorType?: string;
  /** Break the stream after N content chunks (SSE: error event then end; event-stream: exception frame). */
  failAfterChunks?: number;
  /** Destroy the socket after N content chunks, without an error frame. */
  abortAfterChunks?: number;
  /** Reply text instead of the deterministic one. */
  text?: string;
  /** Force (true) or suppress (false) a tool call when tools are offered. */
  tool?: boolean;
  toolName?: string;
  toolInput?: Record<string, unknown>;
}

export const CONTROL_HEADER = "x-fake-llm";

/** Parses the control header; returns undefined when absent, throws on a malformed value. */
export function parseControls(header: string | string[] | undefined): RequestControls | undefined {
  if (header === undefined) return undefined;
  const raw = Array.isArray(header) ? header[0] : header;
  const value: unknown = JSON.parse(raw);
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new SyntaxError("not an object");
  return value as RequestControls;
}

export function pickLatency(latency: number | [number, number]): number {
  if (typeof latency === "number") return latency;
  const [min, max] = latency;
  return min + Math.random() * (max - min);
}
