// OIDC self sign-up settings: the JWS algorithm allow-list and the self-service policy the middleware enforces.
// Checked at synth time because the middleware refuses the same mistakes at start-up, where they crash-loop a task.
import type { EnvReader } from "./env-reader";
import type { SignupPolicySettings } from "./types";

/** Asymmetric JWS algorithms the middleware's verifier accepts ("none" and HS* are refused there too). */
export const PERMITTED_OIDC_ALGORITHMS: readonly string[] = Object.freeze([
  "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
]);

/** Fields that grant tenancy or privileges; the middleware refuses a policy that allows one. */
export const SIGNUP_ADMIN_FIELDS: readonly string[] = Object.freeze([
  "role", "teams", "team_id", "team_alias", "organization_id", "organizations", "org_id", "spend", "permissions",
  "allowed_routes", "key_type", "key", "token", "blocked", "object_permission",
]);

export const SIGNUP_VARIABLES: readonly string[] = Object.freeze([
  "OIDC_ALGORITHMS", "SIGNUP_ALLOWED_FIELDS", "SIGNUP_MAX_BUDGET", "SIGNUP_ALLOWED_MODELS", "SIGNUP_MAX_KEYS",
]);

const FIELD_RE = /^[a-z][a-z0-9_]*$/;
const CANONICAL_ALGORITHMS = new Map(PERMITTED_OIDC_ALGORITHMS.map((a) => [a.toLowerCase(), a]));

/** Comma list without blanks and repeats; a value that lists nothing is a problem (`emptyFix` says what to do). */
function list(r: EnvReader, name: string, emptyFix: string): string[] | undefined {
  const raw = r.string(name);
  if (raw === undefined) return undefined;
  const items = [...new Set(raw.split(",").map((s) => s.trim()).filter(Boolean))];
  if (items.length === 0) r.problem(name, `"${raw}" lists nothing; ${emptyFix}`);
  return items;
}

/** OIDC_ALGORITHMS in canonical spelling, or undefined for the middleware's default. */
export function readOidcAlgorithms(r: EnvReader): readonly string[] | undefined {
  const names = list(r, "OIDC_ALGORITHMS", "give comma-separated algorithms (e.g. RS256,ES256) or remove the line for the middleware's default");
  if (!names || names.length === 0) return undefined;
  const out: string[] = [];
  const refused: string[] = [];
  for (const n of names) {
    const canonical = CANONICAL_ALGORITHMS.get(n.toLowerCase());
    if (canonical) out.push(canonical);
    else refused.push(n);
  }
  if (refused.length > 0) {
    r.problem(
      "OIDC_ALGORITHMS",
      `${refused.join(", ")} not accepted: only asymmetric algorithms verify against the issuer's published keys ("none" and HS* would let anyone holding public key material mint tokens); use ${PERMITTED_OIDC_ALGORITHMS.join(", ")}`,
    );
    return undefined;
  }
  return [...new Set(out)];
}

export function readSignupPolicy(r: EnvReader): SignupPolicySettings {
  const allowedFields = list(r, "SIGNUP_ALLOWED_FIELDS", "give comma-separated field names or remove the line for the default") ?? [];
  const badNames = allowedFields.filter((f) => !FIELD_RE.test(f));
  if (badNames.length > 0) r.problem("SIGNUP_ALLOWED_FIELDS", `${badNames.map((f) => `"${f}"`).join(", ")} is not a request field name (lower-case letters, digits and underscores, e.g. user_alias)`);
  const admin = allowedFields.filter((f) => SIGNUP_ADMIN_FIELDS.includes(f));
  if (admin.length > 0) {
    r.problem("SIGNUP_ALLOWED_FIELDS", `${admin.join(", ")} grant tenancy or privileges and cannot be self-service (the middleware refuses to start); remove them`);
  }

  let maxBudget: number | undefined;
  const budgetRaw = r.string("SIGNUP_MAX_BUDGET");
  if (budgetRaw !== undefined) {
    maxBudget = Number(budgetRaw);
    if (!/^\d+(\.\d+)?$/.test(budgetRaw) || !(maxBudget > 0)) {
      r.problem("SIGNUP_MAX_BUDGET", `"${budgetRaw}" is not a positive amount; give the budget cap in USD, e.g. 25 or 12.5, or remove the line for no cap`);
      maxBudget = undefined;
    }
  }
  const allowedModels = list(r, "SIGNUP_ALLOWED_MODELS", "LiteLLM reads an empty model list as every model: name at least one model, or remove the line to allow every model");
  const maxKeys = r.int("SIGNUP_MAX_KEYS", 1, 1_000_000, "keys per user");
  return {
    allowedFields,
    ...(maxBudget !== undefined ? { maxBudget } : {}),
    ...(allowedModels && allowedModels.length > 0 ? { allowedModels } : {}),
    ...(maxKeys !== undefined ? { maxKeys } : {}),
  };
}
