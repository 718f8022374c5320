/**
 * The Bedrock Converse facade driven by the real @aws-sdk/client-bedrock-runtime against the running middleware,
 * with fake-llm standing in for LiteLLM.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AccessDeniedException,
  ConverseCommand,
  ConverseStreamCommand,
  InternalServerException,
  ModelStreamErrorException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type BedrockRuntimeClient,
  type ConverseStreamOutput,
  type Message,
} from "@aws-sdk/client-bedrock-runtime";
import { arn } from "@gw/partition";
import { bedrockClient, newKey, openaiClient, startHarness, withHeader, type Harness } from "../testing/harness";
import { PermissionDeniedError } from "openai";

let h: Harness;
let key: string;
let client: BedrockRuntimeClient;
const MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0";

beforeAll(async () => {
  h = await startHarness({ env: { BODY_LIMIT_BYTES: String(256 * 1024) }, fake: { rejectKeys: ["sk-revoked"] } });
  key = newKey(h);
  client = bedrockClient(h.url, key);
});
afterAll(async () => {
  client?.destroy();
  await h?.close();
});
beforeEach(() => h.fake.reset());

const user = (text: string): Message => ({ role: "user", content: [{ text }] });

/** Captures response headers of a Bedrock client (the SDK output does not surface X-Session-Id). */
function captureHeaders(c: BedrockRuntimeClient): Record<string, string> {
  const seen: Record<string, string> = {};
  c.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      Object.assign(seen, (result.response as { headers: Record<string, string> }).headers);
      return result;
    },
    { step: "deserialize", name: "capture-headers", priority: "low" },
  );
  return seen;
}

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const events: ConverseStreamOutput[] = [];
  for await (const ev of stream ?? []) events.push(ev);
  return events;
}
const eventName = (ev: ConverseStreamOutput) => Object.keys(ev).find((k) => (ev as unknown as Record<string, unknown>)[k] !== undefined)!;

describe("Converse", () => {
  it("answers a Converse-shaped response with usage and metrics", async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL, system: [{ text: "be brief" }], messages: [user("hello gateway")], inferenceConfig: { maxTokens: 64, temperature: 0.3 } }));
    expect(out.output?.message?.role).toBe("assistant");
    expect(out.output?.message?.content?.[0]?.text).toContain("hello gateway");
    expect(out.stopReason).toBe("end_turn");
    expect(out.usage?.inputTokens).toBeGreaterThan(0);
    expect(out.usage?.totalTokens).toBe((out.usage?.inputTokens ?? 0) + (out.usage?.outputTokens ?? 0));
    expect(typeof out.metrics?.latencyMs).toBe("number");
    const sent = h.fake.lastRequests().find((r) => r.route === "chat")!;
    expect(sent.body).toMatchObject({ model: MODEL, max_tokens: 64, temperature: 0.3, messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello gateway" }] });
    expect(sent.headers.authorization).toBeDefined();
    expect(Object.keys(sent.headers).filter((k) => k.startsWith("x-amz") || k.startsWith("amz-sdk"))).toEqual([]);
  });

  it("converts tool use both ways and reports stopReason tool_use", async () => {
    const c = withHeader(bedrockClient(h.url, key), "x-fake-llm", JSON.stringify({ tool: true, toolInput: { city: "Oslo" } }));
    const toolConfig = { tools: [{ toolSpec: { name: "get_weather", description: "weather", inputSchema: { json: { type: "object", properties: { city: { type: "string" } } } } } }] };
    const first = await c.send(new ConverseCommand({ modelId: MODEL, messages: [user("weather in Oslo?")], toolConfig }));
    expect(first.stopReason).toBe("tool_use");
    const toolUse = first.output?.message?.content?.find((b) => b.toolUse)?.toolUse;
    expect(toolUse?.name).toBe("get_weather");
    expect(toolUse?.input).toEqual({ city: "Oslo" });
    c.destroy();

    const second = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        toolConfig,
        messages: [user("weather in Oslo?"), first.output!.message!, { role: "user", content: [{ toolResult: { toolUseId: toolUse!.toolUseId!, content: [{ json: { tempC: 21 } }] } }] }],
      }),
    );
    expect(second.output?.message?.content?.[0]?.text).toBeTruthy();
    const sent = h.fake.lastRequests().filter((r) => r.route === "chat").at(-1)!.body as { messages: Record<string, unknown>[]; tools: unknown[] };
    expect(sent.tools).toEqual([{ type: "function", function: { name: "get_weather", description: "weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }]);
    expect(sent.messages[1]).toMatchObject({ role: "assistant", tool_calls: [{ id: toolUse!.toolUseId, type: "function", function: { name: "get_weather" } }] });
    expect(sent.messages[2]).toEqual({ role: "tool", tool_call_id: toolUse!.toolUseId, content: '{"tempC":21}' });
  });
});

