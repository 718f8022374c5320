/** Builds and starts one fake-llm instance. */
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { registerAdminRoutes } from "./admin";
import { registerBedrockRoutes, sendBedrockError } from "./bedrock";
import type { FakeContext } from "./context";
import { openAiErrorBody, resolveBedrockError } from "./errors";
import { KeyStore } from "./keys";
import { registerLiteLlmRoutes } from "./litellm";
import { registerOpenAiRoutes } from "./openai";
import { resolveOptions, validateOptions, type FakeLlmOptions, type ResolvedOptions } from "./options";
import { PromptStore, type FakePrompt } from "./prompts";
import { FakeState, type RecordedRequest } from "./state";

export interface FakeLlm {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
  /** Merges options into the running instance (validated; throws listing every problem). */
  setOptions(p: Partial<FakeLlmOptions>): void;
  /** Fails the next `n` requests matching `route` with `status` (and Bedrock `errorType`); `afterChunks` breaks streams midway. */
  failNext(route: string, n: number, status: number, errorType?: string, opts?: { afterChunks?: number }): void;
  counters(): Record<string, number>;
  lastRequests(): RecordedRequest[];
  /** Clears counters, recorded requests and pending fail-next entries. */
  reset(): void;
  /** Adds virtual keys the OpenAI/LiteLLM routes accept (and /key/info answers 200 for), like POST /__admin/keys. */
  addKeys(...keys: string[]): void;
  /** Replaces the managed prompts served by GET /prompts/{id}. */
  setPrompts(prompts: readonly FakePrompt[]): void;
}

/** Paths answered in Bedrock's error shape; everything else gets LiteLLM/OpenAI's. */
const isBedrockPath = (url: string | undefined) => !!url && (url.startsWith("/model/") || url.startsWith("/prompts/"));

export function buildApp(initial: FakeLlmOptions = {}): { app: FastifyInstance; ctx: FakeContext; setOptions(p: Partial<FakeLlmOptions>): void; addKeys(keys: readonly string[]): void } {
  const ctx: FakeContext = {
    opts: resolveOptions(initial),
    state: undefined as unknown as FakeState,
    keys: new KeyStore(() => ctx.opts),
    prompts: new PromptStore(
      () => ctx.opts.region,
      () => ctx.opts.accountId,
    ),
  };
  (ctx as { state: FakeState }).state = new FakeState(ctx.opts.requestLogSize);

  const app = Fastify({ logger: ctx.opts.logger, bodyLimit: ctx.opts.bodyLimit, keepAliveTimeout: 65_000, forceCloseConnections: true });

  // Empty JSON bodies are allowed (LiteLLM management calls often send none); bad JSON is a 400 in the route's shape.
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    if (body === "") return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const err = new Error("Request body is not valid JSON") as FastifyError;
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  // Any other content type (InvokeModel accepts model-native bodies) arrives as a Buffer.
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (isBedrockPath(req.raw.url)) {
      const { errorType } = resolveBedrockError(status, undefined);
      return sendBedrockError(reply, status, errorType, err.message);
    }
    return reply.code(status).send(openAiErrorBody(status, err.message));
  });
  app.setNotFoundHandler((req, reply) => {
    if (isBedrockPath(req.raw.url)) return sendBedrockError(reply, 404, "UnknownOperationException", `No route for ${req.method} ${req.raw.url}`);
    return reply.code(404).send(openAiErrorBody(404, `No route for ${req.method} ${req.raw.url}`, "not_found_error"));
  });

  const setOptions = (p: Partial<FakeLlmOptions>) => {
    const problems = validateOptions(p);
    if (problems.length) throw new Error(`Invalid fake-llm options:\n${problems.join("\n")}`);
    const next: ResolvedOptions = resolveOptions({ ...ctx.opts, ...p });
    if (next.requestLogSize !== ctx.opts.requestLogSize) ctx.state.resize(next.requestLogSize);
    ctx.opts = next;
  };
  const publicConfig = () => {
    const { masterKey: _m, adminKey: _a, keys, ...rest } = ctx.opts;
    return { ...rest, masterKey: "[redacted]", keys: `[${keys.length} redacted]` };
  };

  registerOpenAiRoutes(app, ctx);
  registerBedrockRoutes(app, ctx);
  registerLiteLlmRoutes(app, ctx);
  const addKeys = (keys: readonly string[]) => setOptions({ keys: [...new Set([...ctx.opts.keys, ...keys])] });
  registerAdminRoutes(app, ctx, { setOptions, publicConfig, addKeys });
  return { app, ctx, setOptions, addKeys };
}

export async function startFakeLlm(opts: FakeLlmOptions = {}): Promise<FakeLlm> {
  const { app, ctx, setOptions, addKeys } = buildApp(opts);
  await app.listen({ host: ctx.opts.host, port: ctx.opts.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : ctx.opts.port;
  const host = ctx.opts.host.includes(":") ? `[${ctx.opts.host}]` : ctx.opts.host === "0.0.0.0" ? "127.0.0.1" : ctx.opts.host;
  return {
    url: `http://${host}:${port}`,
    port,
    get region() {
      return ctx.opts.region;
    },
    app,
    close: () => app.close(),
    setOptions,
    failNext: (route, n, status, errorType, o) => ctx.state.failNext(route, n, status, errorType, o?.afterChunks),
    counters: () => ctx.state.counters(),
    lastRequests: () => ctx.state.lastRequests(),
    reset: () => ctx.state.reset(),
    addKeys: (...keys) => addKeys(keys),
    setPrompts: (prompts) => ctx.prompts.set(prompts),
  };
}

/** One instance per region, each labelled with its region; ports are ephemeral unless opts.port is set (then port+i). */
export async function startFakeLlmFleet(regions: string[], opts: FakeLlmOptions = {}): Promise<FakeLlm[]> {
  const started: FakeLlm[] = [];
  try {
    for (const [i, region] of regions.entries()) {
      started.push(await startFakeLlm({ ...opts, region, port: opts.port ? opts.port + i : 0 }));
    }
  } catch (e) {
    await Promise.all(started.map((f) => f.close()));
    throw e;
  }
  return started;
}
