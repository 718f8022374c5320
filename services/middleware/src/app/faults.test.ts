/**
 * Upstream faults (down, slow, failing midway), client disconnects, the generic LiteLLM proxy, health, CORS and
 * graceful drain, against the running middleware + fake-llm.
 */
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APIConnectionError, APIError, InternalServerError } from "openai";
import { ConverseCommand, ConverseStreamCommand, ModelStreamErrorException, ModelTimeoutException, ServiceUnavailableException } from "@aws-sdk/client-bedrock-runtime";
import { ownerHash, type HistoryStore } from "../history/index";
import { startTestIdp, type TestIdp } from "../oidc/test-support";
import { bedrockClient, newKey, openaiClient, openTestStore, startHarness, withHeader, type Harness } from "../testing/harness";

let store: HistoryStore;
let h: Harness;
let key: string;
const MODEL = "gpt-4o-mini";

beforeAll(async () => {
  store = await openTestStore();
  h = await startHarness({ store, env: { UPSTREAM_HEADERS_TIMEOUT_MS: "400", UPSTREAM_BODY_TIMEOUT_MS: "400" } });
  key = newKey(h);
});
afterAll(async () => {
  await h?.close();
  await store?.close();
});
beforeEach(() => h.fake.reset());

/** node:http request (fetch refuses to send a Connection header, which the hop-by-hop test needs). */
function rawRequest(url: string, opts: { method: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method, headers: opts.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const owner = () => ownerHash(key, h.config.historyHashKey);
const control = (c: Record<string, unknown>) => ({ "x-fake-llm": JSON.stringify(c) });

async function startSession(): Promise<string> {
  const res = (await openaiClient(h.url, key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hello" }], enable_history: true } as never)) as unknown as { session_id: string };
  return res.session_id;
}

describe("LiteLLM down", () => {
  let down: Harness;
  beforeAll(async () => {
    down = await startHarness({ store, env: { UPSTREAM_CONNECT_TIMEOUT_MS: "500" } });
    await down.fake.close(); // nothing listens on LITELLM_URL any more
  });
  afterAll(async () => {
    await down.app.close();
  });

  it("answers a clear 502 quickly on every interface, readiness fails, liveliness stays up", async () => {
    const t0 = Date.now();
    const openai = openaiClient(down.url, key);
    const err = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as APIError).status).toBe(502);
    expect((err as APIError).message).toContain("unreachable");

    const bedrock = bedrockClient(down.url, key);
    await expect(bedrock.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] }))).rejects.toBeInstanceOf(ServiceUnavailableException);
    await expect(bedrock.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] }))).rejects.toBeInstanceOf(ServiceUnavailableException);
    bedrock.destroy();

    const proxied = await fetch(`${down.url}/v1/models`);
    expect(proxied.status).toBe(502);
    expect(((await proxied.json()) as { error: { code: string } }).error.code).toBe("GW_UPSTREAM_UNAVAILABLE");
    expect((await fetch(`${down.url}/health/readiness`)).status).toBe(503);
    expect((await fetch(`${down.url}/health/liveliness`)).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});

describe("slow and failing upstreams", () => {
  it("a slow upstream hits the headers timeout: 504 on OpenAI, ModelTimeoutException on Bedrock", async () => {
    const openai = openaiClient(h.url, key);
    const err = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }] }, { headers: control({ latencyMs: 3000 }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(504);
    const bedrock = withHeader(bedrockClient(h.url, key), "x-fake-llm", JSON.stringify({ latencyMs: 3000 }));
    await expect(bedrock.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] }))).rejects.toBeInstanceOf(ModelTimeoutException);
    bedrock.destroy();
  });

  it("a stream that stalls midway ends with an error chunk / exception frame, not a hang", async () => {
    const openai = openaiClient(h.url, key);
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }], stream: true }, { headers: control({ tokensPerSecond: 1, responseTokens: 5 }) });
    const err = await (async () => {
      for await (const _c of stream) void _c;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);

    const bedrock = withHeader(bedrockClient(h.url, key), "x-fake-llm", JSON.stringify({ tokensPerSecond: 1, responseTokens: 5 }));
    const out = await bedrock.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] }));
    const err2 = await (async () => {
      for await (const _e of out.stream!) void _e;
    })().catch((e: unknown) => e);
    bedrock.destroy();
    expect(err2).toBeInstanceOf(ModelStreamErrorException);
  });

  it("a stream failing midway gives the client an error and leaves the session's history intact", async () => {
    const sessionId = await startSession();
    const before = await store.load(sessionId, owner());
    expect(before).toHaveLength(2);

    h.fake.failNext("chat", 1, 500, undefined, { afterChunks: 2 });
    const openai = openaiClient(h.url, key);
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "doomed" }], stream: true, session_id: sessionId } as never);
    const err = await (async () => {
      for await (const _c of stream as unknown as AsyncIterable<unknown>) void _c;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);

    const bedrock = withHeader(bedrockClient(h.url, key), "x-fake-llm", JSON.stringify({ abortAfterChunks: 2 }));
    const err2 = await bedrock
      .send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "doomed too" }] }], additionalModelRequestFields: { session_id: sessionId } }))
      .then(async (out) => {
        for await (const _e of out.stream!) void _e;
      })
      .catch((e: unknown) => e);
    bedrock.destroy();
    expect(err2).toBeInstanceOf(ModelStreamErrorException);
    expect(await store.load(sessionId, owner())).toEqual(before);
  });

  it("a client that disconnects midway still gets the complete reply stored", async () => {
    const sessionId = await startSession();
    const abort = new AbortController();
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      signal: abort.signal,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...control({ tokensPerSecond: 40, responseTokens: 12 }) },
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "leaving early" }], stream: true, session_id: sessionId }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    let stored = await store.load(sessionId, owner());
    for (let i = 0; i < 50 && stored!.length < 4; i++) {
      await new Promise((r) => setTimeout(r, 100));
      stored = await store.load(sessionId, owner());
    }
    expect(stored).toHaveLength(4);
    expect(stored![2]).toEqual({ role: "user", content: "leaving early" });
    expect(String(stored![3]!.content)).toContain("leaving early");
    expect(String(stored![3]!.content).split(" ").length).toBeGreaterThanOrEqual(12);
  });
});