describe("ConverseStream", () => {
  it("streams the full event order and the same text as Converse", async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [user("stream please")] }));
    const events = await collect(out.stream);
    const names = events.map(eventName);
    expect(names[0]).toBe("messageStart");
    expect(names.slice(-3)).toEqual(["contentBlockStop", "messageStop", "metadata"]);
    expect(names.filter((n) => n === "contentBlockDelta").length).toBeGreaterThan(1);
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? "").join("");
    expect(text).toContain("stream please");
    expect(events.at(-2)?.messageStop?.stopReason).toBe("end_turn");
    const meta = events.at(-1)?.metadata;
    expect(meta?.usage?.outputTokens).toBeGreaterThan(0);
    expect(typeof meta?.metrics?.latencyMs).toBe("number");
  });

  it("streams tool use: contentBlockStart with the tool, input deltas, tool_use stop", async () => {
    const c = withHeader(bedrockClient(h.url, key), "x-fake-llm", JSON.stringify({ tool: true, toolInput: { city: "Lima", days: 3 } }));
    const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: [user("forecast")], toolConfig: { tools: [{ toolSpec: { name: "forecast", inputSchema: { json: { type: "object" } } } }] } }));
    const events = await collect(out.stream);
    c.destroy();
    const start = events.find((e) => e.contentBlockStart)?.contentBlockStart;
    expect(start?.start?.toolUse?.name).toBe("forecast");
    const input = events.filter((e) => e.contentBlockDelta?.contentBlockIndex === start?.contentBlockIndex).map((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? "").join("");
    expect(JSON.parse(input)).toEqual({ city: "Lima", days: 3 });
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe("tool_use");
    expect(events.some((e) => e.contentBlockStop?.contentBlockIndex === start?.contentBlockIndex)).toBe(true);
  });
});

