import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CliError, parseCli } from "./cli-args";
import { startFakeLlm, startFakeLlmFleet, type FakeLlm } from "./index";

const MASTER = "sk-test-master";
let fake: FakeLlm;

beforeAll(async () => {
  fake = await startFakeLlm({ region: "us-west-2", masterKey: MASTER, keys: ["sk-registered"], requestLogSize: 5 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setOptions({ latencyMs: 0, ttftMs: 0, tokensPerSecond: 0, errors: [] });
});

async function post(path: string, body: unknown, key?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${fake.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

const chat = (key: string, headers?: Record<string, string>) => post("/v1/chat/completions", { model: "m", messages: [{ role: "user", content: "hi" }] }, key, headers);

describe("LiteLLM stand-ins", () => {
  it("answers the health probes", async () => {
    expect(await (await fetch(`${fake.url}/health/liveliness`)).json()).toBe("I'm alive!");
    expect(await (await fetch(`${fake.url}/health/readiness`)).json()).toMatchObject({ status: "connected", db: "connected" });
  });

  it("mints keys with the master key, accepts them afterwards, and rejects unknown keys", async () => {
    expect((await chat("sk-unknown")).status).toBe(401);
    const gen = await post("/key/generate", { models: ["m"], key_alias: "alice", duration: "1h" }, MASTER);
    expect(gen.status).toBe(200);
    expect(gen.body.key).toMatch(/^sk-/);
    expect(gen.body.key_alias).toBe("alice");
    const ok = await chat(gen.body.key);
    expect(ok.status).toBe(200);
    expect(ok.body.choices[0].message.content).toBe("fake reply from us-west-2: hi");
    const otherModel = await post("/v1/chat/completions", { model: "not-allowed", messages: [{ role: "user", content: "hi" }] }, gen.body.key);
    expect(otherModel.status).toBe(401);

    const info = await fetch(`${fake.url}/key/info?key=${gen.body.key}`, { headers: { authorization: `Bearer ${MASTER}` } });
    expect(((await info.json()) as any).info).toMatchObject({ key_alias: "alice", models: ["m"] });
    const self = await fetch(`${fake.url}/key/info`, { headers: { authorization: `Bearer ${gen.body.key}` } });
    expect(self.status).toBe(200);
  });

  it("rejects unknown keys by default, accepts registered ones (option and admin endpoint) with a 200 /key/info", async () => {
    expect((await chat("sk-unregistered")).status).toBe(401);
    expect((await fetch(`${fake.url}/key/info`, { headers: { authorization: "Bearer sk-unregistered" } })).status).toBe(401);
    expect((await chat("sk-registered")).status).toBe(200);
    const info = await fetch(`${fake.url}/key/info`, { headers: { authorization: "Bearer sk-registered" } });
    expect(info.status).toBe(200);
    expect(((await info.json()) as any).info).toMatchObject({ key_name: "sk-...ered" });

    expect((await post("/__admin/keys", { keys: ["sk-added-later"] })).body).toEqual({ ok: true, count: 2 });
    expect((await chat("sk-added-later")).status).toBe(200);
    expect((await post("/__admin/keys", { keys: [""] })).status).toBe(400);
    expect((await post("/__admin/keys", { nope: 1 })).status).toBe(400);
    const cfg = (await (await fetch(`${fake.url}/__admin/config`)).json()) as any;
    expect(JSON.stringify(cfg)).not.toContain("sk-added-later");

    fake.setOptions({ acceptAnyKey: true });
    try {
      expect((await chat("sk-anything")).status).toBe(200);
      expect((await fetch(`${fake.url}/key/info`, { headers: { authorization: "Bearer sk-anything" } })).status).toBe(200);
      expect((await chat("not-sk")).status).toBe(401);
    } finally {
      fake.setOptions({ acceptAnyKey: false, keys: ["sk-registered"] });
    }
  });

  it("lists minted keys per user with the master key (GET /key/list)", async () => {
    for (const user of ["u1", "u1", "u2"]) expect((await post("/key/generate", { user_id: user }, MASTER)).status).toBe(200);
    const list = async (query: string, key = MASTER) => {
      const res = await fetch(`${fake.url}/key/list?${query}`, { headers: { authorization: `Bearer ${key}` } });
      return { status: res.status, body: (await res.json()) as any };
    };
    expect((await list("user_id=u1&size=1&page=1")).body).toMatchObject({ total_count: 2, current_page: 1, keys: [expect.any(String)] });
    expect((await list("user_id=u2")).body.total_count).toBe(1);
    expect((await list("user_id=nobody")).body.total_count).toBe(0);
    expect((await list("", "sk-registered")).status).toBe(401);
  });

  it("refuses /key/generate and /user/new without the master key, in LiteLLM's error shape", async () => {
    const minted = await post("/key/generate", {}, MASTER);
    for (const key of [minted.body.key, "sk-stranger", undefined]) {
      const res = await post("/key/generate", {}, key);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { message: expect.stringContaining("Authentication Error"), type: "auth_error", param: null, code: "401" } });
    }
    expect((await post("/user/new", { user_email: "a@b.c" }, "sk-stranger")).status).toBe(401);
  });

  it("creates users with a key", async () => {
    const user = await post("/user/new", { user_email: "bob@example.org", user_role: "internal_user" }, MASTER);
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({ user_email: "bob@example.org", user_role: "internal_user" });
    expect((await chat(user.body.key)).status).toBe(200);
  });
});

describe("error injection", () => {
  it("fails the next N requests of a route only", async () => {
    fake.failNext("chat", 2, 503);
    expect((await chat(MASTER)).status).toBe(503);
    expect((await post("/model/m/converse", { messages: [] })).status).toBe(200);
    expect((await chat(MASTER)).status).toBe(503);
    expect((await chat(MASTER)).status).toBe(200);
  });

  it("applies error-rate rules (rate 1 always, rate 0 never) with Bedrock error typing", async () => {
    fake.setOptions({ errors: [{ route: "converse", status: 429, rate: 1 }, { route: "chat", status: 500, rate: 0 }] });
    const res = await post("/model/m/converse", { messages: [] });
    expect(res.status).toBe(429);
    expect(res.headers.get("x-amzn-errortype")).toBe("ThrottlingException");
    expect((await chat(MASTER)).status).toBe(200);
  });

  it("fails from the x-fake-llm header and rejects a malformed header", async () => {
    const res = await post("/model/m/converse", { messages: [] }, undefined, { "x-fake-llm": JSON.stringify({ errorType: "ModelNotReadyException" }) });
    expect(res.status).toBe(429);
    expect(res.headers.get("x-amzn-errortype")).toBe("ModelNotReadyException");
    const bad = await chat(MASTER, { "x-fake-llm": "{nope" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("x-fake-llm");
  });
});

describe("latency controls", () => {
  it("delays non-streaming replies by at least latencyMs", async () => {
    fake.setOptions({ latencyMs: 120 });
    const t0 = performance.now();
    expect((await chat(MASTER)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it("sends stream headers first, then waits ttft, then paces tokens", async () => {
    // Only lower bounds from the request start are asserted: the server can never be early, a loaded machine can be late.
    const t0 = performance.now();
    const res = await fetch(`${fake.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${MASTER}`, "x-fake-llm": JSON.stringify({ ttftMs: 400, tokensPerSecond: 50, text: "a b c d e" }) },
      body: JSON.stringify({ model: "m", stream: true, messages: [{ role: "user", content: "x" }] }),
    });
    const headersAt = performance.now() - t0;
    const arrivals: { at: number; text: string }[] = [];
    const decoder = new TextDecoder();
    for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) arrivals.push({ at: performance.now() - t0, text: decoder.decode(part) });
    const all = arrivals.map((a) => a.text).join("");
    expect(all.indexOf('"role":"assistant"')).toBeLessThan(all.indexOf('"content":"a"'));
    const firstContent = arrivals.find((a) => a.text.includes('"content":"a"'))!;
    const done = arrivals.find((a) => a.text.includes("[DONE]"))!;
    // Headers are flushed up front, not together with the first token: a clear gap separates them.
    expect(firstContent.at - headersAt).toBeGreaterThanOrEqual(100);
    expect(firstContent.at).toBeGreaterThanOrEqual(390);
    // 5 tokens at 50/s: the last is due 4 * 20 ms after the first.
    expect(done.at).toBeGreaterThanOrEqual(390 + 4 * 20 - 5);
  });

  it("draws uniform latency within [min, max]", async () => {
    fake.setOptions({ latencyMs: [60, 80] });
    const t0 = performance.now();
    await chat(MASTER);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it("rejects invalid options with every problem named", () => {
    expect(() => fake.setOptions({ latencyMs: [50, 10], ttftMs: -1 })).toThrow(/latencyMs[\s\S]*ttftMs/);
  });
});

describe("admin endpoints", () => {
  it("reports counters and the last requests with secrets redacted, bounded by the ring size", async () => {
    for (let i = 0; i < 7; i++) await chat(MASTER);
    const counters = (await (await fetch(`${fake.url}/__admin/counters`)).json()) as Record<string, number>;
    expect(counters).toMatchObject({ total: 7, chat: 7 });
    const requests = (await (await fetch(`${fake.url}/__admin/requests`)).json()) as any[];
    expect(requests).toHaveLength(5);
    expect(requests[0].headers.authorization).toBe("[redacted]");
    expect(JSON.stringify(requests)).not.toContain(MASTER);
    expect(requests[0].body.messages[0].content).toBe("hi");
    expect(((await (await fetch(`${fake.url}/__admin/requests?limit=2`)).json()) as any[]).length).toBe(2);
    await post("/__admin/reset", {});
    expect(await (await fetch(`${fake.url}/__admin/counters`)).json()).toEqual({});
  });

  it("changes config and queues fail-next over HTTP, and validates both", async () => {
    const cfg = await post("/__admin/config", { responseTokens: 12 });
    expect(cfg.body).toMatchObject({ responseTokens: 12, masterKey: "[redacted]" });
    expect((await chat(MASTER)).body.usage.completion_tokens).toBe(12);
    fake.setOptions({ responseTokens: undefined });
    expect((await post("/__admin/config", { tokensPerSecond: "fast" })).status).toBe(400);
    expect((await post("/__admin/fail-next", { route: "converse", n: 1, errorType: "ServiceUnavailableException" })).status).toBe(200);
    expect((await post("/model/m/converse", { messages: [] })).status).toBe(503);
    expect((await post("/__admin/fail-next", { route: "converse", n: 0, status: 500 })).status).toBe(400);
  });
});

describe("admin key", () => {
  let locked: FakeLlm;
  beforeAll(async () => {
    locked = await startFakeLlm({ adminKey: "admin-secret" });
  });
  afterAll(() => locked.close());
  it("requires the admin bearer when configured", async () => {
    expect((await fetch(`${locked.url}/__admin/counters`)).status).toBe(401);
    expect((await fetch(`${locked.url}/__admin/counters`, { headers: { authorization: "Bearer admin-secret" } })).status).toBe(200);
  });
});

describe("fleet", () => {
  let fleet: FakeLlm[] = [];
  afterEach(async () => {
    await Promise.all(fleet.map((f) => f.close()));
    fleet = [];
  });

  it("starts one labelled instance per region on distinct loopback ports", async () => {
    fleet = await startFakeLlmFleet(["us-east-1", "eu-west-1", "ap-northeast-1"]);
    expect(new Set(fleet.map((f) => f.port)).size).toBe(3);
    for (const f of fleet) {
      expect(f.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${f.url}/model/m/converse`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "where" }] }] }) });
      expect(res.headers.get("x-fake-llm-region")).toBe(f.region);
      expect(((await res.json()) as any).output.message.content[0].text).toBe(`fake reply from ${f.region}: where`);
    }
    fleet[0]!.failNext("*", 1, 429);
    expect((await fetch(`${fleet[0]!.url}/model/m/converse`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(429);
    expect((await fetch(`${fleet[1]!.url}/model/m/converse`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(200);
  });
});

describe("CLI arguments", () => {
  it("reads flags over FAKE_LLM_* environment variables", () => {
    const cfg = parseCli(["--port", "9000", "--latency-ms", "5", "--latency-ms-max", "9", "--error-rate", "converse=429:0.5", "--error-rate", "chat=503:0.1:ServiceUnavailableException"], {
      FAKE_LLM_PORT: "1234",
      FAKE_LLM_REGION: "eu-north-1",
      FAKE_LLM_TTFT_MS: "30",
      FAKE_LLM_KEYS: "sk-a, sk-b",
    });
    expect(cfg.options).toMatchObject({ port: 9000, region: "eu-north-1", latencyMs: [5, 9], ttftMs: 30, keys: ["sk-a", "sk-b"] });
    expect(cfg.options.acceptAnyKey).toBeUndefined();
    expect(parseCli(["--keys", "sk-c", "--accept-any-key", "true"], { FAKE_LLM_KEYS: "sk-a" }).options).toMatchObject({ keys: ["sk-c"], acceptAnyKey: true });
    expect(cfg.options.errors).toEqual([
      { route: "converse", status: 429, rate: 0.5 },
      { route: "chat", status: 503, rate: 0.1, errorType: "ServiceUnavailableException" },
    ]);
    expect(cfg.fleet).toEqual([{ region: "eu-north-1", port: 9000 }]);
  });

  it("parses a fleet and lists every problem at once", () => {
    expect(parseCli(["--fleet", "us-east-1:8101,us-west-2:8102"], {}).fleet).toEqual([
      { region: "us-east-1", port: 8101 },
      { region: "us-west-2", port: 8102 },
    ]);
    try {
      parseCli(["--fleet", "us-east-1:1,bad", "--ttft-ms=-3", "--error-rate", "x=2:1"], {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CliError);
      expect((e as CliError).problems).toHaveLength(3);
    }
  });
});
