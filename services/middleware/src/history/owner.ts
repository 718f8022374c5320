import { createHash, createHmac, randomUUID } from "node:crypto";

/** Keyed hash of an API key: a leaked history table does not let anyone confirm a guessed key offline. */
export function ownerHash(apiKey: string, secret: string): string {
  if (!secret) throw new TypeError("ownerHash: secret must be a non-empty string");
  return createHmac("sha256", secret).update(apiKey, "utf8").digest("hex");
}

export function newSessionId(): string {
  return randomUUID();
}

const SESSION_ID_MAX = 256;

/** Client-chosen ids are accepted (older clients pick their own) but bounded and printable. */
export function isValidSessionId(id: unknown): id is string {
  return typeof id === "string" && id.length > 0 && id.length <= SESSION_ID_MAX && !/[\u0000-\u001f\u007f]/.test(id);
}

/** JSON with object keys sorted, so equal messages hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function messageHash(message: unknown): string {
  return createHash("sha256").update(canonicalJson(message), "utf8").digest("hex");
}
