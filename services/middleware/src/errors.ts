/**
 * Central catalogue of the middleware's own error codes. Each code carries the HTTP status, the Bedrock error type
 * (sent as `x-amzn-ErrorType`, which the AWS SDKs turn into typed exceptions) and the OpenAI error `type`, so every
 * route family answers in the shape its clients expect.
 */
export interface ErrorSpec {
  readonly status: number;
  /** Bedrock Runtime error shape name (x-amzn-ErrorType). */
  readonly bedrockType: BedrockErrorType;
  /** OpenAI error `type`. */
  readonly openaiType: string;
  readonly message: string;
}

export type BedrockErrorType =
  | "ValidationException"
  | "AccessDeniedException"
  | "ResourceNotFoundException"
  | "ThrottlingException"
  | "ModelTimeoutException"
  | "ServiceUnavailableException"
  | "InternalServerException"
  | "ModelStreamErrorException"
  | "ModelErrorException";

export const ERRORS = {
  GW_INVALID_JSON: { status: 400, bedrockType: "ValidationException", openaiType: "invalid_request_error", message: "Request body is not valid JSON" },
  GW_VALIDATION: { status: 400, bedrockType: "ValidationException", openaiType: "invalid_request_error", message: "Invalid request" },
  GW_UNSUPPORTED_CONTENT: { status: 400, bedrockType: "ValidationException", openaiType: "invalid_request_error", message: "Unsupported content" },
  GW_BODY_TOO_LARGE: { status: 413, bedrockType: "ValidationException", openaiType: "invalid_request_error", message: "Request body is too large" },
  GW_MISSING_API_KEY: { status: 401, bedrockType: "AccessDeniedException", openaiType: "authentication_error", message: "Missing API key: send 'Authorization: Bearer <key>'" },
  GW_INVALID_API_KEY: { status: 401, bedrockType: "AccessDeniedException", openaiType: "authentication_error", message: "The API key was rejected" },
  GW_SESSION_NOT_FOUND: { status: 404, bedrockType: "ResourceNotFoundException", openaiType: "not_found_error", message: "Session not found" },
  GW_ROUTE_NOT_FOUND: { status: 404, bedrockType: "ResourceNotFoundException", openaiType: "not_found_error", message: "Route not found" },
  GW_METHOD_NOT_ALLOWED: { status: 405, bedrockType: "ValidationException", openaiType: "invalid_request_error", message: "Method not allowed" },
  GW_UPSTREAM_UNAVAILABLE: { status: 502, bedrockType: "ServiceUnavailableException", openaiType: "api_connection_error", message: "The model gateway (LiteLLM) is unreachable" },
  GW_UPSTREAM_TIMEOUT: { status: 504, bedrockType: "ModelTimeoutException", openaiType: "timeout_error", message: "The model gateway (LiteLLM) did not answer in time" },
  GW_UPSTREAM_STREAM_FAILED: { status: 502, bedrockType: "ModelStreamErrorException", openaiType: "server_error", message: "The upstream stream failed before it completed" },
  GW_UPSTREAM_BAD_RESPONSE: { status: 502, bedrockType: "ModelErrorException", openaiType: "server_error", message: "The model gateway returned an unreadable response" },
  GW_SHUTTING_DOWN: { status: 503, bedrockType: "ServiceUnavailableException", openaiType: "server_error", message: "The middleware is shutting down" },
  GW_INTERNAL: { status: 500, bedrockType: "InternalServerException", openaiType: "server_error", message: "Internal error" },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** An error raised by the middleware itself; the route's error renderer picks the client's shape. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly bedrockType: BedrockErrorType;
  readonly openaiType: string;
  readonly param?: string;
  constructor(code: ErrorCode, message?: string, opts?: { status?: number; bedrockType?: BedrockErrorType; param?: string; cause?: unknown }) {
    const spec: ErrorSpec = ERRORS[code];
    super(message ?? spec.message, opts?.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "GatewayError";
    this.code = code;
    this.status = opts?.status ?? spec.status;
    this.bedrockType = opts?.bedrockType ?? spec.bedrockType;
    this.openaiType = spec.openaiType;
    this.param = opts?.param;
  }
}

/** Bedrock error type for an upstream (LiteLLM) HTTP status. */
export function bedrockTypeForStatus(status: number): BedrockErrorType {
  if (status === 401 || status === 403) return "AccessDeniedException";
  if (status === 404) return "ResourceNotFoundException";
  if (status === 408 || status === 504) return "ModelTimeoutException";
  if (status === 429) return "ThrottlingException";
  if (status === 502 || status === 503) return "ServiceUnavailableException";
  if (status >= 500) return "InternalServerException";
  return "ValidationException";
}

/**
 * Event-stream exception member (`:exception-type`) for a Bedrock error type once a ConverseStream has started.
 * Only these five are members of the ConverseStreamOutput union; other types fold into the closest one.
 */
export function streamExceptionType(type: BedrockErrorType): string {
  switch (type) {
    case "ThrottlingException": return "throttlingException";
    case "ValidationException": return "validationException";
    case "ServiceUnavailableException": return "serviceUnavailableException";
    case "InternalServerException": return "internalServerException";
    default: return "modelStreamErrorException";
  }
}

/** OpenAI error `type` for an HTTP status (for our own errors; upstream errors pass through untouched). */
export function openaiTypeForStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

export function openaiErrorBody(message: string, type: string, code: string | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

export function bedrockErrorBody(message: string): string {
  return JSON.stringify({ message });
}

/** Best-effort human message out of an upstream error body (LiteLLM/OpenAI `{"error":{"message"}}` or Bedrock `{"message"}`). */
export function upstreamErrorMessage(body: string, status: number): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const err = parsed.error;
    if (err && typeof err === "object" && typeof (err as Record<string, unknown>).message === "string") return (err as Record<string, string>).message;
    if (typeof err === "string") return err;
    if (typeof parsed.message === "string") return parsed.message;
    if (typeof parsed.Message === "string") return parsed.Message;
    if (typeof parsed.detail === "string") return parsed.detail;
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = body.trim().slice(0, 1000);
  return text || `Upstream answered HTTP ${status}`;
}

/** Map undici/network failures to our catalogue. */
export function fromUpstreamFailure(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = (err as { code?: string } | null)?.code;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return new GatewayError("GW_UPSTREAM_TIMEOUT", code === "UND_ERR_CONNECT_TIMEOUT" ? "Timed out connecting to the model gateway (LiteLLM)" : "The model gateway (LiteLLM) did not send response headers in time", { cause: err });
  }
  if (code === "UND_ERR_BODY_TIMEOUT") return new GatewayError("GW_UPSTREAM_TIMEOUT", "The model gateway (LiteLLM) stopped sending data", { cause: err });
  return new GatewayError("GW_UPSTREAM_UNAVAILABLE", undefined, { cause: err });
}
