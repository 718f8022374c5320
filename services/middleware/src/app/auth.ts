import type { IncomingHttpHeaders } from "node:http";

/**
 * The caller's gateway key: `Authorization: Bearer <key>` (scheme case-insensitive), else `x-api-key` /
 * `x-litellm-api-key`. SigV4 or other schemes yield undefined (LiteLLM then rejects the call).
 */
export function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === "string") {
    const m = /^\s*bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  for (const name of ["x-api-key", "x-litellm-api-key"] as const) {
    const v = headers[name];
    if (typeof v === "string" && v.trim()) return v.trim();
  }
  return undefined;
}
