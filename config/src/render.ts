// renderLiteLLMConfig(): base.yaml + the region's Bedrock catalog + the deployment settings -> one validated,
// deterministic LiteLLM config.yaml with its sha256. The hash is what rolls the service when the config changes.
import { createHash } from "node:crypto";
import yaml from "js-yaml";
import { partitionOf, regionFacts, serviceEndpoint, UnknownRegionError } from "@gw/partition";
import { CATALOG_DIR, borrowedCatalogOffline, chooseCatalog, readCatalogFile } from "./catalog";
import { ConfigError, type ConfigProblem } from "./errors";
import type { Settings } from "./types";
import { deepFreeze } from "./util";
import { PROVIDER_KEY_NAMES } from "./variables";
import { callbackSecretKeys, GLOBAL_BEDROCK_SECRET_KEYS } from "./secret-keys";

export interface RenderedLiteLLMConfig {
  readonly yaml: string;
  /** sha256 hex of `yaml`. */
  readonly hash: string;
  readonly config: Record<string, unknown>;
  /** Every os.environ/X name the config uses, sorted. */
  readonly envReferences: readonly string[];
  /** Plain (non-secret) environment the LiteLLM container needs besides the secrets, e.g. the local cost map in
   * outbound-disabled mode. LOG_BUCKET_ENV is not included: its value is the bucket the base stack creates. */
  readonly plainEnvironment: Readonly<Record<string, string>>;
  /** Region whose catalog was used (undefined = base only). */
  readonly catalogRegion?: string;
  /** Non-fatal notes: nearest-catalog fallback, models left out because their key is not set, ... */
  readonly warnings: readonly string[];
}

export interface RenderOptions {
  /** Environment names the container receives from secrets. Default: litellmSecretNames(settings). */
  readonly secretNames?: readonly string[];
  /** Catalog directory. Default config/litellm. */
  readonly catalogDir?: string;
}

/** Plain environment variable that carries the LiteLLM log bucket's name (set by the stack from the bucket it creates). */
export const LOG_BUCKET_ENV = "LITELLM_LOG_BUCKET_NAME";

/** Secret-backed environment names available to the LiteLLM container (CONTRACTS.md). */
export function litellmSecretNames(settings: Settings): string[] {
  const names = ["LITELLM_MASTER_KEY", "LITELLM_SALT_KEY", "DATABASE_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", ...settings.providerKeys];
  names.push(...callbackSecretKeys(settings.observability.callbacks));
  if (isChina(settings)) names.push(...GLOBAL_BEDROCK_SECRET_KEYS);
  return names;
}

