import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ModelNotReadyException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { arn } from "@gw/partition";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeFrames, startFakeLlm, type FakeLlm } from "./index";

let fake: FakeLlm;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  fake = await startFakeLlm({ region: "eu-central-1" });
  client = new BedrockRuntimeClient({
    region: "eu-central-1",
    endpoint: fake.url,
    token: { token: "sk-bedrock-test" },
    authSchemePreference: ["httpBearerAuth"],
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});
beforeEach(() => fake.reset());

const MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0";
const weatherTool = {
  tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } } } } } }],
};

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const events: ConverseStreamOutput[] = [];
  for await (const e of stream!) events.push(e);
  return events;
}

describe("Converse", () => {
  it("answers with the region, an echo of the last user message, usage and metrics", async () => {
    const out = await client.send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "ping from the converse test" }] }], system: [{ text: "be brief" }] }),
    );
    const text = out.output?.message?.content?.[0]?.text;
    expect(text).toBe("fake reply from eu-central-1: ping from the converse test");
    expect(out.stopReason).toBe("end_turn");
    expect(out.usage?.inputTokens).toBe(Math.ceil(("ping from the converse test".length + "be brief".length) / 4));
    expect(out.usage?.outputTokens).toBe(text!.split(" ").length);
    expect(out.usage?.totalTokens).toBe(out.usage!.inputTokens! + out.usage!.outputTokens!);
    expect(typeof out.metrics?.latencyMs).toBe("number");
  });

  it("accepts SigV4-signed requests (static credentials) as well as bearer tokens", async () => {
    const sigv4 = new BedrockRuntimeClient({
      region: "eu-central-1",
      endpoint: fake.url,
      credentials: { accessKeyId: "fake-access-key", secretAccessKey: "fake-secret" },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
    const out = await sigv4.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "signed" }] }] }));
    sigv4.destroy();
    expect(out.output?.message?.content?.[0]?.text).toContain("signed");
    expect(fake.lastRequests().at(-1)!.headers.authorization).toBe("[redacted]");
  });

  it("accepts URL-encoded ARN model ids and matches them on the raw path", async () => {
    const promptArn = arn("us-west-2", "bedrock", "prompt/ABCDEFGHIJ:2", { account: "1".repeat(12) });
    const out = await client.send(new ConverseCommand({ modelId: promptArn, messages: [{ role: "user", content: [{ text: "arn route" }] }] }));
    expect(out.output?.message?.content?.[0]?.text).toContain("arn route");
    const [req] = fake.lastRequests();
    expect(req!.route).toBe("converse");
    expect(req!.path).toContain("%3A");
    expect(req!.path).toContain("%2F");
    expect(decodeURIComponent(req!.path.split("/")[2]!)).toBe(promptArn);
  });

  it("returns a toolUse block when tools are offered and the user asks about the weather", async () => {
    const out = await client.send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "What is the weather in Paris?" }] }], toolConfig: weatherTool }),
    );
    expect(out.stopReason).toBe("tool_use");
    const toolUse = out.output?.message?.content?.[0]?.toolUse;
    expect(toolUse?.name).toBe("get_weather");
    expect(toolUse?.input).toEqual({ city: "Seattle", days: 1 });
    expect(toolUse?.toolUseId).toMatch(/^tooluse_/);
  });

  it("answers with text once the tool result is sent back", async () => {
    const out = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        toolConfig: weatherTool,
        messages: [
          { role: "user", content: [{ text: "weather?" }] },
          { role: "assistant", content: [{ toolUse: { toolUseId: "t1", name: "get_weather", input: {} } }] },
          { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ text: "sunny" }] } }] },
        ],
      }),
    );
    expect(out.stopReason).toBe("end_turn");
    expect(out.output?.message?.content?.[0]?.text).toMatch(/^fake reply from eu-central-1/);
  });

  it("cuts the reply at inferenceConfig.maxTokens with stopReason max_tokens", async () => {
    const out = await client.send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "long" }] }], inferenceConfig: { maxTokens: 2 } }),
    );
    expect(out.stopReason).toBe("max_tokens");
    expect(out.usage?.outputTokens).toBe(2);
    expect(out.output?.message?.content?.[0]?.text).toBe("fake reply");
  });

  it.each([
    [429, "ThrottlingException", ThrottlingException],
    [503, "ServiceUnavailableException", ServiceUnavailableException],
    [400, "ValidationException", ValidationException],
    [403, "AccessDeniedException", AccessDeniedException],
    [429, "ModelNotReadyException", ModelNotReadyException],
  ] as const)("raises a typed %s %s from fail-next", async (status, type, cls) => {
    fake.failNext("converse", 1, status, type);
    const err = await client
      .send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(status);
    // The next request succeeds: fail-next consumed.
    const ok = await client.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] }));
    expect(ok.stopReason).toBe("end_turn");
  });

  it("rejects a malformed body with a ValidationException", async () => {
    const res = await fetch(`${fake.url}/model/${MODEL}/converse`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("ValidationException");
    expect(await res.json()).toEqual({ message: expect.stringContaining("not valid JSON") });
  });
});

