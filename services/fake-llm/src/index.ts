/** @gw/fake-llm: a wire-true fake LiteLLM / OpenAI / Bedrock upstream for development, tests and load tests. */
export { startFakeLlm, startFakeLlmFleet, buildApp, type FakeLlm } from "./server";
export { DEFAULT_MODELS, CONTROL_HEADER, type FakeLlmOptions, type ErrorRule, type RequestControls } from "./options";
export { BEDROCK_ERRORS, type BedrockErrorType } from "./errors";
export { decodeFrames, eventFrame, exceptionFrame, EVENTSTREAM_CONTENT_TYPE } from "./eventstream";
export type { FakePrompt, PromptVariant, PromptMessage } from "./prompts";
export type { RecordedRequest, RouteId } from "./state";
export { replyHeader } from "./reply";
export { FAKE_LLM_CONTAINER_PORT, FAKE_LLM_HEALTH_PATH, FAKE_LLM_ENV } from "./constants";