describe("managed prompts (prompt ARN as model id)", () => {
  it.each(["us-east-1", "cn-north-1", "us-gov-west-1"])("resolves a URL-encoded prompt ARN in %s", async (region) => {
    h.fake.setPrompts([{ id: "PROMPT12AB", version: "2", text: "Write about {{ topic }} in {{style}}.", modelId: "gpt-4o-mini", inferenceConfiguration: { maxTokens: 77, temperature: 0.5 } }]);
    const promptArn = arn(region, "bedrock", "prompt/PROMPT12AB:2");
    const c = bedrockClient(h.url, key, region);
    const out = await c.send(new ConverseCommand({ modelId: promptArn, promptVariables: { topic: { text: "otters" }, style: { text: "haiku" } } }));
    c.destroy();
    expect(out.output?.message?.content?.[0]?.text).toContain("Write about otters in haiku.");
    const sent = h.fake.lastRequests().find((r) => r.route === "chat")!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: "gpt-4o-mini", max_tokens: 77, temperature: 0.5 });
  });

  it("streams with a prompt ARN and names missing variables in a ValidationException", async () => {
    h.fake.setPrompts([{ id: "PROMPTSTRM", text: "Tell me about {{topic}}", modelId: "gpt-4o-mini" }]);
    const promptArn = arn("eu-west-1", "bedrock", "prompt/PROMPTSTRM");
    const out = await client.send(new ConverseStreamCommand({ modelId: promptArn, promptVariables: { topic: { text: "tides" } } }));
    const text = (await collect(out.stream)).map((e) => e.contentBlockDelta?.delta?.text ?? "").join("");
    expect(text).toContain("Tell me about tides");
    const err = await client.send(new ConverseCommand({ modelId: promptArn, promptVariables: { wrong: { text: "x" } } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
    expect((err as Error).message).toContain("topic");
  });

  it("answers ResourceNotFoundException for an unknown prompt", async () => {
    h.fake.setPrompts([]);
    const err = await client.send(new ConverseCommand({ modelId: arn("us-west-2", "bedrock", "prompt/NOSUCHPRMT") })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe("upstream errors become typed Bedrock exceptions", () => {
  const cases: [number, string, new (...a: never[]) => Error][] = [
    [400, "ValidationException", ValidationException],
    [401, "AccessDeniedException", AccessDeniedException],
    [403, "AccessDeniedException", AccessDeniedException],
    [404, "ResourceNotFoundException", ResourceNotFoundException],
    [408, "ModelTimeoutException", ModelTimeoutException],
    [429, "ThrottlingException", ThrottlingException],
    [500, "InternalServerException", InternalServerException],
    [503, "ServiceUnavailableException", ServiceUnavailableException],
    [504, "ModelTimeoutException", ModelTimeoutException],
  ];
  it.each(cases)("upstream %i before the response -> %s (Converse and ConverseStream)", async (status, _name, Type) => {
    h.fake.failNext("chat", 2, status);
    const a = await client.send(new ConverseCommand({ modelId: MODEL, messages: [user("x")] })).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(Type);
    expect((a as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(status);
    const b = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [user("x")] })).catch((e: unknown) => e);
    expect(b).toBeInstanceOf(Type);
  });

  it("a rejected key surfaces as AccessDeniedException", async () => {
    const c = bedrockClient(h.url, "sk-revoked");
    const err = await c.send(new ConverseCommand({ modelId: MODEL, messages: [user("x")] })).catch((e: unknown) => e);
    c.destroy();
    expect(err).toBeInstanceOf(AccessDeniedException);
  });

  const midStream: [number, string, new (...a: never[]) => Error][] = [
    [429, "ThrottlingException", ThrottlingException],
    [400, "ValidationException", ValidationException],
    [500, "InternalServerException", InternalServerException],
    [503, "ServiceUnavailableException", ServiceUnavailableException],
  ];
  it.each(midStream)("upstream %i after the stream started -> exception frame %s", async (status, _name, Type) => {
    h.fake.failNext("chat", 1, status, undefined, { afterChunks: 2 });
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [user("x")] }));
    const seen: string[] = [];
    const err = await (async () => {
      for await (const ev of out.stream!) seen.push(eventName(ev));
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Type);
    expect(seen[0]).toBe("messageStart");
  });

  it("a connection cut mid-stream -> ModelStreamErrorException", async () => {
    const c = withHeader(bedrockClient(h.url, key), "x-fake-llm", JSON.stringify({ abortAfterChunks: 2 }));
    // The cut may land before the first frame is read (error from send) or after (error while iterating).
    const err = await c.send(new ConverseStreamCommand({ modelId: MODEL, messages: [user("x")] })).then((out) => collect(out.stream)).catch((e: unknown) => e);
    c.destroy();
    expect(err).toBeInstanceOf(ModelStreamErrorException);
  });
});

describe("bad input gets 4xx ValidationException, never 5xx", () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${h.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers }, body });

  it.each([
    ["malformed JSON", "{not json"],
    ["a JSON array", "[1,2]"],
    ["messages of the wrong type", JSON.stringify({ messages: { role: "user" } })],
    ["missing messages", JSON.stringify({ inferenceConfig: {} })],
    ["a content block of the wrong type", JSON.stringify({ messages: [{ role: "user", content: [{ text: 42 }] }] })],
    ["an empty body", ""],
  ])("%s", async (_name, body) => {
    for (const op of ["converse", "converse-stream"]) {
      const res = await post(`/bedrock/model/${MODEL}/${op}`, body);
      expect(res.status).toBe(400);
      expect(res.headers.get("x-amzn-errortype")).toBe("ValidationException");
      expect(typeof ((await res.json()) as { message: unknown }).message).toBe("string");
    }
    expect(h.fake.counters().chat ?? 0).toBe(0);
  });

  it("an oversize body -> 413 ValidationException", async () => {
    const res = await post(`/bedrock/model/${MODEL}/converse`, JSON.stringify({ messages: [{ role: "user", content: [{ text: "x".repeat(300 * 1024) }] }] }));
    expect(res.status).toBe(413);
    expect(res.headers.get("x-amzn-errortype")).toBe("ValidationException");
  });

  it("the SDK sees ValidationException for invalid content", async () => {
    const err = await client.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ image: { format: "png", source: { s3Location: { uri: "s3://bucket/key" } } } }] }] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
  });
});

