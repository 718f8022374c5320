import { GatewayError } from "../errors";

type Json = Record<string, unknown>;

/**
 * The request body (raw Buffer or string, as the content-type parsers leave it) parsed as a JSON object.
 * An empty or blank body is `{}` when `allowEmpty` is set (endpoints whose fields are all optional), a
 * GW_VALIDATION error otherwise; malformed JSON is GW_INVALID_JSON; any other JSON value is GW_VALIDATION.
 */
export function parseJsonObjectBody(raw: unknown, options: { allowEmpty: boolean }): Json {
  const text = Buffer.isBuffer(raw) ? raw.toString("utf8") : typeof raw === "string" ? raw : "";
  if (!text.trim()) {
    if (options.allowEmpty) return {};
    throw new GatewayError("GW_VALIDATION", "Request body is required");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GatewayError("GW_INVALID_JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new GatewayError("GW_VALIDATION", "Request body must be a JSON object");
  return parsed as Json;
}
