/**
 * Central catalogue of the errors fake-llm can answer with, in the two wire shapes its clients expect:
 * Bedrock (x-amzn-ErrorType header + {"message"}) and OpenAI/LiteLLM ({"error":{message,type,param,code}}).
 */

/** Bedrock error types with their HTTP status. */
export const BEDROCK_ERRORS = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ServiceQuotaExceededException: 400,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
} as const satisfies Record<string, number>;

export type BedrockErrorType = keyof typeof BEDROCK_ERRORS;

/** Default Bedrock error type for a status, used when a rule gives only a status. */
const BEDROCK_TYPE_BY_STATUS: Record<number, BedrockErrorType> = {
  400: "ValidationException",
  403: "AccessDeniedException",
  404: "ResourceNotFoundException",
  408: "ModelTimeoutException",
  424: "ModelErrorException",
  429: "ThrottlingException",
  500: "InternalServerException",
  503: "ServiceUnavailableException",
};

/** Members of the ConverseStream / InvokeModelWithResponseStream exception unions (lowerCamel on the wire). */
const STREAM_EXCEPTION_MEMBERS = new Set([
  "internalServerException",
  "modelStreamErrorException",
  "serviceUnavailableException",
  "throttlingException",
  "validationException",
  "modelTimeoutException",
]);

export function isBedrockErrorType(value: string): value is BedrockErrorType {
  return Object.prototype.hasOwnProperty.call(BEDROCK_ERRORS, value);
}

/** Resolves the {status, errorType} pair of an injected error; either side may be missing. */
export function resolveBedrockError(status: number | undefined, errorType: string | undefined): { status: number; errorType: string } {
  if (errorType && status) return { status, errorType };
  if (errorType) return { status: isBedrockErrorType(errorType) ? BEDROCK_ERRORS[errorType] : 500, errorType };
  const s = status ?? 500;
  return { status: s, errorType: BEDROCK_TYPE_BY_STATUS[s] ?? (s >= 500 ? "InternalServerException" : "ValidationException") };
}

/**
 * The `:exception-type` header value for an exception frame: the union member name (lowerCamel) when the type is one
 * the SDK models on the stream, so it raises the typed exception; otherwise the type name itself.
 */
export function streamExceptionMember(errorType: string): string {
  const member = errorType.charAt(0).toLowerCase() + errorType.slice(1);
  return STREAM_EXCEPTION_MEMBERS.has(member) ? member : errorType;
}

export function bedrockErrorBody(message: string): string {
  return JSON.stringify({ message });
}

/** OpenAI / LiteLLM error `type` per status. */
const OPENAI_TYPE_BY_STATUS: Record<number, string> = {
  400: "invalid_request_error",
  401: "auth_error",
  403: "permission_error",
  404: "not_found_error",
  408: "timeout_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
  500: "internal_server_error",
  502: "bad_gateway_error",
  503: "service_unavailable_error",
  504: "timeout_error",
};

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

/** LiteLLM's error envelope (the proxy puts the status as a string in `code`). */
export function openAiErrorBody(status: number, message: string, type?: string): OpenAiErrorBody {
  return { error: { message, type: type ?? OPENAI_TYPE_BY_STATUS[status] ?? "api_error", param: null, code: String(status) } };
}

export const MESSAGES = {
  injected: (status: number, type: string) => `fake-llm injected error ${status} ${type}`,
  missingKey: "Authentication Error, No api key passed in.",
  invalidKey: "Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`",
  notAdmin: (route: string) =>
    `Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${route}`,
  modelNotAllowed: (model: string) => `Authentication Error, key not allowed to access model. This key can only access models=[...]. Tried to access ${model}`,
  badControlHeader: "x-fake-llm header must be a JSON object",
  badJson: "Request body is not valid JSON",
  unknownModelRoute: (path: string) => `Unknown Bedrock operation for path ${path}`,
  promptNotFound: (id: string, version: string | undefined) =>
    `Prompt ${id}${version ? ` version ${version}` : ""} not found`,
  keyNotFound: "Key not found",
} as const;
