/**
 * OpenAI routes and chat history driven by the real openai package against the running middleware + fake-llm.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import OpenAI, { AuthenticationError, BadRequestError, NotFoundError, RateLimitError } from "openai";
import { arn } from "@gw/partition";
import { ownerHash } from "../history/index";
import { newKey, openaiClient, startHarness, type Harness } from "../testing/harness";

let h: Harness;
let key: string;
let client: OpenAI;
const MODEL = "gpt-4o-mini";

beforeAll(async () => {
  h = await startHarness({ env: { BODY_LIMIT_BYTES: String(256 * 1024) }, fake: { rejectKeys: ["sk-revoked"] } });
  key = newKey(h);
  client = openaiClient(h.url, key);
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => h.fake.reset());

type WithSession = { session_id?: string };
const lastChatBody = () => h.fake.lastRequests().filter((r) => r.route === "chat").at(-1)!.body as { messages: { role: string; content: unknown }[] } & Record<string, unknown>;

async function post(path: string, body: unknown, apiKey = key, method = "POST"): Promise<Response> {
  return fetch(`${h.url}${path}`, { method, headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
}

describe("chat completions pass-through", () => {
  it("answers non-streaming requests and adds no session without history", async () => {
    const res = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "ping one" }] });
    expect(res.choices[0]!.message.content).toContain("ping one");
    expect((res as WithSession).session_id).toBeUndefined();
    expect(h.fake.counters().chat).toBe(1);
  });

  it("forwards a body without gateway fields byte for byte and relays the answer's status, headers and body", async () => {
    const raw = `{ "messages" : [ {"role":"user","content":"as sent \u2713 ✓"} ],\n "model": "${MODEL}", "metadata": {"b": 1, "a": 2} }`;
    const res = await post("/v1/chat/completions", raw);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-fake-llm-region")).toBe("us-east-1");
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toContain("as sent ✓ ✓");
    const sent = h.fake.lastRequests().filter((r) => r.route === "chat").at(-1)!;
    expect(sent.headers["content-length"]).toBe(String(Buffer.byteLength(raw)));
    expect(sent.body).toEqual(JSON.parse(raw));

    const withSwitch = await post("/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "x" }], enable_history: false });
    expect(withSwitch.status).toBe(200);
    expect(lastChatBody()).toEqual({ model: MODEL, messages: [{ role: "user", content: "x" }] });
  });

  it("streams chunks as they arrive, including the usage chunk and [DONE]", async () => {
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "stream two" }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: unknown;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toContain("stream two");
    expect(usage).toMatchObject({ completion_tokens: expect.any(Number) });

    const raw = await post("/chat/completions", { model: MODEL, messages: [{ role: "user", content: "raw" }], stream: true });
    expect(raw.headers.get("content-type")).toContain("text/event-stream");
    expect(await raw.text()).toMatch(/data: \[DONE\]\n\n$/);
  });

  it("passes upstream 401 and 429 through as AuthenticationError and RateLimitError", async () => {
    const bad = openaiClient(h.url, "sk-revoked");
    await expect(bad.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(AuthenticationError);
    await expect(bad.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }], stream: true })).rejects.toBeInstanceOf(AuthenticationError);
    h.fake.failNext("chat", 2, 429);
    await expect(client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(RateLimitError);
    await expect(client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }], stream: true })).rejects.toBeInstanceOf(RateLimitError);
  });

  it("a rejected key with history on creates no session", async () => {
    const bad = openaiClient(h.url, "sk-revoked");
    await expect(bad.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }], enable_history: true } as never)).rejects.toBeInstanceOf(AuthenticationError);
    const page = await h.store.listSessions(ownerHash("sk-revoked", h.config.historyHashKey), { limit: 10 });
    expect(page.sessions).toEqual([]);
  });

  it("resolves a managed prompt ARN given as the model", async () => {
    h.fake.setPrompts([{ id: "OPENAIPRMT", text: "Summarise {{ subject }}", modelId: MODEL, inferenceConfiguration: { maxTokens: 33 } }]);
    for (const region of ["us-west-2", "cn-northwest-1", "us-gov-east-1"]) {
      const res = await client.chat.completions.create({ model: arn(region, "bedrock", "prompt/OPENAIPRMT"), messages: [], promptVariables: { subject: { text: "the tides" } } } as never);
      expect((res as OpenAI.ChatCompletion).choices[0]!.message.content).toContain("Summarise the tides");
      expect(lastChatBody()).toMatchObject({ model: MODEL, max_tokens: 33 });
      expect(lastChatBody().promptVariables).toBeUndefined();
    }
    const err = await client.chat.completions.create({ model: arn("us-west-2", "bedrock", "prompt/OPENAIPRMT"), messages: [], promptVariables: { nope: "x" } } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as Error).message).toContain("subject");
  });
});

describe("chat history", () => {
  it("keeps a conversation across turns (non-streaming then streaming) and stores the system prompt once", async () => {
    const first = (await client.chat.completions.create({ model: MODEL, messages: [{ role: "system", content: "be terse" }, { role: "user", content: "turn one" }], enable_history: true } as never)) as OpenAI.ChatCompletion & WithSession;
    const sessionId = first.session_id!;
    expect(sessionId).toMatch(/[0-9a-f-]{36}/);

    const { data: stream, response } = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: "system", content: "be terse" }, { role: "user", content: "turn two" }], stream: true, session_id: sessionId } as never)
      .withResponse();
    expect(response.headers.get("x-session-id")).toBe(sessionId);
    let firstChunk: (OpenAI.ChatCompletionChunk & WithSession) | undefined;
    for await (const chunk of stream as unknown as AsyncIterable<OpenAI.ChatCompletionChunk & WithSession>) firstChunk ??= chunk;
    expect(firstChunk?.session_id).toBe(sessionId);
    expect(lastChatBody().messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(lastChatBody().session_id).toBeUndefined();
    expect(lastChatBody().enable_history).toBeUndefined();

    const third = (await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "turn three" }], session_id: sessionId } as never)) as OpenAI.ChatCompletion & WithSession;
    expect(third.session_id).toBe(sessionId);

    const res = await post("/chat-history", { session_id: sessionId });
    expect(res.status).toBe(200);
    const history = (await res.json()) as { messages: { role: string; content: string }[] };
    expect(history.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user", "assistant"]);
    expect(history.messages[4]!.content).toContain("turn two");
  });

  it("another key gets 404 everywhere and learns nothing; the owner can delete", async () => {
    const own = (await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "secret" }], enable_history: true } as never)) as OpenAI.ChatCompletion & WithSession;
    const other = newKey(h);
    const thief = openaiClient(h.url, other);
    await expect(thief.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }], session_id: own.session_id } as never)).rejects.toBeInstanceOf(NotFoundError);
    await expect(thief.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "x" }], session_id: "never-existed" } as never)).rejects.toBeInstanceOf(NotFoundError);
    for (const [path, body, method] of [["/chat-history", { session_id: own.session_id }, "POST"], ["/bedrock/chat-history", { session_id: own.session_id }, "POST"], [`/chat-history/${own.session_id}`, undefined, "DELETE"]] as const) {
      const res = await post(path, body, other, method);
      expect(res.status).toBe(404);
    }
    expect(h.fake.counters().chat).toBe(1);
    const del = await post(`/chat-history/${own.session_id}`, undefined, key, "DELETE");
    expect(del.status).toBe(200);
    expect((await post("/chat-history", { session_id: own.session_id })).status).toBe(404);
  });

  it("history endpoints check the key with LiteLLM's /key/info: a known key passes, an unknown key or a 404 is refused", async () => {
    const known = newKey(h);
    expect((await post("/session-ids", {}, known)).status).toBe(200);
    const unknown = await post("/session-ids", {}, "sk-never-registered");
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: { type: string } }).error.type).toBeTruthy();
    // A 404 from /key/info is not a valid key (a fresh key: positive answers are cached).
    const fresh = newKey(h);
    h.fake.failNext("key/info", 1, 404);
    expect((await post("/session-ids", {}, fresh)).status).toBe(401);
    expect((await post("/session-ids", {}, fresh)).status).toBe(200);
  });

  it("lists the caller's sessions with pagination", async () => {
    const mine = newKey(h);
    const c = openaiClient(h.url, mine);
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add(((await c.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `s${i}` }], enable_history: true } as never)) as WithSession).session_id!);
    const page1 = (await (await post("/session-ids", { limit: 2 }, mine)).json()) as { session_ids: string[]; next_cursor: string | null };
    expect(page1.session_ids).toHaveLength(2);
    expect(page1.next_cursor).toBeTruthy();
    const page2 = (await (await post("/session-ids", { limit: 2, cursor: page1.next_cursor }, mine)).json()) as { session_ids: string[]; next_cursor: string | null };
    expect(page2.session_ids).toHaveLength(1);
    expect(new Set([...page1.session_ids, ...page2.session_ids])).toEqual(ids);
    expect((await post("/session-ids", { limit: "lots" }, mine)).status).toBe(400);
    const none = (await (await post("/session-ids", {}, newKey(h))).json()) as { session_ids: string[] };
    expect(none.session_ids).toEqual([]);
  });

  it("50 parallel turns on one session store all 100 new messages, each user message followed by its reply", async () => {
    const first = (await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "opening" }], enable_history: true } as never)) as WithSession;
    const sessionId = first.session_id!;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `parallel-${i}` }], session_id: sessionId, stream: i % 2 === 0 } as never).then(async (r) => {
        if (i % 2 === 0) for await (const _c of r as unknown as AsyncIterable<unknown>) void _c;
      })),
    );
    const messages = (await h.store.load(sessionId, ownerHash(key, h.config.historyHashKey)))!;
    expect(messages).toHaveLength(102);
    const seen = new Set<string>();
    for (let i = 2; i < messages.length; i += 2) {
      const u = messages[i]!;
      const a = messages[i + 1]!;
      expect(u.role).toBe("user");
      expect(a.role).toBe("assistant");
      const tag = String(u.content);
      expect(String(a.content)).toContain(tag);
      seen.add(tag);
    }
    expect(seen.size).toBe(50);
  });
});

describe("bad input gets 4xx in OpenAI's error shape, never 5xx", () => {
  it.each([
    ["malformed JSON", "{nope", 400],
    ["a JSON string", '"hi"', 400],
    ["messages of the wrong type", JSON.stringify({ model: MODEL, messages: "hello" }), 400],
    ["a message without a role", JSON.stringify({ model: MODEL, messages: [{ content: "x" }] }), 400],
    ["a non-string model", JSON.stringify({ model: 5, messages: [] }), 400],
    ["a non-string session_id", JSON.stringify({ model: MODEL, messages: [], session_id: 7 }), 400],
    ["an oversize body", JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "x".repeat(300 * 1024) }] }), 413],
  ])("%s", async (_name, body, status) => {
    const res = await post("/v1/chat/completions", body);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { message: string; type: string; code: string } };
    expect(json.error.type).toBe("invalid_request_error");
    expect(json.error.message).toBeTruthy();
    expect(h.fake.counters().chat ?? 0).toBe(0);
  });

  it("history endpoints without a key or session id answer 401/400", async () => {
    expect((await fetch(`${h.url}/chat-history`, { method: "POST", body: "{}" })).status).toBe(401);
    expect((await post("/chat-history", {})).status).toBe(400);
    expect((await post("/chat-history", "{bad")).status).toBe(400);
  });

  it("unknown routes are proxied and answer the upstream's 404", async () => {
    const res = await fetch(`${h.url}/no/such/route?x=1`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(404);
    expect(res.status).toBeLessThan(500);
  });
});

describe("HISTORY_MAX_MESSAGES", () => {
  // One capped middleware per turn-cache setting, sharing this file's store: the window must be the same whether the
  // stored prefix comes from the cache or from the database.
  for (const cacheChars of ["4194304", "0"]) {
    describe(`with HISTORY_TURN_CACHE_CHARS=${cacheChars}`, () => {
      let capped: Harness;
      let cappedKey: string;
      const cappedBody = () => capped.fake.lastRequests().filter((r) => r.route === "chat").at(-1)!.body as { messages: { role: string; content: unknown; tool_calls?: unknown[] }[] };
      beforeAll(async () => {
        capped = await startHarness({ store: h.store, env: { HISTORY_MAX_MESSAGES: "4", HISTORY_TURN_CACHE_CHARS: cacheChars } });
        cappedKey = newKey(capped);
      });
      afterAll(() => capped?.close());

      it("sends the system prompt and the most recent N messages; storage keeps every message", async () => {
        const c = openaiClient(capped.url, cappedKey);
        const first = (await c.chat.completions.create({ model: MODEL, messages: [{ role: "system", content: "be terse" }, { role: "user", content: "u1" }], enable_history: true } as never)) as WithSession;
        const sessionId = first.session_id!;
        for (const u of ["u2", "u3"]) await c.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: u }], session_id: sessionId } as never);
        // Stored: system, u1, a1, u2, a2, u3, a3 (6 non-system); this turn adds u4: the last 4 are a2, u3, a3, u4.
        const stream = await c.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "u4" }], session_id: sessionId, stream: true } as never);
        for await (const _chunk of stream as unknown as AsyncIterable<unknown>) void _chunk;
        const sent = cappedBody().messages;
        expect(sent.map((m) => m.role)).toEqual(["system", "assistant", "user", "assistant", "user"]);
        expect(sent.map((m) => (m.role === "user" || m.role === "system" ? m.content : "a"))).toEqual(["be terse", "a", "u3", "a", "u4"]);
        expect(String(sent[1]!.content)).toContain("u2");

        const read = await fetch(`${capped.url}/chat-history`, { method: "POST", headers: { authorization: `Bearer ${cappedKey}`, "content-type": "application/json" }, body: JSON.stringify({ session_id: sessionId }) });
        const history = (await read.json()) as { messages: { role: string; content: string }[] };
        expect(history.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user", "assistant", "user", "assistant"]);
        expect(history.messages[1]!.content).toBe("u1");
      });

      it("never separates an assistant tool call from its tool results", async () => {
        const c = openaiClient(capped.url, cappedKey);
        const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } } }];
        const first = (await c.chat.completions.create({ model: MODEL, tools, messages: [{ role: "system", content: "sys" }, { role: "user", content: "old" }], enable_history: true } as never)) as WithSession;
        const sessionId = first.session_id!;
        const call = (await c.chat.completions.create({ model: MODEL, tools, messages: [{ role: "user", content: "what is the weather?" }], session_id: sessionId } as never)) as OpenAI.ChatCompletion;
        const toolCall = call.choices[0]!.message.tool_calls![0]!;
        // Stored: sys, old, a, weather?, assistant(tool_calls), then this turn's tool result + reply.
        await c.chat.completions.create({ model: MODEL, tools, messages: [{ role: "tool", tool_call_id: toolCall.id, content: "sunny" }], session_id: sessionId } as never);
        expect(cappedBody().messages.map((m) => m.role)).toEqual(["system", "assistant", "user", "assistant", "tool"]);

        // Stored now: sys, old, a, weather?, assistant(tool_calls), tool, a2. With two new messages the last 4 would
        // start at the tool result: the window widens to its assistant message.
        await c.chat.completions.create({ model: MODEL, tools, messages: [{ role: "user", content: "thanks" }, { role: "user", content: "more" }], session_id: sessionId } as never);
        const sent = cappedBody().messages;
        expect(sent.map((m) => m.role)).toEqual(["system", "assistant", "tool", "assistant", "user", "user"]);
        expect(sent[1]!.tool_calls).toEqual([expect.objectContaining({ id: toolCall.id })]);
      });
    });
  }

  it("0 sends the whole history", async () => {
    const all = await startHarness({ store: h.store, env: { HISTORY_MAX_MESSAGES: "0" } });
    try {
      const c = openaiClient(all.url, newKey(all));
      const first = (await c.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "u1" }], enable_history: true } as never)) as WithSession;
      for (let i = 2; i <= 4; i++) await c.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `u${i}` }], session_id: first.session_id } as never);
      expect((all.fake.lastRequests().filter((r) => r.route === "chat").at(-1)!.body as { messages: unknown[] }).messages).toHaveLength(7);
    } finally {
      await all.close();
    }
  });
});
