/** Test support: a real fake-llm (LiteLLM stand-in) plus the real middleware listening on loopback. */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import OpenAI from "openai";
import { startFakeLlm, type FakeLlm, type FakeLlmOptions } from "@gw/fake-llm";
import { loadMiddlewareConfig, type MiddlewareConfig } from "../config";
import { openHistoryStore, type HistoryStore } from "../history/index";
import { buildServer } from "../server";

export interface Harness {
  readonly fake: FakeLlm;
  readonly app: FastifyInstance;
  readonly store: HistoryStore;
  /** http://127.0.0.1:PORT of the middleware */
  readonly url: string;
  readonly config: MiddlewareConfig;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  readonly config?: Partial<MiddlewareConfig>;
  readonly fake?: FakeLlmOptions;
  /** Reuse a store (one per test file); opened from DATABASE_URL or PGlite otherwise. */
  readonly store?: HistoryStore;
  /** Capture the middleware's logs (sets LOG_LEVEL=debug unless env overrides it). */
  readonly logLines?: string[];
}

/** One history store per test file: real Postgres when DATABASE_URL is set, PGlite otherwise. */
export function openTestStore(): Promise<HistoryStore> {
  return openHistoryStore({ url: process.env.DATABASE_URL || undefined });
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  // GetPrompt goes through the real bedrock-agent SDK (SigV4) to fake-llm: static test credentials, loopback only.
  process.env.AWS_ACCESS_KEY_ID ??= "AKIDTESTONLY";
  process.env.AWS_SECRET_ACCESS_KEY ??= "test-only-secret";
  const fake = await startFakeLlm({ ...opts.fake });
  const ownStore = !opts.store;
  const store = opts.store ?? (await openTestStore());
  const config = loadMiddlewareConfig(
    { LITELLM_URL: fake.url, LOG_LEVEL: process.env.GW_TEST_LOG_LEVEL ?? "silent", HISTORY_HASH_KEY: "test-history-key", BEDROCK_AGENT_ENDPOINT: fake.url, PROMPT_CACHE_TTL_MS: "0", ...opts.env },
    { host: "127.0.0.1", port: 0, ...opts.config },
  );
  const logStream = opts.logLines ? { write: (line: string) => void opts.logLines!.push(line) } : undefined;
  const app = await buildServer(opts.logLines ? { ...config, logLevel: opts.env?.LOG_LEVEL ?? "debug" } : config, { store, logStream });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    fake,
    app,
    store,
    url: `http://127.0.0.1:${port}`,
    config,
    async close() {
      await app.close();
      await fake.close();
      if (ownStore) await store.close();
    },
  };
}

/** A fresh gateway key, registered with the harness's fake-llm (which, like LiteLLM, refuses keys it does not know). */
export function newKey(h: Pick<Harness, "fake">): string {
  const key = `sk-test-${randomUUID()}`;
  h.fake.addKeys(key);
  return key;
}

/** The real Bedrock Runtime client, pointed at the middleware's /bedrock prefix with a bearer key. */
export function bedrockClient(url: string, apiKey: string, region = "us-east-1"): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region,
    endpoint: `${url}/bedrock`,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 20_000 }),
    token: { token: apiKey },
    authSchemePreference: ["httpBearerAuth"],
    maxAttempts: 1,
  });
}

/** The real openai client pointed at the middleware. */
export function openaiClient(url: string, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, timeout: 20_000 });
}

/** Adds a header to every request of a Bedrock client (e.g. fake-llm's x-fake-llm control header). */
export function withHeader(client: BedrockRuntimeClient, name: string, value: string): BedrockRuntimeClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { headers?: Record<string, string> };
      if (req.headers) req.headers[name] = value;
      return next(args);
    },
    { step: "build", name: `add-${name}` },
  );
  return client;
}
