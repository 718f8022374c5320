/** Bedrock managed prompts: prompt-ARN detection, cached GetPrompt in the ARN's own region, variable rendering. */
export { isPromptArn, parsePromptArn, type PromptArn } from "./arn";
export { PROMPT_ERROR_CODES, PromptError, type PromptErrorCode } from "./errors";
export { createPromptResolver, type PromptResolver, type PromptResolverOptions } from "./resolver";
export { renderPrompt, templateFromPrompt, type ResolvedPrompt } from "./template";
