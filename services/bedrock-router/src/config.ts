/**
 * Validation of router options and the endpoint configuration file (JSON or YAML). Every problem is collected with its
 * path and reported at once. The file is the seed's bedrock_endpoints.conf made explicit: ordered targets with primary
 * flag, weight and inference-profile prefix, plus the settings, credential references and the cooldown store.
 */
import { readFileSync } from "node:fs";
import { extname, resolve as resolvePath, dirname } from "node:path";
import yaml from "js-yaml";
import { partitionOf, regionFacts, serviceEndpoint, type PartitionId } from "@gw/partition";
import { RouterConfigError, type ConfigProblem } from "./errors";
import { DEFAULT_SETTINGS, type CredentialSource, type RouteTarget, type RouterSettings, type TargetSpec } from "./types";
import { PROFILE_PREFIXES } from "./model-id";

export type CooldownStoreSpec =
  | { readonly type: "memory" }
  /** Path relative to the configuration file's folder when loaded from a file. */
  | { readonly type: "file"; readonly path: string; readonly staleLockMs?: number }
  /** `url` or the environment variable `urlEnv` (default REDIS_URL) holds the Redis URL. */
  | { readonly type: "redis"; readonly url?: string; readonly urlEnv?: string; readonly keyPrefix?: string };

export interface RouterConfigInput {
  readonly targets: readonly TargetSpec[];
  readonly settings?: Partial<RouterSettings>;
  readonly credentials?: Readonly<Record<string, CredentialSource>>;
  /** Region the application runs in; targets of another partition must then name credentials. */
  readonly homeRegion?: string;
  readonly cooldownStore?: CooldownStoreSpec;
}

export interface ResolvedRouterConfig {
  readonly targets: readonly RouteTarget[];
  readonly settings: RouterSettings;
  readonly credentials: Readonly<Record<string, CredentialSource>>;
  readonly homeRegion?: string;
  readonly cooldownStore?: CooldownStoreSpec;
  /** next_available_time of the seed's file format (epoch ms per target id), to seed the store. */
  readonly initialCooldowns: Readonly<Record<string, number>>;
}

export interface ValidateOptions {
  /** Credential names resolvable outside the config (a registry passed in code). */
  readonly extraCredentialNames?: readonly string[];
  /** Files must not carry secrets: static keys and providers are rejected. */
  readonly fromFile?: boolean;
}

const TARGET_KEYS = ["id", "region", "partition", "credentials", "profilePrefix", "primary", "weight", "endpoint"];
const TOP_KEYS = ["targets", "settings", "credentials", "homeRegion", "cooldownStore"];
const LEGACY_KEYS = ["region", "next_available_time", "primary", "region_profile_prefix"];
const FILE_CREDENTIAL_TYPES = ["default", "profile", "env", "bearer-env"];
const CODE_CREDENTIAL_TYPES = [...FILE_CREDENTIAL_TYPES, "static", "provider", "bearer"];

type Problems = ConfigProblem[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string, problems: Problems): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) problems.push({ path: `${path}${path ? "." : ""}${key}`, message: `unknown key (allowed: ${allowed.join(", ")})` });
  }
}

const SETTING_KINDS: Record<keyof RouterSettings, "posInt" | "nonNegInt" | "posNum" | "bool" | "allCooling"> = {
  maxAttempts: "posInt",
  multiRegion: "bool",
  spreadPrimaries: "bool",
  attemptsPerTarget: "posInt",
  cooldownMs: "nonNegInt",
  crossRegionInference: "bool",
  deadlineMs: "posNum",
  backoffBaseMs: "nonNegInt",
  backoffMaxMs: "nonNegInt",
  connectTimeoutMs: "posNum",
  responseTimeoutMs: "posNum",
  idleTimeoutMs: "posNum",
  whenAllCoolingDown: "allCooling",
};

function validateSettings(raw: unknown, problems: Problems): RouterSettings {
  if (raw === undefined) return DEFAULT_SETTINGS;
  if (!isRecord(raw)) {
    problems.push({ path: "settings", message: "must be an object" });
    return DEFAULT_SETTINGS;
  }
  unknownKeys(raw, Object.keys(SETTING_KINDS), "settings", problems);
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, kind] of Object.entries(SETTING_KINDS)) {
    const v = raw[key];
    if (v === undefined) continue;
    const path = `settings.${key}`;
    const ok =
      kind === "bool"
        ? typeof v === "boolean"
        : kind === "allCooling"
          ? v === "try-soonest" || v === "fail"
          : typeof v === "number" &&
            Number.isFinite(v) &&
            (kind === "posNum" ? v > 0 : kind === "posInt" ? Number.isInteger(v) && v >= 1 : Number.isInteger(v) && v >= 0);
    if (!ok) {
      const expected = {
        bool: "a boolean",
        allCooling: '"try-soonest" or "fail"',
        posNum: "a number > 0",
        posInt: "an integer >= 1",
        nonNegInt: "an integer >= 0",
      }[kind];
      problems.push({ path, message: `must be ${expected} (got ${JSON.stringify(v)})` });
      continue;
    }
    out[key] = v;
  }
  const s = out as unknown as RouterSettings;
  if (s.backoffMaxMs < s.backoffBaseMs) {
    problems.push({ path: "settings.backoffMaxMs", message: `must be >= settings.backoffBaseMs (${s.backoffBaseMs})` });
  }
  return s;
}

