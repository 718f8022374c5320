import type { LoggerOptions } from "pino";

/**
 * pino options shared by the server and main. Keys, tokens, cookies and the master key are redacted wherever they
 * could appear; message bodies are never passed to the logger (handlers log sizes and ids only).
 */
export const REDACT_PATHS: readonly string[] = [
  "req.headers.authorization",
  "req.headers[\"x-api-key\"]",
  "req.headers[\"x-litellm-api-key\"]",
  "req.headers.cookie",
  "res.headers[\"set-cookie\"]",
  "headers.authorization",
  "headers.cookie",
  "headers[\"x-api-key\"]",
  "authorization",
  "apiKey",
  "api_key",
  "masterKey",
  "master_key",
  "token",
  "accessToken",
  "access_token",
  "idToken",
  "historyHashKey",
  "databaseUrl",
  "config.masterKey",
  "config.historyHashKey",
  "config.databaseUrl",
  "*.authorization",
  "*.apiKey",
  "*.token",
  "*.masterKey",
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
    serializers: {
      // Only method, path without query and ids: the query may carry tokens and bodies are never logged.
      req(req: { method?: string; url?: string; id?: string }) {
        return { method: req.method, url: req.url?.split("?")[0], id: req.id };
      },
    },
  };
}
