/** In-memory LiteLLM virtual keys and users: what /key/generate, /user/new and /key/info manage. */
import { randomBytes } from "node:crypto";
import { MESSAGES } from "./errors";
import type { ResolvedOptions } from "./options";

export interface KeyRecord {
  readonly key: string;
  readonly keyAlias: string | null;
  readonly keyName: string;
  readonly userId: string | null;
  readonly teamId: string | null;
  readonly models: string[];
  readonly maxBudget: number | null;
  readonly duration: string | null;
  readonly expires: string | null;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: string;
  spend: number;
}

export interface UserRecord {
  readonly userId: string;
  readonly userEmail: string | null;
  readonly userRole: string;
  readonly maxBudget: number | null;
  readonly models: string[];
  readonly createdAt: string;
}

export type AuthResult = { ok: true; key: string; record?: KeyRecord; master: boolean } | { ok: false; status: 401; message: string };

/** Extracts the bearer token (LiteLLM also accepts the bare key in Authorization or x-litellm-api-key / api-key). */
export function bearerOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  const value = Array.isArray(auth) ? auth[0] : auth;
  if (value) return value.startsWith("Bearer ") ? value.slice(7).trim() : value.trim();
  const alt = headers["x-litellm-api-key"] ?? headers["api-key"];
  return (Array.isArray(alt) ? alt[0] : alt) || undefined;
}

function expiry(duration: string | null): string | null {
  if (!duration) return null;
  const m = /^(\d+)([smhd])$/.exec(duration);
  if (!m) return null;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"];
  return new Date(Date.now() + Number(m[1]) * unit * 1000).toISOString();
}

function str(v: unknown): string | null {
  return typeof v === "string" && v ? v : null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export class KeyStore {
  private keys = new Map<string, KeyRecord>();
  private users = new Map<string, UserRecord>();

  constructor(private readonly opts: () => ResolvedOptions) {}

  /** Checks a bearer for the OpenAI/LiteLLM routes. */
  authenticate(headers: Record<string, string | string[] | undefined>, model?: string): AuthResult {
    const key = bearerOf(headers);
    const o = this.opts();
    if (!key) return { ok: false, status: 401, message: MESSAGES.missingKey };
    if (o.rejectKeys.includes(key)) return { ok: false, status: 401, message: MESSAGES.invalidKey };
    if (key === o.masterKey) return { ok: true, key, master: true };
    const record = this.keys.get(key);
    if (record) {
      if (record.expires && Date.parse(record.expires) < Date.now()) return { ok: false, status: 401, message: MESSAGES.invalidKey };
      if (model && record.models.length && !record.models.includes(model) && !record.models.includes("all-proxy-models"))
        return { ok: false, status: 401, message: MESSAGES.modelNotAllowed(model) };
      return { ok: true, key, record, master: false };
    }
    if (o.keys.includes(key) || (o.acceptAnyKey && key.startsWith("sk-"))) return { ok: true, key, master: false };
    return { ok: false, status: 401, message: MESSAGES.invalidKey };
  }

  /** A minted key's record, or one made up for a registered (or, with acceptAnyKey, any accepted) key: LiteLLM answers 200 for every valid key. */
  infoFor(key: string): KeyRecord | undefined {
    const minted = this.keys.get(key);
    if (minted) return minted;
    const o = this.opts();
    if (o.rejectKeys.includes(key) || !(o.keys.includes(key) || (o.acceptAnyKey && key.startsWith("sk-")))) return undefined;
    return { key, keyAlias: null, keyName: `sk-...${key.slice(-4)}`, userId: null, teamId: null, models: [], maxBudget: null, duration: null, expires: null, metadata: {}, createdAt: new Date(0).toISOString(), spend: 0 };
  }

  generate(body: Record<string, unknown>): KeyRecord {
    const duration = str(body.duration);
    const requested = str(body.key);
    const record: KeyRecord = {
      key: requested ?? `sk-${randomBytes(16).toString("base64url")}`,
      keyAlias: str(body.key_alias),
      keyName: "",
      userId: str(body.user_id),
      teamId: str(body.team_id),
      models: strings(body.models),
      maxBudget: typeof body.max_budget === "number" ? body.max_budget : null,
      duration,
      expires: expiry(duration),
      metadata: body.metadata && typeof body.metadata === "object" ? (body.metadata as Record<string, unknown>) : {},
      createdAt: new Date().toISOString(),
      spend: 0,
    };
    const named = { ...record, keyName: `sk-...${record.key.slice(-4)}` };
    this.keys.set(named.key, named);
    return named;
  }

  newUser(body: Record<string, unknown>): { user: UserRecord; key: KeyRecord } {
    const user: UserRecord = {
      userId: str(body.user_id) ?? `user-${randomBytes(6).toString("hex")}`,
      userEmail: str(body.user_email),
      userRole: str(body.user_role) ?? "internal_user",
      maxBudget: typeof body.max_budget === "number" ? body.max_budget : null,
      models: strings(body.models),
      createdAt: new Date().toISOString(),
    };
    this.users.set(user.userId, user);
    const key = this.generate({ ...body, user_id: user.userId, key: undefined });
    return { user, key };
  }

  /** Minted keys, optionally only a user's, oldest first. */
  list(userId?: string): KeyRecord[] {
    return [...this.keys.values()].filter((k) => userId === undefined || k.userId === userId);
  }

  info(key: string): KeyRecord | undefined {
    return this.keys.get(key);
  }

  user(userId: string): UserRecord | undefined {
    return this.users.get(userId);
  }

  reset(): void {
    this.keys.clear();
    this.users.clear();
  }
}