function validateCredentials(raw: unknown, fromFile: boolean, problems: Problems): Record<string, CredentialSource> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) {
    problems.push({ path: "credentials", message: "must be an object mapping names to credential sources" });
    return {};
  }
  const allowed = fromFile ? FILE_CREDENTIAL_TYPES : CODE_CREDENTIAL_TYPES;
  const out: Record<string, CredentialSource> = {};
  for (const [name, src] of Object.entries(raw)) {
    const path = `credentials.${name}`;
    if (!isRecord(src) || typeof src.type !== "string" || !allowed.includes(src.type)) {
      problems.push({
        path: `${path}.type`,
        message: `must be one of ${allowed.join(", ")}${fromFile ? " (files never hold secrets: use env, bearer-env or profile)" : ""}`,
      });
      continue;
    }
    const need = (key: string, pattern?: RegExp): boolean => {
      const v = src[key];
      if (typeof v !== "string" || v === "" || (pattern && !pattern.test(v))) {
        problems.push({ path: `${path}.${key}`, message: `required non-empty string${pattern ? ` matching ${pattern}` : ""}` });
        return false;
      }
      return true;
    };
    const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
    const ok =
      src.type === "default" ||
      (src.type === "profile" && need("profile")) ||
      (src.type === "env" && need("prefix", envName)) ||
      (src.type === "bearer-env" && need("variable", envName)) ||
      (src.type === "static" && need("accessKeyId") && need("secretAccessKey")) ||
      (src.type === "bearer" && need("token")) ||
      (src.type === "provider" && (src.provider !== undefined || (problems.push({ path: `${path}.provider`, message: "required" }), false)));
    if (ok) out[name] = src as unknown as CredentialSource;
  }
  return out;
}

function validateCooldownStore(raw: unknown, problems: Problems): CooldownStoreSpec | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    problems.push({ path: "cooldownStore", message: "must be an object" });
    return undefined;
  }
  switch (raw.type) {
    case "memory":
      unknownKeys(raw, ["type"], "cooldownStore", problems);
      return { type: "memory" };
    case "file":
      unknownKeys(raw, ["type", "path", "staleLockMs"], "cooldownStore", problems);
      if (typeof raw.path !== "string" || raw.path === "") {
        problems.push({ path: "cooldownStore.path", message: "required non-empty string" });
        return undefined;
      }
      if (raw.staleLockMs !== undefined && !(typeof raw.staleLockMs === "number" && raw.staleLockMs > 0)) {
        problems.push({ path: "cooldownStore.staleLockMs", message: "must be a number > 0" });
      }
      return raw as CooldownStoreSpec;
    case "redis":
      unknownKeys(raw, ["type", "url", "urlEnv", "keyPrefix"], "cooldownStore", problems);
      for (const key of ["url", "urlEnv", "keyPrefix"]) {
        if (raw[key] !== undefined && typeof raw[key] !== "string") problems.push({ path: `cooldownStore.${key}`, message: "must be a string" });
      }
      return raw as CooldownStoreSpec;
    default:
      problems.push({ path: "cooldownStore.type", message: 'must be "memory", "file" or "redis"' });
      return undefined;
  }
}

function regionPartition(region: string, path: string, problems: Problems): PartitionId | undefined {
  try {
    return partitionOf(region);
  } catch (e) {
    problems.push({ path, message: (e as Error).message });
    return undefined;
  }
}