describe("chat history through the Bedrock facade", () => {
  it("stores turns, returns the session id in X-Session-Id and the body, and reads back in Converse format", async () => {
    const c = bedrockClient(h.url, key);
    const headers = captureHeaders(c);
    await c.send(new ConverseCommand({ modelId: MODEL, system: [{ text: "sys" }], messages: [user("first turn")], additionalModelRequestFields: { enable_history: true } }));
    const sessionId = headers["x-session-id"];
    expect(sessionId).toMatch(/[0-9a-f-]{36}/);

    const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, system: [{ text: "sys" }], messages: [user("second turn")], additionalModelRequestFields: { session_id: sessionId } }));
    await collect(out.stream);
    expect(headers["x-session-id"]).toBe(sessionId);
    c.destroy();
    const sent = h.fake.lastRequests().filter((r) => r.route === "chat").at(-1)!.body as { messages: { role: string }[]; session_id?: unknown; enable_history?: unknown };
    expect(sent.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(sent.session_id).toBeUndefined();

    const res = await fetch(`${h.url}/bedrock/chat-history`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: JSON.stringify({ session_id: sessionId }) });
    expect(res.status).toBe(200);
    const history = (await res.json()) as { system: { text: string }[]; messages: { role: string; content: { text?: string }[] }[] };
    expect(history.system).toEqual([{ text: "sys" }]);
    expect(history.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(history.messages[2]!.content[0]!.text).toBe("second turn");
    expect(history.messages[3]!.content[0]!.text).toContain("second turn");
  });

  it("another key gets ResourceNotFoundException for the session", async () => {
    const c = bedrockClient(h.url, key);
    const headers = captureHeaders(c);
    await c.send(new ConverseCommand({ modelId: MODEL, messages: [user("mine")], additionalModelRequestFields: { enable_history: true } }));
    c.destroy();
    const other = bedrockClient(h.url, newKey(h));
    const err = await other.send(new ConverseCommand({ modelId: MODEL, messages: [user("steal")], additionalModelRequestFields: { session_id: headers["x-session-id"] } })).catch((e: unknown) => e);
    other.destroy();
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(await h.store.load(headers["x-session-id"]!, "nobody")).toBeUndefined();
  });
});

describe("HISTORY_MAX_MESSAGES on the Converse facade", () => {
  let capped: Harness;
  beforeAll(async () => {
    capped = await startHarness({ store: h.store, env: { HISTORY_MAX_MESSAGES: "3" } });
  });
  afterAll(() => capped?.close());

  it("sends the stored system prompt and the last N messages, widened to keep a toolUse with its toolResult", async () => {
    const cappedKey = newKey(capped);
    const c = bedrockClient(capped.url, cappedKey);
    const headers = captureHeaders(c);
    const sentRoles = () => (capped.fake.lastRequests().filter((r) => r.route === "chat").at(-1)!.body as { messages: { role: string }[] }).messages.map((m) => m.role);
    const toolConfig = { tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: { type: "object", properties: { city: { type: "string" } } } } } }] };
    const first = await c.send(new ConverseCommand({ modelId: MODEL, system: [{ text: "sys" }], messages: [user("weather in Oslo?")], toolConfig, additionalModelRequestFields: { enable_history: true } }));
    const sessionId = headers["x-session-id"]!;
    const toolUse = first.output!.message!.content!.find((b) => b.toolUse)!.toolUse!;
    await c.send(new ConverseCommand({ modelId: MODEL, toolConfig, messages: [{ role: "user", content: [{ toolResult: { toolUseId: toolUse.toolUseId!, content: [{ text: "sunny" }] } }] }], additionalModelRequestFields: { session_id: sessionId } }));
    expect(sentRoles()).toEqual(["system", "user", "assistant", "tool"]);

    // Stored: system, user, assistant(toolUse), tool, assistant. The last 3 with "thanks" start at the tool result.
    const out = await c.send(new ConverseStreamCommand({ modelId: MODEL, toolConfig, messages: [user("thanks")], additionalModelRequestFields: { session_id: sessionId } }));
    await collect(out.stream);
    expect(sentRoles()).toEqual(["system", "assistant", "tool", "assistant", "user"]);
    const sent = capped.fake.lastRequests().filter((r) => r.route === "chat").at(-1)!.body as { messages: { role: string; content: unknown; tool_calls?: { id: string }[] }[] };
    expect(sent.messages[0]!.content).toBe("sys");
    expect(sent.messages[1]!.tool_calls?.[0]?.id).toBe(toolUse.toolUseId);

    // One more plain turn: the window moves on past the tool exchange.
    await c.send(new ConverseCommand({ modelId: MODEL, messages: [user("bye")], additionalModelRequestFields: { session_id: sessionId } }));
    expect(sentRoles()).toEqual(["system", "user", "assistant", "user"]);
    c.destroy();

    const res = await fetch(`${capped.url}/bedrock/chat-history`, { method: "POST", headers: { authorization: `Bearer ${cappedKey}` }, body: JSON.stringify({ session_id: sessionId }) });
    const history = (await res.json()) as { system: { text: string }[]; messages: { role: string }[] };
    expect(history.system).toEqual([{ text: "sys" }]);
    // Storage is complete: user, assistant(toolUse), user(toolResult), assistant, user, assistant, user, assistant.
    expect(history.messages).toHaveLength(8);
  });
});

