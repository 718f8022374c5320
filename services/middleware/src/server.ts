import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import pino, { type DestinationStream } from "pino";
import type { MiddlewareConfig } from "./config";
import { lazyChildLoggerFactory, loggerOptions } from "./logger";
import { MIDDLEWARE_ROUTES } from "./routes";
import { openHistoryStore, type HistoryStore } from "./history/index";
import { createPromptResolver, type PromptResolver } from "./prompts/index";
import type { OidcVerifier } from "./oidc/index";
import { Upstream } from "./proxy/upstream";
import { proxyToUpstream } from "./proxy/passthrough";
import type { AppContext } from "./app/context";
import { KeyVerifier } from "./app/key-verifier";
import { registerHealthRoutes } from "./app/health";
import { sendError } from "./app/reply-errors";
import { registerBedrockRoutes } from "./bedrock/converse-route";
import { registerOpenAiRoutes } from "./openai/chat-route";
import { registerHistoryRoutes } from "./history-routes";

/** Injectable collaborators (tests pass their own store; main opens one from the configuration). */
export interface ServerDeps {
  readonly store?: HistoryStore;
  readonly prompts?: PromptResolver;
  readonly oidcVerifier?: OidcVerifier;
  /** Where logs go (default stdout); tests capture them to prove keys and bodies never appear. */
  readonly logStream?: DestinationStream;
}

declare module "fastify" {
  interface FastifyInstance {
    gateway: AppContext;
  }
}

const PROXY_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/**
 * Build the middleware (not listening). Routes it owns are in routes.ts; every other method/path is proxied to
 * LiteLLM unchanged. Closing the instance drains requests, stops the retention timer and closes what it opened.
 */
