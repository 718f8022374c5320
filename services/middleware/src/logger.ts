import type { FastifyBaseLogger } from "fastify";
import type { Bindings, ChildLoggerOptions, LoggerOptions } from "pino";

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

type LogMethod = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/**
 * A request's child logger, created on first use. Most requests never log (request logging is optional), and pino's
 * child() — bindings serialised through the redaction — is a measurable share of a proxied request's CPU time.
 */
class LazyChildLogger {
  #real?: FastifyBaseLogger;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get real(): FastifyBaseLogger {
    return (this.#real ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.real.level;
  }

  set level(value: string) {
    this.real.level = value;
  }

  private call(method: LogMethod, args: unknown[]): void {
    (this.real[method] as (...a: unknown[]) => void)(...args);
  }

  fatal(...args: unknown[]): void {
    this.call("fatal", args);
  }

  error(...args: unknown[]): void {
    this.call("error", args);
  }

  warn(...args: unknown[]): void {
    this.call("warn", args);
  }

  info(...args: unknown[]): void {
    this.call("info", args);
  }

  debug(...args: unknown[]): void {
    this.call("debug", args);
  }

  trace(...args: unknown[]): void {
    this.call("trace", args);
  }

  silent(...args: unknown[]): void {
    this.call("silent", args);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}

/** fastify `childLoggerFactory`: per-request loggers that cost nothing until something is logged. */
export function lazyChildLoggerFactory(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