describe("client disconnect on the direct relay", () => {
  it("a client leaving a non-streamed turn without history aborts the upstream request", async () => {
    // A LiteLLM stand-in that records each request and never answers: only an abort from the middleware ends it
    // (its headers timeout is the default 10 minutes here).
    const seen: { path?: string; arrived: number; closedAt?: number; req: IncomingMessage }[] = [];
    const recorder = createServer((req, res) => {
      const entry: (typeof seen)[number] = { path: req.url, arrived: Date.now(), req };
      seen.push(entry);
      req.resume();
      res.on("close", () => (entry.closedAt = Date.now()));
    });
    await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
    const relay = await startHarness({ store, env: { LITELLM_URL: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}` } });
    try {
      const abort = new AbortController();
      const pending = fetch(`${relay.url}/v1/chat/completions`, {
        method: "POST",
        signal: abort.signal,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "never mind" }] }),
      }).catch((e: unknown) => e);
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen.map((s) => s.path)).toEqual(["/v1/chat/completions"]);
      expect(seen[0]!.closedAt).toBeUndefined();
      abort.abort();
      expect(await pending).toBeInstanceOf(Error);
      for (let i = 0; i < 100 && seen[0]!.closedAt === undefined; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen[0]!.closedAt).toBeDefined();
      expect(seen).toHaveLength(1); // not retried
    } finally {
      await relay.app.close();
      await relay.fake.close();
      recorder.closeAllConnections();
      await new Promise<void>((resolve) => recorder.close(() => resolve()));
    }
  });
});

describe("generic LiteLLM proxy", () => {
  it("forwards method, path, query, headers and streaming bodies unchanged, minus hop-by-hop headers", async () => {
    const res = await rawRequest(`${h.url}/key/generate?source=test`, {
      method: "POST",
      headers: { authorization: "Bearer sk-fake-master", "content-type": "application/json", "x-custom": "kept", connection: "keep-alive, x-drop-me", "x-drop-me": "gone" },
      body: JSON.stringify({ user_id: "u1", models: [MODEL] }),
    });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { key: string }).key).toMatch(/^sk-/);
    const sent = h.fake.lastRequests().find((r) => r.route === "key/generate")!;
    expect(sent.path).toBe("/key/generate?source=test");
    expect(sent.headers["x-custom"]).toBe("kept");
    expect(sent.headers["x-drop-me"]).toBeUndefined();
    expect(sent.body).toEqual({ user_id: "u1", models: [MODEL] });

    const models = await fetch(`${h.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    expect(((await models.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    const unauth = await fetch(`${h.url}/v1/models`);
    expect(unauth.status).toBe(401);
  });

  it("CORS: preflight on owned routes, X-Session-Id exposed", async () => {
    const pre = await fetch(`${h.url}/v1/chat/completions`, { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-headers")).toContain("authorization");
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      headers: { origin: "https://app.example", authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "cors" }], enable_history: true }),
    });
    expect(res.headers.get("access-control-expose-headers")).toContain("X-Session-Id");
    expect(res.headers.get("x-session-id")).toBeTruthy();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("health: liveliness always, readiness checks LiteLLM and the database", async () => {
    expect(await (await fetch(`${h.url}/health/liveliness`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${h.url}/health/readiness`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", litellm: "ok", database: "ok" });
  });
});

describe("graceful drain", () => {
  it("close() lets an in-flight stream finish and then refuses new work", async () => {
    const drain = await startHarness({ store });
    const openai = openaiClient(drain.url, newKey(drain));
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "drain me" }], stream: true }, { headers: control({ tokensPerSecond: 50, responseTokens: 10 }) });
    const closing = drain.app.close();
    let text = "";
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? "";
    await closing;
    expect(text).toContain("drain me");
    const after = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(after).toBeInstanceOf(APIConnectionError);
    await drain.fake.close();
  });
});

describe("OIDC self sign-up wiring", () => {
  let idp: TestIdp;
  let withOidc: Harness;
  beforeAll(async () => {
    idp = await startTestIdp("api://gateway");
    withOidc = await startHarness({ store, env: { OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: idp.audience, LITELLM_MASTER_KEY: "sk-fake-master", SIGNUP_MAX_KEYS: "2" } });
  });
  afterAll(async () => {
    await withOidc.close();
    await idp.close();
  });

  it("a valid JWT becomes a LiteLLM /user/new for its sub; a bad one gets 401; sk- keys and other paths are proxied", async () => {
    const userNew = (auth: string, body: unknown) =>
      fetch(`${withOidc.url}/user/new`, { method: "POST", headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const ok = await userNew(await idp.sign(), { max_budget: 1_000_000, user_role: "proxy_admin" });
    expect(ok.status).toBe(200);
    const sent = withOidc.fake.lastRequests().find((r) => r.route === "user/new")!;
    expect(sent.body).toMatchObject({ user_id: "00u-alice", user_role: "internal_user" });
    expect((sent.body as Record<string, unknown>).max_budget).toBeUndefined();

    const expired = await userNew(await idp.sign({ claims: { exp: Math.floor(Date.now() / 1000) - 3600 } }), {});
    expect(expired.status).toBe(401);
    expect(JSON.stringify(await expired.json())).toMatch(/exp/i);

    withOidc.fake.reset();
    const viaKey = await userNew("sk-fake-master", { user_id: "bob" });
    expect(viaKey.status).toBe(200);
    expect(withOidc.fake.lastRequests().find((r) => r.route === "user/new")!.body).toEqual({ user_id: "bob" });
    expect((await fetch(`${withOidc.url}/health/liveliness`)).status).toBe(200);
  });

  it("SIGNUP_MAX_KEYS caps the keys a signed-up user can create", async () => {
    const token = await idp.sign({ claims: { sub: "00u-keylimit" } });
    const keyGenerate = () => fetch(`${withOidc.url}/key/generate`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" });
    expect((await keyGenerate()).status).toBe(200);
    expect((await keyGenerate()).status).toBe(200);
    const refused = await keyGenerate();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe("key limit reached: 2 of 2 keys");
  });
});

describe("logs", () => {
  it("never contain API keys, the master key, tokens or message bodies", async () => {
    const lines: string[] = [];
    const logged = await startHarness({ store, logLines: lines, env: { LITELLM_MASTER_KEY: "sk-master-never-logged" } });
    const secretKey = `sk-secret-${Date.now()}`;
    logged.fake.addKeys(secretKey);
    const openai = openaiClient(logged.url, secretKey);
    await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "confidential-body-text" }], enable_history: true } as never);
    await fetch(`${logged.url}/v1/chat/completions?api_key=${secretKey}`, { method: "POST", headers: { authorization: `Bearer ${secretKey}`, cookie: `session=${secretKey}` }, body: "{broken confidential-body-text" });
    await fetch(`${logged.url}/v1/models`, { headers: { "x-api-key": secretKey } });
    await logged.close();
    const all = lines.join("");
    expect(lines.length).toBeGreaterThan(3);
    expect(all).not.toContain(secretKey);
    expect(all).not.toContain("sk-master-never-logged");
    expect(all).not.toContain("confidential-body-text");
  });
});

describe("retention", () => {
  it("purges with CHAT_HISTORY_RETENTION_DAYS at start and on the interval", async () => {
    const calls: number[] = [];
    // The real store, observed: purgeOlderThan calls are recorded and then executed.
    const observed = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === "purgeOlderThan") return (days: number) => (calls.push(days), target.purgeOlderThan(days));
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const retained = await startHarness({ store: observed, env: { CHAT_HISTORY_RETENTION_DAYS: "30", CHAT_HISTORY_PURGE_INTERVAL_MS: "1000" } });
    for (let i = 0; i < 40 && calls.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    await retained.close();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(calls)).toEqual(new Set([30]));
  });
});
