/** CLI flags and FAKE_LLM_* environment variables -> options (flags win over env). */
import { parseArgs } from "node:util";
import { FAKE_LLM_CONTAINER_PORT, FAKE_LLM_ENV } from "./constants";
import { validateOptions, type ErrorRule, type FakeLlmOptions } from "./options";

export interface FleetMember {
  readonly region: string;
  readonly port: number;
}

export interface CliConfig {
  readonly options: FakeLlmOptions;
  /** Instances to start; one entry (options.region/port) when --fleet is not given. */
  readonly fleet: readonly FleetMember[];
  readonly help: boolean;
}

export class CliError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`fake-llm: invalid arguments:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
}

/** flag name -> env name, all string-valued. */
const FLAGS = {
  port: FAKE_LLM_ENV.port,
  host: FAKE_LLM_ENV.host,
  region: FAKE_LLM_ENV.region,
  "latency-ms": FAKE_LLM_ENV.latencyMs,
  "latency-ms-max": FAKE_LLM_ENV.latencyMsMax,
  "ttft-ms": FAKE_LLM_ENV.ttftMs,
  "tokens-per-second": FAKE_LLM_ENV.tokensPerSecond,
  "response-tokens": FAKE_LLM_ENV.responseTokens,
  "error-rate": FAKE_LLM_ENV.errorRate,
  fleet: FAKE_LLM_ENV.fleet,
  "master-key": FAKE_LLM_ENV.masterKey,
  "accept-any-key": FAKE_LLM_ENV.acceptAnyKey,
  keys: FAKE_LLM_ENV.keys,
  "admin-key": FAKE_LLM_ENV.adminKey,
  "request-log-size": FAKE_LLM_ENV.requestLogSize,
  log: FAKE_LLM_ENV.log,
} as const;

type Flag = keyof typeof FLAGS;

export const USAGE = `Usage: fake-llm [options]   (each option also reads FAKE_LLM_<NAME> from the environment)
  --port N                 listen port (default 8080; 0 = ephemeral)
  --host H                 bind address (default 127.0.0.1; the container uses 0.0.0.0)
  --region R               region label (default us-east-1)
  --latency-ms N           delay before each response starts (fixed, or the minimum with --latency-ms-max)
  --latency-ms-max N       upper bound: latency drawn uniformly in [latency-ms, latency-ms-max]
  --ttft-ms N              time to first token
  --tokens-per-second N    token pacing (0 = as fast as possible)
  --response-tokens N      reply length in tokens
  --error-rate SPEC        route=status:rate[:ErrorType], comma-separated or repeated, e.g. converse=429:0.1
  --fleet SPEC             region:port,... start one labelled instance per entry
  --master-key K           LiteLLM master key (default sk-fake-master)
  --accept-any-key BOOL    accept any sk- key (default false; development only)
  --keys K1,K2             virtual keys accepted besides the master key and minted ones
  --admin-key K            require this bearer on /__admin/*
  --request-log-size N     /__admin/requests ring buffer size (default 100)
  --log BOOL               fastify request logging (default false)
  --help`;

function num(name: string, raw: string | undefined, problems: string[]): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    problems.push(`--${name}: expected a number >= 0, got "${raw}"`);
    return undefined;
  }
  return n;
}

function bool(name: string, raw: string | undefined, problems: string[]): boolean | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`--${name}: expected true or false, got "${raw}"`);
  return undefined;
}

/** `route=status:rate[:ErrorType][,...]` */
export function parseErrorRates(specs: readonly string[], problems: string[]): ErrorRule[] {
  const rules: ErrorRule[] = [];
  for (const spec of specs.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=]+)=(\d{3}):([0-9.]+)(?::([A-Za-z]+))?$/.exec(spec);
    if (!m) {
      problems.push(`--error-rate: "${spec}" is not route=status:rate[:ErrorType]`);
      continue;
    }
    rules.push({ route: m[1]!, status: Number(m[2]), rate: Number(m[3]), ...(m[4] ? { errorType: m[4] } : {}) });
  }
  return rules;
}

export function parseFleet(spec: string, problems: string[]): FleetMember[] {
  const members: FleetMember[] = [];
  for (const part of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z0-9-]+):(\d+)$/.exec(part);
    if (!m) problems.push(`--fleet: "${part}" is not region:port`);
    else members.push({ region: m[1]!, port: Number(m[2]) });
  }
  const ports = members.map((m) => m.port).filter((p) => p !== 0);
  if (new Set(ports).size !== ports.length) problems.push("--fleet: ports must be distinct");
  return members;
}

export function parseCli(argv: readonly string[], env: Record<string, string | undefined> = process.env): CliConfig {
  const options = Object.fromEntries(
    (Object.keys(FLAGS) as Flag[]).map((f) => [f, { type: "string" as const, multiple: f === "error-rate" }]),
  ) as Record<Flag, { type: "string"; multiple: boolean }>;
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: "boolean" } }, allowPositionals: false, strict: true });
  } catch (e) {
    throw new CliError([(e as Error).message]);
  }
  const values = parsed.values as Partial<Record<Flag, string | string[]>> & { help?: boolean };
  const get = (f: Flag): string | undefined => {
    const v = values[f];
    if (Array.isArray(v)) return v.join(",");
    return v ?? env[FLAGS[f]];
  };
  const problems: string[] = [];
  const latency = num("latency-ms", get("latency-ms"), problems);
  const latencyMax = num("latency-ms-max", get("latency-ms-max"), problems);
  const errorRate = get("error-rate");
  const opts: FakeLlmOptions = {
    host: get("host") || undefined,
    port: num("port", get("port"), problems) ?? FAKE_LLM_CONTAINER_PORT,
    region: get("region") || undefined,
    latencyMs: latencyMax !== undefined ? [latency ?? 0, latencyMax] : latency,
    ttftMs: num("ttft-ms", get("ttft-ms"), problems),
    tokensPerSecond: num("tokens-per-second", get("tokens-per-second"), problems),
    responseTokens: num("response-tokens", get("response-tokens"), problems),
    errors: errorRate ? parseErrorRates([errorRate], problems) : undefined,
    masterKey: get("master-key") || undefined,
    acceptAnyKey: bool("accept-any-key", get("accept-any-key"), problems),
    keys: get("keys")?.split(",").map((k) => k.trim()).filter(Boolean),
    adminKey: get("admin-key") || undefined,
    requestLogSize: num("request-log-size", get("request-log-size"), problems),
    logger: bool("log", get("log"), problems),
  };
  for (const key of Object.keys(opts) as (keyof FakeLlmOptions)[]) if (opts[key] === undefined) delete opts[key];
  problems.push(...validateOptions(opts));
  const fleetSpec = get("fleet");
  const fleet = fleetSpec ? parseFleet(fleetSpec, problems) : [{ region: opts.region ?? "us-east-1", port: opts.port ?? FAKE_LLM_CONTAINER_PORT }];
  if (problems.length) throw new CliError(problems);
  return { options: opts, fleet, help: values.help === true };
}
