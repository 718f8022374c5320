/** Stable machine codes of PromptError (the HTTP layer maps statusCode to the client's error shape). */
export const PROMPT_ERROR_CODES = {
  variables: "prompt_variables_mismatch",
  invalidVariable: "prompt_invalid_variable",
  invalidArn: "prompt_invalid_arn",
  unusable: "prompt_unusable",
  notFound: "prompt_not_found",
  accessDenied: "prompt_access_denied",
  crossPartition: "prompt_cross_partition_credentials_missing",
  invalidRequest: "prompt_invalid_request",
  upstream: "prompt_upstream_error",
} as const;

export type PromptErrorCode = (typeof PROMPT_ERROR_CODES)[keyof typeof PROMPT_ERROR_CODES];

export class PromptError extends Error {
  override readonly name = "PromptError";
  constructor(
    message: string,
    readonly statusCode: 400 | 403 | 404 | 502,
    readonly code: PromptErrorCode,
    readonly missing?: string[],
    readonly unexpected?: string[],
  ) {
    super(message);
  }
}
