import OpenAI, { APIError, AuthenticationError, RateLimitError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "./index";

let fake: FakeLlm;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeLlm({ region: "ap-southeast-2", rejectKeys: ["sk-revoked"], keys: ["sk-openai-test", "sk-raw"] });
  client = new OpenAI({ apiKey: "sk-openai-test", baseURL: `${fake.url}/v1`, maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const weatherTools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: "function",
    function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } } } },
  },
];

describe("chat completions", () => {
  it("answers non-streaming with the region, the echo and chars/4 usage", async () => {
    const content = "tell me something about regions";
    const res = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "system", content: "sys" }, { role: "user", content }] });
    expect(res.object).toBe("chat.completion");
    expect(res.model).toBe("gpt-4o-mini");
    expect(res.choices[0]!.message.content).toBe(`fake reply from ap-southeast-2: ${content}`);
    expect(res.choices[0]!.finish_reason).toBe("stop");
    expect(res.usage).toEqual({
      prompt_tokens: Math.ceil((content.length + 3) / 4),
      completion_tokens: res.choices[0]!.message.content!.split(" ").length,
      total_tokens: res.usage!.prompt_tokens + res.usage!.completion_tokens,
    });
  });

  it("also serves /chat/completions without the /v1 prefix", async () => {
    const bare = new OpenAI({ apiKey: "sk-openai-test", baseURL: fake.url, maxRetries: 0 });
    const res = await bare.chat.completions.create({ model: "m", messages: [{ role: "user", content: "no prefix" }] });
    expect(res.choices[0]!.message.content).toContain("no prefix");
    expect(fake.lastRequests().at(-1)!.path).toBe("/chat/completions");
  });

  it("streams a role chunk, content chunks, a finish chunk and a usage chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "m",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "stream please" }],
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("fake reply from ap-southeast-2: stream please");
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish!.choices[0]!.finish_reason).toBe("stop");
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBe(chunks.filter((c) => c.choices[0]?.delta.content).length);
  });

  it("ends the raw SSE stream with data: [DONE] and omits usage without include_usage", async () => {
    const res = await fetch(`${fake.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-raw" },
      body: JSON.stringify({ model: "m", stream: true, messages: [{ role: "user", content: "raw" }] }),
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const body = await res.text();
    expect(body.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(body).not.toContain('"usage"');
  });

  it("returns a tool call when tools are offered and the user mentions the weather", async () => {
    const res = await client.chat.completions.create({ model: "m", tools: weatherTools, messages: [{ role: "user", content: "What's the weather in Oslo?" }] });
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toEqual({ location: "Seattle", unit: "c" });
  });

  it("does not call tools with tool_choice none, and answers the tool result with text", async () => {
    const none = await client.chat.completions.create({ model: "m", tools: weatherTools, tool_choice: "none", messages: [{ role: "user", content: "weather?" }] });
    expect(none.choices[0]!.finish_reason).toBe("stop");
    const after = await client.chat.completions.create({
      model: "m",
      tools: weatherTools,
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: "sunny" },
      ],
    });
    expect(after.choices[0]!.finish_reason).toBe("stop");
  });

  it("streams tool-call deltas that assemble into valid JSON arguments, forced by the control header", async () => {
    const stream = await client.chat.completions.create(
      { model: "m", stream: true, tools: weatherTools, messages: [{ role: "user", content: "hello" }] },
      { headers: { "x-fake-llm": JSON.stringify({ tool: true, toolInput: { location: "Lima" } }) } },
    );
    let args = "";
    let name = "";
    let finish: string | null | undefined;
    for await (const c of stream) {
      const tc = c.choices[0]?.delta.tool_calls?.[0];
      if (tc?.function?.name) name = tc.function.name;
      args += tc?.function?.arguments ?? "";
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe("get_weather");
    expect(JSON.parse(args)).toEqual({ location: "Lima" });
    expect(finish).toBe("tool_calls");
  });

  it("cuts at max_tokens with finish_reason length", async () => {
    const res = await client.chat.completions.create({ model: "m", max_tokens: 3, messages: [{ role: "user", content: "long" }] });
    expect(res.choices[0]!.finish_reason).toBe("length");
    expect(res.usage!.completion_tokens).toBe(3);
  });

  it("honours responseTokens from the control header", async () => {
    const res = await client.chat.completions.create(
      { model: "m", messages: [{ role: "user", content: "x" }] },
      { headers: { "x-fake-llm": JSON.stringify({ responseTokens: 40 }) } },
    );
    expect(res.usage!.completion_tokens).toBe(40);
    expect(res.choices[0]!.message.content!.trim().split(/\s+/)).toHaveLength(40);
  });
});

describe("auth and errors", () => {
  it("raises AuthenticationError in LiteLLM's shape for a rejected, unregistered or non-sk key", async () => {
    for (const apiKey of ["sk-revoked", "not-a-key", "sk-never-registered"]) {
      const bad = new OpenAI({ apiKey, baseURL: `${fake.url}/v1`, maxRetries: 0 });
      const err = await bad.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect((err as AuthenticationError).error).toEqual({ message: expect.stringContaining("Authentication Error"), type: "auth_error", param: null, code: "401" });
    }
  });

  it("raises RateLimitError for an injected 429 and then recovers", async () => {
    fake.failNext("chat", 1, 429);
    const err = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    const ok = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(ok.choices[0]!.finish_reason).toBe("stop");
    expect(fake.counters()).toMatchObject({ chat: 2, "chat.injected": 1 });
  });

  it("breaks a stream midway with an SSE error event the client raises", async () => {
    const stream = await client.chat.completions.create(
      { model: "m", stream: true, messages: [{ role: "user", content: "break" }] },
      { headers: { "x-fake-llm": JSON.stringify({ failAfterChunks: 2, status: 503 }) } },
    );
    let contentChunks = 0;
    const err = await (async () => {
      for await (const c of stream) if (c.choices[0]?.delta.content) contentChunks++;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toContain("503");
    expect(contentChunks).toBe(2);
  });

  it("aborts the socket midway with abortAfterChunks", async () => {
    const stream = await client.chat.completions.create(
      { model: "m", stream: true, messages: [{ role: "user", content: "abort" }] },
      { headers: { "x-fake-llm": JSON.stringify({ abortAfterChunks: 1 }) } },
    );
    const err = await (async () => {
      for await (const _ of stream) {
        /* drain */
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
  });

  it("lists models", async () => {
    const list = await client.models.list();
    expect(list.data.map((m) => m.id)).toContain("fake-openai-endpoint");
  });
});