describe("ConverseStream", () => {
  it("emits messageStart, text deltas, contentBlockStop, messageStop and metadata in order", async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "stream me" }] }] }));
    const events = await collect(out.stream);
    const kinds = events.map((e) => Object.keys(e).find((k) => k !== "$unknown"));
    expect(kinds[0]).toBe("messageStart");
    expect(kinds.slice(-3)).toEqual(["contentBlockStop", "messageStop", "metadata"]);
    expect(kinds).not.toContain("contentBlockStart");
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? "").join("");
    expect(text).toBe("fake reply from eu-central-1: stream me");
    const meta = events.at(-1)!.metadata!;
    expect(meta.usage?.outputTokens).toBe(events.filter((e) => e.contentBlockDelta).length);
    expect(typeof meta.metrics?.latencyMs).toBe("number");
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe("end_turn");
  });

  it("streams a tool use with contentBlockStart and partial JSON input", async () => {
    const out = await client.send(
      new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "use a tool" }] }], toolConfig: weatherTool }),
    );
    const events = await collect(out.stream);
    const start = events.find((e) => e.contentBlockStart)?.contentBlockStart;
    expect(start?.start?.toolUse?.name).toBe("get_weather");
    const input = events.map((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? "").join("");
    expect(JSON.parse(input)).toEqual({ city: "Seattle", days: 1 });
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe("tool_use");
  });

  it("raises a typed exception before the stream when the status is injected", async () => {
    fake.failNext("converse-stream", 1, 503);
    const failed = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] })).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ServiceUnavailableException);
  });

  it("raises ThrottlingException mid-stream from an exception frame after some deltas", async () => {
    fake.failNext("converse-stream", 1, 429, "ThrottlingException", { afterChunks: 2 });
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "break me" }] }] }));
    const seen: ConverseStreamOutput[] = [];
    const err = await (async () => {
      for await (const e of out.stream!) seen.push(e);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottlingException);
    expect(seen.filter((e) => e.contentBlockDelta)).toHaveLength(2);
    expect(seen.some((e) => e.messageStop)).toBe(false);
  });

  it("frames every event with :message-type, :event-type and :content-type (raw decode)", async () => {
    const res = await fetch(`${fake.url}/model/${encodeURIComponent(MODEL)}/converse-stream`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-fake-llm": JSON.stringify({ text: "a b c", failAfterChunks: 3, errorType: "ModelStreamErrorException" }) },
      body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
    const frames = decodeFrames(new Uint8Array(await res.arrayBuffer()));
    for (const f of frames.slice(0, -1)) {
      expect(f.headers[":message-type"]).toBe("event");
      expect(f.headers[":content-type"]).toBe("application/json");
    }
    expect(frames.map((f) => f.headers[":event-type"] ?? f.headers[":exception-type"])).toEqual([
      "messageStart",
      "contentBlockDelta",
      "contentBlockDelta",
      "contentBlockDelta",
      "modelStreamErrorException",
    ]);
    expect(frames.at(-1)!.headers[":message-type"]).toBe("exception");
  });
});