const TOP_LEVEL_KEYS = new Set([
  "model_list", "litellm_settings", "router_settings", "general_settings", "environment_variables", "guardrails",
  "credential_list", "callback_settings", "mcp_servers", "vector_store_registry", "prompts", "search_tools",
]);
const REGION_TOP_LEVEL_KEYS = new Set(["model_list", "router_settings"]);
const REGION_ROUTER_KEYS = new Set(["model_group_alias", "fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "default_fallbacks"]);
const ENTRY_KEYS = new Set(["model_name", "litellm_params", "model_info"]);
const LITELLM_PARAMS_KEYS = new Set([
  "model", "api_key", "api_base", "api_version", "organization", "custom_llm_provider", "timeout", "stream_timeout",
  "max_retries", "rpm", "tpm", "weight", "order", "tags", "drop_params", "additional_drop_params", "max_tokens",
  "temperature", "input_cost_per_token", "output_cost_per_token", "input_cost_per_second", "output_cost_per_second",
  "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region_name", "aws_role_name",
  "aws_session_name", "aws_profile_name", "aws_web_identity_token", "aws_sts_endpoint", "aws_bedrock_runtime_endpoint",
  "aws_external_id", "region_name", "vertex_project", "vertex_location", "vertex_credentials", "litellm_credential_name",
  "use_in_pass_through", "merge_reasoning_content_in_choices", "cache_control_injection_points", "mock_response",
  "max_budget", "budget_duration", "configurable_clientside_auth_params", "model_info", "guardrails", "api_type",
]);
/** Deterministic key order: the important keys first, everything else alphabetically. */
const KEY_PRIORITY = ["model_list", "router_settings", "litellm_settings", "general_settings", "environment_variables", "model_name", "litellm_params", "model_info", "model", "aws_region_name"];
const ENV_REF = /^os\.environ\/(.+)$/;
const AWS_MODEL = /^(bedrock|sagemaker|sagemaker_chat)\//;

type Json = Record<string, unknown>;
interface Entry { readonly value: Json; readonly where: string }

function isChina(settings: Settings): boolean {
  return regionFacts(settings.region).bedrock.mode === "cross-partition";
}

/** Partition whose Bedrock the region calls (aws for China). */
function bedrockPartitionOf(region: string): string {
  const b = regionFacts(region).bedrock;
  return b.mode === "in-region" ? partitionOf(region) : b.via;
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

export function renderLiteLLMConfig(settings: Settings, opts: RenderOptions = {}): RenderedLiteLLMConfig {
  const dir = opts.catalogDir ?? CATALOG_DIR;
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const china = isChina(settings);
  const bedrockPartition = bedrockPartitionOf(settings.region);

  // --- read ----------------------------------------------------------------------------------------------------
  const baseFile = readCatalogFile(dir, "base.yaml");
  if (baseFile.error) problems.push({ where: "base.yaml", message: baseFile.error });
  const base = baseFile.data ?? {};
  for (const key of Object.keys(base)) {
    if (!TOP_LEVEL_KEYS.has(key)) problems.push({ where: `base.yaml: ${key}`, message: `unknown top-level key; LiteLLM accepts ${[...TOP_LEVEL_KEYS].join(", ")}` });
  }
  const choice = chooseCatalog(settings.region, dir);
  const catalogRegion = choice.kind === "none" ? undefined : choice.catalogRegion;
  const regionFileName = catalogRegion ? `${catalogRegion}.yaml` : undefined;
  let regional: Json = {};
  if (regionFileName) {
    const f = readCatalogFile(dir, regionFileName);
    if (f.error) problems.push({ where: regionFileName, message: f.error });
    regional = f.data ?? {};
    for (const key of Object.keys(regional)) {
      if (!REGION_TOP_LEVEL_KEYS.has(key)) problems.push({ where: `${regionFileName}: ${key}`, message: "region catalogs may only contain model_list and router_settings (put shared settings in base.yaml)" });
    }
    const rs = regional.router_settings;
    if (rs !== undefined && !isObject(rs)) problems.push({ where: `${regionFileName}: router_settings`, message: "must be a mapping" });
    for (const key of Object.keys(isObject(rs) ? rs : {})) {
      if (!REGION_ROUTER_KEYS.has(key)) problems.push({ where: `${regionFileName}: router_settings.${key}`, message: `region catalogs may only set ${[...REGION_ROUTER_KEYS].join(", ")}` });
    }
  }
  if (choice.kind === "nearest" && settings.network.outboundDisabled) {
    problems.push({ where: `AWS_REGION + DISABLE_OUTBOUND_NETWORK_ACCESS`, message: borrowedCatalogOffline(settings.region, choice.catalogRegion) });
  } else if (choice.kind === "nearest") {
    warnings.push(`${settings.region} has no Bedrock catalog of its own; using ${choice.catalogRegion}'s, so Bedrock calls go to ${choice.catalogRegion} (check data-residency requirements, or add config/litellm/${settings.region}.yaml).`);
  } else if (choice.kind === "none") {
    warnings.push(`${settings.region} has no Bedrock catalog; the config holds only the base (third-party) models. Add config/litellm/${settings.region}.yaml.`);
  }

  // --- model list ----------------------------------------------------------------------------------------------
  const entries = [...listOf(base, "base.yaml", problems), ...(regionFileName ? listOf(regional, regionFileName, problems) : [])];
  const catalogNames = new Set<string>();
  const kept: Json[] = [];
  const missingKeys = new Map<string, number>();
  let droppedOffline = 0;
  const coveredGlobal = new Set<string>();
  for (const { value, where } of entries) {
    const entry = checkEntry(value, where, problems);
    if (!entry) continue;
    catalogNames.add(entry.model_name as string);
    const lp = entry.litellm_params as Json;
    const model = lp.model as string;
    if (!AWS_MODEL.test(model)) {
      if (settings.network.outboundDisabled) {
        droppedOffline++;
        continue;
      }
      const unsetKeys = envRefs(lp).filter((n) => PROVIDER_KEY_NAMES.includes(n) && !settings.providerKeys.includes(n));
      if (unsetKeys.length > 0) {
        for (const k of unsetKeys) missingKeys.set(k, (missingKeys.get(k) ?? 0) + 1);
        continue;
      }
      kept.push(entry);
      continue;
    }
    const region = (lp.aws_region_name as string | undefined) ?? catalogRegion;
    if (!region) {
      problems.push({ where, message: "Bedrock deployment without aws_region_name outside a region catalog" });
      continue;
    }
    let p: string;
    try {
      p = partitionOf(region);
    } catch (e) {
      if (!(e instanceof UnknownRegionError)) throw e;
      problems.push({ where: `${where}.litellm_params.aws_region_name`, message: e.message });
      continue;
    }
    if (p !== bedrockPartition) {
      problems.push({ where: `${where}.litellm_params.aws_region_name`, message: `${region} is in ${p}; Bedrock for ${settings.region} is reached in ${bedrockPartition}` });
      continue;
    }
    if (china) {
      if (lp.aws_access_key_id !== "os.environ/GLOBAL_BEDROCK_ACCESS_KEY_ID" || lp.aws_secret_access_key !== "os.environ/GLOBAL_BEDROCK_SECRET_ACCESS_KEY") {
        problems.push({ where, message: "China deployments must carry aws_access_key_id/aws_secret_access_key: os.environ/GLOBAL_BEDROCK_ACCESS_KEY_ID / GLOBAL_BEDROCK_SECRET_ACCESS_KEY (IAM credentials do not cross partitions)" });
        continue;
      }
      coveredGlobal.add(region);
      if (!settings.chinaBedrock.globalRegions.includes(region)) continue;
      lp.aws_bedrock_runtime_endpoint = serviceEndpoint("bedrock-runtime", region);
    }
    lp.aws_region_name = region;
    kept.push(entry);
  }
  if (china && regionFileName) {
    const uncovered = settings.chinaBedrock.globalRegions.filter((r) => !coveredGlobal.has(r));
    if (uncovered.length > 0) {
      problems.push({
        where: `GLOBAL_BEDROCK_REGIONS (${regionFileName})`,
        message: `${uncovered.join(", ")} has no deployments in the catalog, which covers ${[...coveredGlobal].sort().join(", ")}; choose among those or add deployments to config/litellm/${regionFileName}`,
      });
    }
  }
  if (missingKeys.size > 0) {
    const list = [...missingKeys].sort().map(([k, n]) => `${k} (${n})`).join(", ");
    warnings.push(`Third-party models left out because their provider key is not set: ${list}.`);
  }
  if (droppedOffline > 0) warnings.push(`${droppedOffline} third-party model(s) left out because DISABLE_OUTBOUND_NETWORK_ACCESS=true.`);

  // --- sections ------------------------------------------------------------------------------------------------
  const config: Json = {};
  for (const [k, v] of Object.entries(base)) if (k !== "model_list") config[k] = clone(v);
  config.model_list = kept;
  const router: Json = isObject(config.router_settings) ? (config.router_settings as Json) : {};
  const regionalRouter = isObject(regional.router_settings) ? (regional.router_settings as Json) : {};
  for (const [k, v] of Object.entries(regionalRouter)) {
    router[k] = Array.isArray(v) && Array.isArray(router[k]) ? [...(router[k] as unknown[]), ...clone(v)] : isObject(v) && isObject(router[k]) ? { ...(router[k] as Json), ...clone(v) } : clone(v);
  }
  config.router_settings = router;
  const ls: Json = isObject(config.litellm_settings) ? (config.litellm_settings as Json) : {};
  const callbacks = [...settings.observability.callbacks];
  ls.success_callback = callbacks;
  ls.failure_callback = callbacks;
  ls.s3_callback_params = { s3_bucket_name: `os.environ/${LOG_BUCKET_ENV}`, s3_region_name: settings.region, s3_path: `litellm/${settings.deploymentName}` };
  config.litellm_settings = ls;
  const plainEnvironment: Record<string, string> = { REDIS_SSL: "True" };
  if (settings.network.outboundDisabled) {
    // The model cost map is otherwise fetched from GitHub at start-up.
    plainEnvironment.LITELLM_LOCAL_MODEL_COST_MAP = "True";
    config.environment_variables = { ...(isObject(config.environment_variables) ? (config.environment_variables as Json) : {}), LITELLM_LOCAL_MODEL_COST_MAP: "True" };
  }

  // --- validate ------------------------------------------------------------------------------------------------
  const finalNames = new Set(kept.map((e) => e.model_name as string));
  checkDuplicates(kept, problems);
  pruneModelReferences(router, finalNames, catalogNames, problems, warnings);
  const available = new Set([...(opts.secretNames ?? litellmSecretNames(settings)), LOG_BUCKET_ENV, ...Object.keys(plainEnvironment)]);
  const refs = new Set<string>();
  walkEnvRefs(config, "", (name, path) => {
    refs.add(name);
    if (!available.has(name)) problems.push({ where: path, message: `os.environ/${name} has no secret or variable behind it in the LiteLLM container; available: ${[...available].sort().join(", ")}` });
  });
  if (kept.length === 0) warnings.push("The rendered model list is empty: add models through the admin UI (store_model_in_db) or set provider keys.");
  if (problems.length > 0) throw new ConfigError(problems);

  const header = [
    `# LiteLLM config for ${settings.deploymentName} in ${settings.region} (${settings.partition}), rendered by @gw/config.`,
    `# Do not edit: change config/litellm/*.yaml or the deployment settings and render again (pnpm config:render).`,
  ].join("\n");
  const text = `${header}\n${yaml.dump(config, { sortKeys: compareKeys, lineWidth: -1, noRefs: true, quotingType: '"' })}`;
  return Object.freeze({
    yaml: text,
    hash: createHash("sha256").update(text).digest("hex"),
    config: deepFreeze(yaml.load(text) as Json),
    envReferences: Object.freeze([...refs].sort()),
    plainEnvironment: Object.freeze(plainEnvironment),
    ...(catalogRegion ? { catalogRegion } : {}),
    warnings: Object.freeze(warnings),
  });
}

function listOf(doc: Json, file: string, problems: ConfigProblem[]): Entry[] {
  const list = doc.model_list;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.push({ where: `${file}: model_list`, message: "must be a list" });
    return [];
  }
  return list.map((value, i) => ({ value: value as Json, where: `${file}: model_list[${i}]` }));
}

function checkEntry(value: unknown, where: string, problems: ConfigProblem[]): Json | undefined {
  if (!isObject(value)) {
    problems.push({ where, message: "must be a mapping with model_name and litellm_params" });
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!ENTRY_KEYS.has(key)) {
      problems.push({ where: `${where}.${key}`, message: `unknown key; a model entry has ${[...ENTRY_KEYS].join(", ")}` });
      ok = false;
    }
  }
  if (typeof value.model_name !== "string" || value.model_name === "") {
    problems.push({ where: `${where}.model_name`, message: "missing or not a string" });
    ok = false;
  }
  const lp = value.litellm_params;
  if (!isObject(lp) || typeof lp.model !== "string" || lp.model === "") {
    problems.push({ where: `${where}.litellm_params`, message: "must be a mapping with a model string (e.g. bedrock/<model id>)" });
    return undefined;
  }
  for (const key of Object.keys(lp)) {
    if (!LITELLM_PARAMS_KEYS.has(key)) {
      problems.push({ where: `${where}.litellm_params.${key}`, message: "unknown litellm_params key (typo?)" });
      ok = false;
    }
  }
  return ok ? clone(value) : undefined;
}

function checkDuplicates(entries: readonly Json[], problems: ConfigProblem[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    const lp = e.litellm_params as Json;
    const key = `${e.model_name} | ${lp.model} | ${lp.aws_region_name ?? lp.api_base ?? ""}`;
    if (seen.has(key)) problems.push({ where: `model_list: ${e.model_name}`, message: `duplicate deployment (same model_name, model and region: ${key}); remove one` });
    seen.add(key);
  }
}

/**
 * Fallbacks and aliases may name models the settings removed (unset provider key, region not in
 * GLOBAL_BEDROCK_REGIONS): those references are dropped with a warning. Names that no catalog defines are errors.
 */
function pruneModelReferences(router: Json, finalNames: Set<string>, catalogNames: Set<string>, problems: ConfigProblem[], warnings: string[]): void {
  const check = (name: unknown, where: string): boolean => {
    if (typeof name !== "string") {
      problems.push({ where, message: "must be a model_name string" });
      return false;
    }
    if (finalNames.has(name)) return true;
    if (catalogNames.has(name)) {
      warnings.push(`${where}: ${name} is not deployed with these settings; reference dropped.`);
      return false;
    }
    problems.push({ where, message: `${name} is not a model_name of the catalogs` });
    return false;
  };
  for (const key of ["fallbacks", "context_window_fallbacks", "content_policy_fallbacks"]) {
    const list = router[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push({ where: `router_settings.${key}`, message: "must be a list of {model_name: [fallback model_names]}" });
      continue;
    }
    const out: Json[] = [];
    for (const [i, item] of list.entries()) {
      if (!isObject(item)) {
        problems.push({ where: `router_settings.${key}[${i}]`, message: "must be {model_name: [fallback model_names]}" });
        continue;
      }
      for (const [from, targets] of Object.entries(item)) {
        const where = `router_settings.${key}[${i}]`;
        if (!Array.isArray(targets)) {
          problems.push({ where, message: `${from}: fallbacks must be a list` });
          continue;
        }
        if (!check(from, where)) continue;
        const to = targets.filter((t) => check(t, `${where}.${from}`));
        if (to.length > 0) out.push({ [from]: to });
      }
    }
    if (out.length > 0) router[key] = out;
    else delete router[key];
  }
  if (router.default_fallbacks !== undefined) {
    const list = Array.isArray(router.default_fallbacks) ? router.default_fallbacks : [];
    const to = list.filter((t) => check(t, "router_settings.default_fallbacks"));
    if (to.length > 0) router.default_fallbacks = to;
    else delete router.default_fallbacks;
  }
  const aliases = router.model_group_alias;
  if (aliases !== undefined) {
    if (!isObject(aliases)) {
      problems.push({ where: "router_settings.model_group_alias", message: "must be a mapping alias -> model_name" });
      return;
    }
    const out: Json = {};
    for (const [alias, target] of Object.entries(aliases)) {
      const where = `router_settings.model_group_alias.${alias}`;
      if (finalNames.has(alias)) {
        problems.push({ where, message: `alias ${alias} is also a model_name; rename the alias` });
        continue;
      }
      const name = isObject(target) ? target.model : target;
      if (check(name, where)) out[alias] = target;
    }
    if (Object.keys(out).length > 0) router.model_group_alias = out;
    else delete router.model_group_alias;
  }
}

function envRefs(o: unknown): string[] {
  const out: string[] = [];
  walkEnvRefs(o, "", (n) => out.push(n));
  return out;
}

function walkEnvRefs(o: unknown, path: string, visit: (name: string, path: string) => void): void {
  if (typeof o === "string") {
    const m = ENV_REF.exec(o);
    if (m) visit(m[1]!, path || "(root)");
  } else if (Array.isArray(o)) {
    o.forEach((v, i) => walkEnvRefs(v, `${path}[${i}]`, visit));
  } else if (isObject(o)) {
    for (const [k, v] of Object.entries(o)) {
      const label = k === "litellm_params" && isObject(o) && typeof o.model_name === "string" ? `${path}(${o.model_name}).${k}` : `${path ? `${path}.` : ""}${k}`;
      walkEnvRefs(v, label, visit);
    }
  }
}

function compareKeys(a: string, b: string): number {
  const ra = KEY_PRIORITY.indexOf(a);
  const rb = KEY_PRIORITY.indexOf(b);
  if (ra !== rb) return (ra < 0 ? Infinity : ra) - (rb < 0 ? Infinity : rb);
  return a < b ? -1 : a > b ? 1 : 0;
}