function validateTarget(
  raw: unknown,
  index: number,
  ctx: { credentialNames: ReadonlySet<string>; homePartition?: PartitionId; homeRegion?: string },
  problems: Problems,
): RouteTarget | undefined {
  const path = `targets[${index}]`;
  if (!isRecord(raw)) {
    problems.push({ path, message: "must be an object" });
    return undefined;
  }
  unknownKeys(raw, TARGET_KEYS, path, problems);
  const before = problems.length;
  const { region } = raw;
  let partition: PartitionId | undefined;
  if (typeof region !== "string" || region === "") {
    problems.push({ path: `${path}.region`, message: "required non-empty string" });
  } else {
    partition = regionPartition(region, `${path}.region`, problems);
    if (partition) {
      const facts = regionFacts(region);
      if (facts.bedrock.mode === "cross-partition") {
        problems.push({
          path: `${path}.region`,
          message: `Bedrock runtime has no endpoint in ${region} (${partition}); target regions of the ${facts.bedrock.via} partition with credentials of an account there`,
        });
      }
      if (raw.partition !== undefined && raw.partition !== partition) {
        problems.push({ path: `${path}.partition`, message: `${JSON.stringify(raw.partition)} does not match ${region}, which is in ${partition}` });
      }
    }
  }
  const id = raw.id ?? region;
  if (typeof id !== "string" || id === "" || /\s/.test(id)) problems.push({ path: `${path}.id`, message: "must be a non-empty string without spaces" });
  if (raw.primary !== undefined && typeof raw.primary !== "boolean") problems.push({ path: `${path}.primary`, message: "must be a boolean" });
  const weight = raw.weight ?? 1;
  if (typeof weight !== "number" || !Number.isFinite(weight) || weight <= 0) {
    problems.push({ path: `${path}.weight`, message: `must be a number > 0 (got ${JSON.stringify(raw.weight)})` });
  }
  let prefix: string | undefined;
  if (raw.profilePrefix !== undefined && raw.profilePrefix !== "") {
    if (typeof raw.profilePrefix !== "string") {
      problems.push({ path: `${path}.profilePrefix`, message: "must be a string" });
    } else {
      prefix = raw.profilePrefix.replace(/\.$/, "");
      if (!PROFILE_PREFIXES.includes(prefix)) {
        problems.push({ path: `${path}.profilePrefix`, message: `unknown inference-profile prefix ${JSON.stringify(raw.profilePrefix)} (known: ${PROFILE_PREFIXES.join(", ")})` });
      } else if (partition && (prefix === "us-gov") !== (partition === "aws-us-gov")) {
        problems.push({ path: `${path}.profilePrefix`, message: `prefix ${JSON.stringify(prefix)} cannot be used in ${String(region)} (${partition})` });
      }
    }
  }
  const credentials = raw.credentials;
  if (credentials !== undefined && (typeof credentials !== "string" || !ctx.credentialNames.has(credentials))) {
    problems.push({
      path: `${path}.credentials`,
      message: `unknown credentials reference ${JSON.stringify(credentials)} (defined: ${[...ctx.credentialNames].join(", ") || "none"})`,
    });
  }
  if (partition && ctx.homePartition && partition !== ctx.homePartition && credentials === undefined) {
    problems.push({
      path: `${path}.credentials`,
      message: `target is in partition ${partition} but the application runs in ${ctx.homeRegion} (${ctx.homePartition}); IAM does not cross partitions, so name credentials of an ${partition} account`,
    });
  }
  let endpoint: string | undefined;
  if (raw.endpoint !== undefined) {
    if (typeof raw.endpoint !== "string" || !/^https?:\/\/[^/\s]+/.test(raw.endpoint)) {
      problems.push({ path: `${path}.endpoint`, message: "must be an http(s) URL" });
    } else {
      endpoint = raw.endpoint.replace(/\/+$/, "");
    }
  }
  if (problems.length > before || !partition) return undefined;
  return {
    id: id as string,
    region: region as string,
    partition,
    ...(credentials !== undefined ? { credentials: credentials as string } : {}),
    ...(prefix ? { profilePrefix: prefix } : {}),
    primary: raw.primary === true,
    weight: weight as number,
    endpoint: endpoint ?? serviceEndpoint("bedrock-runtime", region as string),
  };
}

/** Maps the seed's file format (a bare array of {region, next_available_time, primary, region_profile_prefix}). */
function fromLegacyArray(entries: unknown[], problems: Problems): { input: Record<string, unknown>; initialCooldowns: Record<string, number> } {
  const targets: Record<string, unknown>[] = [];
  const initialCooldowns: Record<string, number> = {};
  entries.forEach((entry, i) => {
    if (!isRecord(entry)) {
      problems.push({ path: `[${i}]`, message: "must be an object" });
      return;
    }
    unknownKeys(entry, LEGACY_KEYS, `[${i}]`, problems);
    const nat = entry.next_available_time ?? 0;
    if (typeof nat !== "number" || !Number.isInteger(nat) || nat < 0) {
      problems.push({ path: `[${i}].next_available_time`, message: "must be an integer >= 0 (epoch seconds)" });
    } else if (nat > 0 && typeof entry.region === "string") {
      initialCooldowns[entry.region] = Math.max(initialCooldowns[entry.region] ?? 0, nat * 1000);
    }
    targets.push({ region: entry.region, primary: entry.primary, profilePrefix: entry.region_profile_prefix });
  });
  // The seed's file may list a region twice; one target per region keeps the cooldown key meaningful.
  const seen = new Set<string>();
  const unique = targets.filter((t) => (typeof t.region === "string" && seen.has(t.region) ? false : (seen.add(String(t.region)), true)));
  return { input: { targets: unique }, initialCooldowns };
}