describe("InvokeModel", () => {
  it("returns an Anthropic messages body with token headers", async () => {
    const out = await client.send(
      new InvokeModelCommand({
        modelId: MODEL,
        contentType: "application/json",
        body: JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: "invoke me" }] }),
      }),
    );
    const body = JSON.parse(new TextDecoder().decode(out.body));
    expect(body).toMatchObject({ type: "message", role: "assistant", model: MODEL, stop_reason: "end_turn" });
    expect(body.content[0]).toEqual({ type: "text", text: "fake reply from eu-central-1: invoke me" });
    expect(body.usage.output_tokens).toBe(6);
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it("streams chunk events with base64 Anthropic events", async () => {
    const out = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: MODEL,
        contentType: "application/json",
        body: JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: [{ type: "text", text: "chunky" }] }] }),
      }),
    );
    const events: { type: string; delta?: { text?: string } }[] = [];
    for await (const e of out.body!) events.push(JSON.parse(new TextDecoder().decode(e.chunk!.bytes)));
    expect(events[0]!.type).toBe("message_start");
    expect(events.at(-1)!.type).toBe("message_stop");
    expect(events.filter((e) => e.type === "content_block_delta").map((e) => e.delta!.text).join("")).toBe("fake reply from eu-central-1: chunky");
  });

  it("raises typed exceptions before and during InvokeModelWithResponseStream", async () => {
    fake.failNext("invoke-with-response-stream", 1, 429);
    const body = JSON.stringify({ messages: [{ role: "user", content: "x" }], max_tokens: 10 });
    const before = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body })).catch((e: unknown) => e);
    expect(before).toBeInstanceOf(ThrottlingException);

    fake.failNext("invoke-with-response-stream", 1, 500, "InternalServerException", { afterChunks: 1 });
    const out = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body }));
    let chunks = 0;
    const during = await (async () => {
      for await (const e of out.body!) if (e.chunk) chunks++;
    })().catch((e: unknown) => e);
    expect((during as Error).name).toBe("InternalServerException");
    expect(chunks).toBe(2); // message_start + content_block_start
  });
});

describe("GetPrompt", () => {
  it("serves registered prompts by id or ARN and 404s unknown ones", async () => {
    fake.setPrompts([
      { id: "PROMPT12345", version: "1", text: "Summarise {{ topic }} for {{audience}}", modelId: MODEL, inferenceConfiguration: { temperature: 0.2, maxTokens: 50 } },
      { id: "PROMPT12345", version: "2", messages: [{ role: "user", content: [{ text: "Hi {{name}}" }] }], system: "sys" },
    ]);
    const v1 = (await (await fetch(`${fake.url}/prompts/PROMPT12345?promptVersion=1`)).json()) as any;
    expect(v1).toMatchObject({ id: "PROMPT12345", version: "1", arn: arn("eu-central-1", "bedrock", "prompt/PROMPT12345:1", { account: "0".repeat(12) }) });
    expect(v1.variants[0]).toMatchObject({
      templateType: "TEXT",
      modelId: MODEL,
      templateConfiguration: { text: { text: "Summarise {{ topic }} for {{audience}}", inputVariables: [{ name: "topic" }, { name: "audience" }] } },
      inferenceConfiguration: { text: { temperature: 0.2, maxTokens: 50 } },
    });
    // The AWS SDK's GetPrompt path ends with a slash.
    const byArn = await fetch(`${fake.url}/prompts/${encodeURIComponent(v1.arn.replace(/:1$/, ":2"))}/`);
    const v2 = (await byArn.json()) as any;
    expect(v2.version).toBe("2");
    expect(v2.variants[0].templateConfiguration.chat).toMatchObject({ system: [{ text: "sys" }], inputVariables: [{ name: "name" }] });
    const missing = await fetch(`${fake.url}/prompts/NOPE`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-amzn-errortype")).toBe("ResourceNotFoundException");
  });
});
