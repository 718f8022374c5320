/**
 * Middleware route table. Dependency-free: imported by the ALB / ingress generators (stacks) and by the server.
 * Every path not listed here is proxied to LiteLLM unchanged.
 */
export interface MiddlewareRoute {
  readonly method: "GET" | "POST" | "DELETE" | "OPTIONS";
  /** fastify-style path, e.g. "/bedrock/model/*" */
  readonly path: string;
  /** ALB path pattern, e.g. "/bedrock/model/*" */
  readonly albPattern: string;
  readonly description: string;
}

export const MIDDLEWARE_PORT = 3000;
export const LITELLM_PORT = 4000;

export const HEALTH_PATHS = { liveliness: "/health/liveliness", readiness: "/health/readiness" } as const;

export const MIDDLEWARE_ROUTES: readonly MiddlewareRoute[] = [
  { method: "POST", path: "/bedrock/model/*/converse", albPattern: "/bedrock/model/*", description: "Bedrock Converse facade (model id or URL-encoded prompt ARN)" },
  { method: "POST", path: "/bedrock/model/*/converse-stream", albPattern: "/bedrock/model/*", description: "Bedrock ConverseStream facade (application/vnd.amazon.eventstream)" },
  { method: "POST", path: "/v1/chat/completions", albPattern: "/v1/chat/completions", description: "OpenAI chat completions with chat history and managed prompts" },
  { method: "POST", path: "/chat/completions", albPattern: "/chat/completions", description: "OpenAI chat completions (no /v1 prefix)" },
  { method: "POST", path: "/chat-history", albPattern: "/chat-history", description: "Read a session's history in OpenAI format" },
  { method: "POST", path: "/bedrock/chat-history", albPattern: "/bedrock/chat-history", description: "Read a session's history in Bedrock Converse format" },
  { method: "POST", path: "/session-ids", albPattern: "/session-ids", description: "List the caller's session ids (paginated)" },
  { method: "DELETE", path: "/chat-history/:sessionId", albPattern: "/chat-history/*", description: "Delete a session" },
  { method: "DELETE", path: "/bedrock/chat-history/:sessionId", albPattern: "/bedrock/chat-history/*", description: "Delete a session (Bedrock alias)" },
  { method: "POST", path: "/user/new", albPattern: "/user/new", description: "LiteLLM user creation (OIDC self sign-up when configured, else proxied)" },
  { method: "POST", path: "/key/generate", albPattern: "/key/generate", description: "LiteLLM key generation (OIDC self sign-up when configured, else proxied)" },
  { method: "GET", path: HEALTH_PATHS.liveliness, albPattern: HEALTH_PATHS.liveliness, description: "Liveness probe (process up)" },
  { method: "GET", path: "/bedrock/health/liveliness", albPattern: "/bedrock/health/liveliness", description: "Liveness probe at the older middleware's path (existing target groups)" },
  { method: "GET", path: HEALTH_PATHS.readiness, albPattern: HEALTH_PATHS.readiness, description: "Readiness probe (LiteLLM reachable + database ping)" },
];