export async function buildServer(config: MiddlewareConfig, deps: ServerDeps = {}): Promise<FastifyInstance> {
  const logging = config.logLevel === "silent" ? {} : deps.logStream ? { loggerInstance: pino(loggerOptions(config.logLevel), deps.logStream) as FastifyBaseLogger } : { logger: loggerOptions(config.logLevel) };
  const app = Fastify({
    ...logging,
    childLoggerFactory: lazyChildLoggerFactory,
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    // Longer than the ALB idle timeout (60 s) so the balancer, not us, closes idle connections.
    keepAliveTimeout: 65_000,
    forceCloseConnections: "idle",
    return503OnClosing: true,
    requestIdHeader: "x-request-id",
  });

  const store = deps.store ?? (await openHistoryStore({ url: config.databaseUrl, pgliteDataDir: config.pgliteDataDir, turnCacheChars: config.historyTurnCacheChars }));
  const upstream = new Upstream({
    url: config.litellmUrl,
    connectTimeoutMs: config.upstreamConnectTimeoutMs,
    headersTimeoutMs: config.upstreamHeadersTimeoutMs,
    bodyTimeoutMs: config.upstreamBodyTimeoutMs,
    connections: config.upstreamConnections,
  });
  const ctx: AppContext = {
    config,
    upstream,
    store,
    prompts: deps.prompts ?? createPromptResolver({
        ttlMs: config.promptCacheTtlMs,
        endpointOverride: config.bedrockAgentEndpoint,
        homeRegion: config.region,
        globalCredentials: config.globalBedrockCredentials,
      }),
    keyVerifier: new KeyVerifier(upstream),
    turns: { store, hashKey: config.historyHashKey, maxMessages: config.historyMaxMessages },
    state: { draining: false },
  };
  app.decorate("gateway", ctx);

  // Owned JSON routes: bodies arrive as raw buffers whatever the content type, so each route parses them and
  // answers bad JSON in its own client's error shape.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: config.bodyLimitBytes }, (_req, body, done) => done(null, body));
    scope.addHook("onRequest", (request, reply, done) => {
      applyCors(config, request, reply);
      done();
    });
    scope.setErrorHandler((err, request, reply) => sendError(request, reply, err, request.url.startsWith("/bedrock/") ? "bedrock" : "openai"));
    registerHealthRoutes(scope, ctx);
    registerBedrockRoutes(scope, ctx);
    registerOpenAiRoutes(scope, ctx);
    registerHistoryRoutes(scope, ctx);
    for (const path of new Set(MIDDLEWARE_ROUTES.filter((r) => r.method === "POST" || r.method === "DELETE").map((r) => fastifyPath(r.path)))) {
      if (path === "/user/new" || path === "/key/generate") continue;
      scope.options(path, async (_req, reply) => reply.code(204).send());
    }
  });

  // OIDC self sign-up owns /user/new and /key/generate only when configured; otherwise the catch-all proxies them.
  if (config.oidc) {
    // Loaded only when configured: deployments without OIDC never load jose.
    const { createOidcVerifier, registerSignupRoutes } = await import("./oidc/index");
    const verifier = deps.oidcVerifier ?? createOidcVerifier({ issuer: config.oidc.issuer, audience: config.oidc.audience, algorithms: config.oidc.algorithms });
    await app.register(async (scope) => {
      registerSignupRoutes(scope, {
        verifier,
        litellmUrl: config.litellmUrl,
        masterKey: config.masterKey ?? "",
        policy: { allowedFields: config.signupAllowedFields, maxBudget: config.signupMaxBudget, allowedModels: config.signupAllowedModels, maxKeys: config.signupMaxKeys },
        proxy: (req: FastifyRequest, reply: FastifyReply) => proxyToUpstream(upstream, req, reply),
        dispatcher: upstream.pool,
        timeouts: { connectMs: config.upstreamConnectTimeoutMs, headersMs: Math.min(config.upstreamHeadersTimeoutMs, 30_000), bodyMs: Math.min(config.upstreamBodyTimeoutMs, 30_000) },
      });
    });
  }

  // Everything else: LiteLLM, unchanged and streamed. The proxy takes over in onRequest, before any body parsing.
  const proxyRoute = {
    method: [...PROXY_METHODS],
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      await proxyToUpstream(upstream, request, reply);
    },
    handler: async () => undefined,
  };
  app.route({ ...proxyRoute, url: "/" });
  app.route({ ...proxyRoute, url: "/*" });

  let purgeTimer: NodeJS.Timeout | undefined;
  if (config.retentionDays > 0) {
    const purge = async () => {
      try {
        const removed = await store.purgeOlderThan(config.retentionDays);
        if (removed) app.log.info({ removed, retentionDays: config.retentionDays }, "purged expired chat sessions");
      } catch (err) {
        app.log.error({ message: (err as Error).message }, "chat history purge failed");
      }
    };
    app.addHook("onReady", async () => {
      void purge();
    });
    purgeTimer = setInterval(purge, config.purgeIntervalMs);
    purgeTimer.unref();
  }

  // Drain: connections busy when close() began become idle later; sweep them so close() completes once the last
  // in-flight request (including long streams) has finished.
  let idleSweep: NodeJS.Timeout | undefined;
  app.addHook("preClose", async () => {
    ctx.state.draining = true;
    idleSweep = setInterval(() => app.server.closeIdleConnections(), 100);
    idleSweep.unref();
  });
  app.addHook("onClose", async () => {
    ctx.state.draining = true;
    if (idleSweep) clearInterval(idleSweep);
    if (purgeTimer) clearInterval(purgeTimer);
    await upstream.close();
    if (!deps.store) await store.close();
  });
  return app;
}

/** Route-table paths are fastify-style already, except the Bedrock one, which fastify serves as one wildcard. */
function fastifyPath(path: string): string {
  return path.startsWith("/bedrock/model/") ? "/bedrock/model/*" : path;
}

/** CORS as before (any origin, X-Session-Id exposed), but without credentials: auth is by header, not cookie. */
function applyCors(config: MiddlewareConfig, request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (!origin) return;
  const res = reply.raw;
  const any = config.corsOrigins.includes("*");
  if (!any && !config.corsOrigins.includes(origin)) return;
  res.setHeader("access-control-allow-origin", any ? "*" : origin);
  if (!any) res.setHeader("vary", "Origin");
  res.setHeader("access-control-expose-headers", "X-Session-Id, x-amzn-requestid, x-amzn-errortype");
  if (request.method === "OPTIONS") {
    res.setHeader("access-control-allow-methods", "GET, POST, DELETE, OPTIONS");
    res.setHeader("access-control-allow-headers", request.headers["access-control-request-headers"] ?? "authorization, content-type, x-api-key");
    res.setHeader("access-control-max-age", "600");
  }
}