/** Validates router options (from code or a parsed file); returns every problem instead of throwing. */
export function validateRouterConfig(
  raw: unknown,
  opts: ValidateOptions = {},
): { readonly config?: ResolvedRouterConfig; readonly problems: readonly ConfigProblem[] } {
  const problems: Problems = [];
  let initialCooldowns: Record<string, number> = {};
  let input: unknown = raw;
  if (Array.isArray(raw)) {
    const legacy = fromLegacyArray(raw, problems);
    input = legacy.input;
    initialCooldowns = legacy.initialCooldowns;
  }
  if (!isRecord(input)) {
    return { problems: [{ path: "", message: "configuration must be an object with a targets list (or the seed's array of endpoints)" }] };
  }
  unknownKeys(input, TOP_KEYS, "", problems);
  const settings = validateSettings(input.settings, problems);
  const credentials = validateCredentials(input.credentials, opts.fromFile === true, problems);
  const cooldownStore = validateCooldownStore(input.cooldownStore, problems);
  let homeRegion: string | undefined;
  let homePartition: PartitionId | undefined;
  if (input.homeRegion !== undefined) {
    if (typeof input.homeRegion !== "string") problems.push({ path: "homeRegion", message: "must be a region name" });
    else {
      homeRegion = input.homeRegion;
      homePartition = regionPartition(homeRegion, "homeRegion", problems);
    }
  }
  const credentialNames = new Set([...Object.keys(isRecord(input.credentials) ? input.credentials : {}), ...(opts.extraCredentialNames ?? [])]);
  const targets: RouteTarget[] = [];
  if (!Array.isArray(input.targets) || input.targets.length === 0) {
    problems.push({ path: "targets", message: "required: a non-empty list of targets" });
  } else {
    const ids = new Map<string, number>();
    input.targets.forEach((t, i) => {
      const target = validateTarget(t, i, { credentialNames, homePartition, homeRegion }, problems);
      const id = isRecord(t) ? (t.id ?? t.region) : undefined;
      if (typeof id === "string") {
        const dup = ids.get(id);
        if (dup !== undefined) problems.push({ path: `targets[${i}].id`, message: `duplicate id ${JSON.stringify(id)} (also targets[${dup}]); set distinct ids` });
        else ids.set(id, i);
      }
      if (target) targets.push(target);
    });
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    config: {
      targets,
      settings,
      credentials,
      ...(homeRegion ? { homeRegion } : {}),
      ...(cooldownStore ? { cooldownStore } : {}),
      initialCooldowns,
    },
  };
}

/** Like validateRouterConfig but throws RouterConfigError listing every problem. */
export function resolveRouterConfig(raw: unknown, opts: ValidateOptions & { source?: string } = {}): ResolvedRouterConfig {
  const { config, problems } = validateRouterConfig(raw, opts);
  if (!config) throw new RouterConfigError(problems, opts.source);
  return config;
}

/** Parses configuration text; `format` defaults to YAML (a superset of JSON). */
export function parseEndpointConfig(text: string, opts: ValidateOptions & { format?: "json" | "yaml"; source?: string } = {}): ResolvedRouterConfig {
  let raw: unknown;
  try {
    raw = opts.format === "json" ? JSON.parse(text) : yaml.load(text, { schema: yaml.JSON_SCHEMA });
  } catch (e) {
    throw new RouterConfigError([{ path: "", message: `cannot parse ${opts.format ?? "YAML/JSON"}: ${(e as Error).message.split("\n")[0]}` }], opts.source);
  }
  return resolveRouterConfig(raw, { ...opts, fromFile: true });
}

/**
 * Loads an endpoint configuration file (.json, .yaml, .yml, or the seed's .conf JSON array). A file cooldown store path
 * is resolved against the file's folder.
 */
export function loadEndpointConfig(path: string, opts: ValidateOptions = {}): ResolvedRouterConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new RouterConfigError([{ path: "", message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }], path);
  }
  const ext = extname(path).toLowerCase();
  const format = ext === ".json" || ext === ".conf" ? "json" : "yaml";
  const config = parseEndpointConfig(text, { ...opts, format, source: path });
  if (config.cooldownStore?.type === "file") {
    return { ...config, cooldownStore: { ...config.cooldownStore, path: resolvePath(dirname(path), config.cooldownStore.path) } };
  }
  return config;
}
