/**
 * Failure classes. Only failures that say something about the target (throttling, 5xx, timeouts, connection errors)
 * move the call elsewhere and cool the target down; a bad request, missing access or unknown model would fail the same
 * way everywhere, so it returns at once and cools nothing.
 */
import type { FailureClass } from "./types";

const THROTTLING = new Set(["ThrottlingException", "TooManyRequestsException", "ServiceQuotaExceededException", "ThrottledException"]);
const SERVER = new Set([
  "InternalServerException",
  "ServiceUnavailableException",
  "ModelNotReadyException",
  "ModelErrorException",
  "ModelStreamErrorException",
]);
const TIMEOUT = new Set(["ModelTimeoutException", "TimeoutError", "RequestTimeout", "RequestTimeoutException"]);
const CLIENT = new Set([
  "ValidationException",
  "AccessDeniedException",
  "ResourceNotFoundException",
  "ConflictException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
]);
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function errorCode(e: ErrorLike): string | undefined {
  if (typeof e.code === "string") return e.code;
  const cause = (e as { cause?: ErrorLike }).cause;
  return cause && typeof cause.code === "string" ? cause.code : undefined;
}

/** Classifies an error thrown by an SDK call (abort and deadline are decided by the router, not here). */
export function classifyError(err: unknown): FailureClass {
  if (typeof err !== "object" || err === null) return "local";
  const e = err as ErrorLike;
  const name = typeof e.name === "string" ? e.name : "";
  if (THROTTLING.has(name)) return "throttling";
  if (TIMEOUT.has(name)) return "timeout";
  if (SERVER.has(name)) return "server";
  if (CLIENT.has(name)) return "client";
  const code = errorCode(e);
  if (code && CONNECTION_CODES.has(code)) return code === "ETIMEDOUT" ? "timeout" : "connection";
  if (typeof e.message === "string" && /socket hang up|other side closed/i.test(e.message)) return "connection";
  const status = e.$metadata?.httpStatusCode;
  if (status === 429) return "throttling";
  if (typeof status === "number" && status >= 500) return "server";
  if (typeof status === "number" && status >= 400) return "client";
  if (e.$fault === "server") return "server";
  if (e.$fault === "client") return "client";
  // Anything else is a local problem (argument building, credentials resolution, a bug): not the region's fault.
  return "local";
}

export function isRetryable(c: FailureClass): boolean {
  return c === "throttling" || c === "server" || c === "timeout" || c === "connection";
}

/** Stable, short error name for results: the SDK exception name, else the Node error code, else the class name. */
export function errorNameOf(err: unknown): string {
  if (typeof err !== "object" || err === null) return typeof err;
  const e = err as ErrorLike;
  const name = typeof e.name === "string" ? e.name : "Error";
  const code = errorCode(e);
  return name === "Error" && code ? code : name;
}
