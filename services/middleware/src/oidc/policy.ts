/** What an OIDC-authenticated user may ask LiteLLM for on their own (closing the older "any field passes" gap). */
export interface SelfServicePolicy {
  /** Body fields a user may set, e.g. ["key_alias", "duration", "models", "max_budget", "metadata"]. */
  allowedFields: string[];
  /** Upper bound (and default) for max_budget / soft_budget. Default: no cap. */
  maxBudget?: number;
  /** Keys one user may hold; checked through LiteLLM /key/list before /key/generate. Default: no limit. */
  maxKeys?: number;
  /** Models a user may get; requested models are intersected with it and it is the default. Default: no restriction. */
  allowedModels?: string[];
}

/** Identity fields: always taken from the verified token, never from the body (listing them in allowedFields is harmless). */
export const IDENTITY_FIELDS: ReadonlySet<string> = new Set(["user_id", "user_email", "user_role"]);

/**
 * Fields that grant tenancy or privileges. Never taken from a self-service body; a policy that lists one in
 * allowedFields is refused at startup, because the operator evidently expects it to work.
 */
export const ADMIN_FIELDS: ReadonlySet<string> = new Set([
  "role",
  "teams",
  "team_id",
  "team_alias",
  "organization_id",
  "organizations",
  "org_id",
  "spend",
  "permissions",
  "allowed_routes",
  "key_type",
  "key",
  "token",
  "blocked",
  "object_permission",
]);

export class PolicyInputError extends Error {
  override readonly name = "PolicyInputError";
}

/** Throws listing every problem with an operator-supplied policy. */
export function validatePolicy(policy: SelfServicePolicy): void {
  const problems: string[] = [];
  if (!Array.isArray(policy.allowedFields) || policy.allowedFields.some((f) => typeof f !== "string")) problems.push("allowedFields must be an array of field names");
  else {
    const admin = policy.allowedFields.filter((f) => ADMIN_FIELDS.has(f));
    if (admin.length > 0) problems.push(`allowedFields must not contain admin fields: ${admin.join(", ")}`);
  }
  if (policy.maxBudget !== undefined && !(Number.isFinite(policy.maxBudget) && policy.maxBudget >= 0)) problems.push("maxBudget must be a number >= 0");
  if (policy.maxKeys !== undefined && !(Number.isInteger(policy.maxKeys) && policy.maxKeys >= 1)) problems.push("maxKeys must be an integer >= 1");
  if (policy.allowedModels !== undefined && (!Array.isArray(policy.allowedModels) || policy.allowedModels.length === 0 || policy.allowedModels.some((m) => typeof m !== "string" || !m))) {
    // LiteLLM reads models: [] as "every model", so an empty allow-list would grant everything.
    problems.push("allowedModels must be a non-empty array of model names (LiteLLM treats [] as all models)");
  }
  if (problems.length > 0) throw new Error(`invalid self-service policy:\n${problems.join("\n")}`);
}

function capBudget(field: string, value: unknown, cap: number | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new PolicyInputError(`${field} must be a number >= 0`);
  return cap === undefined ? value : Math.min(value, cap);
}

function pickModels(value: unknown, allowed: readonly string[] | undefined): string[] | undefined {
  if (value !== undefined && (!Array.isArray(value) || value.some((m) => typeof m !== "string"))) throw new PolicyInputError("models must be an array of model names");
  const requested = value as string[] | undefined;
  if (!allowed) return requested;
  // [] means "all models" to LiteLLM: for a restricted user that is the allow-list.
  if (!requested || requested.length === 0) return [...allowed];
  const granted = requested.filter((m) => allowed.includes(m));
  if (granted.length === 0) throw new PolicyInputError(`none of the requested models is available for self-service; allowed: ${allowed.join(", ")}`);
  return granted;
}

/**
 * The body sent to LiteLLM: only allowed fields, budgets capped, models intersected, then `forced` (identity)
 * written last so nothing in the request can override it.
 */
export function applyPolicy(body: Record<string, unknown>, policy: SelfServicePolicy, forced: Record<string, unknown>): Record<string, unknown> {
  const allowed = new Set(policy.allowedFields.filter((f) => !ADMIN_FIELDS.has(f) && !IDENTITY_FIELDS.has(f)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (allowed.has(k) && v !== undefined) out[k] = v;

  const maxBudget = capBudget("max_budget", out.max_budget, policy.maxBudget) ?? policy.maxBudget;
  if (maxBudget !== undefined) out.max_budget = maxBudget;
  else delete out.max_budget;
  const softBudget = capBudget("soft_budget", out.soft_budget, policy.maxBudget);
  if (softBudget !== undefined) out.soft_budget = softBudget;
  else delete out.soft_budget;

  const models = pickModels(out.models, policy.allowedModels);
  if (models !== undefined) out.models = models;
  else delete out.models;

  return { ...out, ...forced };
}
