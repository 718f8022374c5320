export { buildServer, type ServerDeps } from "./server";
export { loadMiddlewareConfig, ConfigError, type MiddlewareConfig } from "./config";
export { MIDDLEWARE_ROUTES, MIDDLEWARE_PORT, LITELLM_PORT, HEALTH_PATHS, type MiddlewareRoute } from "./routes";
export { ERRORS, GatewayError, type ErrorCode } from "./errors";