describe("managed prompts from another partition (a China gateway)", () => {
  const prompt = { id: "GLOBALPRMT", version: "1", text: "Say {{word}}.", modelId: "gpt-4o-mini" };
  const globalArn = arn("us-east-1", "bedrock", "prompt/GLOBALPRMT:1");

  it("without GLOBAL_BEDROCK_* credentials: AccessDeniedException / OpenAI 403 saying the global credentials are needed", async () => {
    const cn = await startHarness({ store: h.store, env: { AWS_REGION: "cn-north-1" } });
    try {
      cn.fake.setPrompts([prompt]);
      const k = newKey(cn);
      const c = bedrockClient(cn.url, k, "cn-north-1");
      const err = await c.send(new ConverseCommand({ modelId: globalArn, promptVariables: { word: { text: "hi" } } })).catch((e: unknown) => e);
      c.destroy();
      expect(err).toBeInstanceOf(AccessDeniedException);
      expect((err as Error).message).toMatch(/cross-partition prompts need the global credentials/);
      const oerr = await openaiClient(cn.url, k).chat.completions.create({ model: globalArn, messages: [], promptVariables: { word: "hi" } } as never).catch((e: unknown) => e);
      expect(oerr).toBeInstanceOf(PermissionDeniedError);
      expect((oerr as PermissionDeniedError).message).toMatch(/GLOBAL_BEDROCK_ACCESS_KEY_ID/);
      expect(cn.fake.counters()["get-prompt"] ?? 0).toBe(0);
      // A prompt of the home partition still resolves.
      cn.fake.setPrompts([{ ...prompt, id: "CHINAPRMPT" }]);
      const home = bedrockClient(cn.url, k, "cn-north-1");
      const out = await home.send(new ConverseCommand({ modelId: arn("cn-north-1", "bedrock", "prompt/CHINAPRMPT:1"), promptVariables: { word: { text: "ni hao" } } }));
      home.destroy();
      expect(out.output?.message?.content?.[0]?.text).toContain("Say ni hao.");
    } finally {
      await cn.close();
    }
  });

  it("with GLOBAL_BEDROCK_* credentials the global prompt resolves", async () => {
    const cn = await startHarness({ store: h.store, env: { AWS_REGION: "cn-northwest-1", GLOBAL_BEDROCK_ACCESS_KEY_ID: "AKIDGLOBALTEST", GLOBAL_BEDROCK_SECRET_ACCESS_KEY: "global-test-secret" } });
    try {
      cn.fake.setPrompts([prompt]);
      const c = bedrockClient(cn.url, newKey(cn), "cn-northwest-1");
      const out = await c.send(new ConverseCommand({ modelId: globalArn, promptVariables: { word: { text: "hello" } } }));
      c.destroy();
      expect(out.output?.message?.content?.[0]?.text).toContain("Say hello.");
      expect(cn.fake.counters()["get-prompt"]).toBe(1);
    } finally {
      await cn.close();
    }
  });
});
