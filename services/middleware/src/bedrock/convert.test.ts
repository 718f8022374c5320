import { describe, expect, it } from "vitest";
import { GatewayError } from "../errors";
import { converseToOpenAi, openAiMessagesToConverse, openAiToConverse, stopReasonOf, usageOf } from "./convert";

describe("converseToOpenAi", () => {
  it("converts system, text, images, documents, tool use and tool results with full fidelity", () => {
    const out = converseToOpenAi(
      {
        system: [{ text: "be brief" }, { text: "be kind" }],
        messages: [
          { role: "user", content: [{ text: "a" }, { image: { format: "png", source: { bytes: "iVBORw0K" } } }, { text: "b" }] },
          { role: "assistant", content: [{ text: "calling" }, { toolUse: { toolUseId: "t1", name: "weather", input: { city: "Paris" } } }] },
          { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ json: { temp: 21 } }] } }, { text: "thanks" }] },
          { role: "user", content: [{ document: { format: "pdf", name: "spec", source: { bytes: "JVBERi0=" } } }] },
        ],
        inferenceConfig: { maxTokens: 100, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
        toolConfig: { tools: [{ toolSpec: { name: "weather", description: "w", inputSchema: { json: { type: "object" } } } }], toolChoice: { any: {} } },
      },
      { requireMessages: true },
    );
    expect(out.system).toBe("be brief\nbe kind");
    expect(out.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "a" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0K" } }, { type: "text", text: "b" }] },
      { role: "assistant", content: "calling", tool_calls: [{ id: "t1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "t1", content: '{"temp":21}' },
      { role: "user", content: "thanks" },
      { role: "user", content: [{ type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "spec" } }] },
    ]);
    expect(out.params).toEqual({
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: ["END"],
      tools: [{ type: "function", function: { name: "weather", description: "w", parameters: { type: "object" } } }],
      tool_choice: "required",
    });
  });

  it("merges additionalModelRequestFields without letting them override model, stream, messages or set fields", () => {
    const out = converseToOpenAi(
      {
        messages: [{ role: "user", content: [{ text: "hi" }] }],
        inferenceConfig: { temperature: 0.1 },
        additionalModelRequestFields: { top_k: 5, model: "evil", stream: true, messages: [], temperature: 2, session_id: "s1", enable_history: true },
      },
      { requireMessages: true },
    );
    expect(out.params).toEqual({ temperature: 0.1, top_k: 5 });
    expect(out.history).toEqual({ enabled: true, sessionId: "s1" });
  });

  it("maps toolChoice auto and tool", () => {
    const base = { messages: [{ role: "user", content: [{ text: "x" }] }], toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: {} } } }] } };
    expect(converseToOpenAi({ ...base, toolConfig: { ...base.toolConfig, toolChoice: { auto: {} } } }, { requireMessages: true }).params.tool_choice).toBe("auto");
    expect(converseToOpenAi({ ...base, toolConfig: { ...base.toolConfig, toolChoice: { tool: { name: "f" } } } }, { requireMessages: true }).params.tool_choice).toEqual({ type: "function", function: { name: "f" } });
  });

  it.each([
    [null, "body"],
    [{}, "messages: required"],
    [{ messages: "x" }, "messages: expected an array"],
    [{ messages: [{ role: "system", content: [] }] }, "messages.0.role"],
    [{ messages: [{ role: "user", content: "hi" }] }, "messages.0.content: expected an array"],
    [{ messages: [{ role: "user", content: [{ bogus: 1 }] }] }, "unknown content block"],
    [{ messages: [{ role: "user", content: [{ text: 1 }] }] }, "messages.0.content.0.text"],
    [{ messages: [{ role: "user", content: [{ text: "x" }] }], inferenceConfig: { maxTokens: "10" } }, "inferenceConfig.maxTokens"],
    [{ messages: [{ role: "user", content: [{ image: { format: "bmp", source: { bytes: "x" } } }] }] }, "format"],
    [{ messages: [{ role: "user", content: [{ image: { format: "png", source: { s3Location: { uri: "s3://b/k" } } } }] }] }, "s3Location"],
    [{ messages: [{ role: "user", content: [{ text: "x" }] }], additionalModelRequestFields: { session_id: 5 } }, "session_id"],
  ])("rejects %j with a ValidationException naming the field", (body, fragment) => {
    let caught: unknown;
    try {
      converseToOpenAi(body, { requireMessages: true });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).bedrockType).toBe("ValidationException");
    expect((caught as GatewayError).status).toBe(400);
    expect((caught as GatewayError).message).toContain(fragment);
  });

  it("flattens promptVariables given as {text} or plain strings", () => {
    const out = converseToOpenAi({ promptVariables: { a: { text: "1" }, b: "2" } }, { requireMessages: false });
    expect(out.promptVariables).toEqual({ a: "1", b: "2" });
    expect(out.messages).toEqual([]);
  });
});

describe("openAiToConverse", () => {
  it("converts text, tool calls, stop reason, usage and latency", () => {
    const out = openAiToConverse(
      {
        choices: [{ index: 0, finish_reason: "tool_calls", message: { role: "assistant", content: "let me check", tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } }] } }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 } },
      },
      12.4,
    );
    expect(out).toEqual({
      output: { message: { role: "assistant", content: [{ text: "let me check" }, { toolUse: { toolUseId: "c1", name: "weather", input: { city: "Oslo" } } }] } },
      stopReason: "tool_use",
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cacheReadInputTokens: 4 },
      metrics: { latencyMs: 12 },
    });
  });

  it("never produces a null text block and tolerates a missing usage", () => {
    const out = openAiToConverse({ choices: [{ finish_reason: "stop", message: { content: null } }] }, 1);
    expect(out.output).toEqual({ message: { role: "assistant", content: [{ text: "" }] } });
    expect(out.usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it("maps every finish reason", () => {
    expect(stopReasonOf("stop")).toBe("end_turn");
    expect(stopReasonOf("length")).toBe("max_tokens");
    expect(stopReasonOf("tool_calls")).toBe("tool_use");
    expect(stopReasonOf("content_filter")).toBe("content_filtered");
    expect(stopReasonOf("stop_sequence")).toBe("stop_sequence");
    expect(stopReasonOf(null)).toBe("end_turn");
    expect(stopReasonOf("stop", true)).toBe("tool_use");
    expect(usageOf({ prompt_tokens: 3, completion_tokens: 4 })).toEqual({ inputTokens: 3, outputTokens: 4, totalTokens: 7 });
  });
});

describe("openAiMessagesToConverse", () => {
  it("moves system prompts out, turns tool messages into toolResult blocks and keeps roles alternating", () => {
    const out = openAiMessagesToConverse([
      { role: "system", content: "sys" },
      { role: "user", content: [{ type: "text", text: "hi" }, { type: "image_url", image_url: { url: "data:image/jpeg;base64,AAAA" } }] },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: '{"x":1}' } }] },
      { role: "tool", tool_call_id: "c1", content: "42" },
      { role: "user", content: "and?" },
      { role: "assistant", content: "done" },
    ]);
    expect(out.system).toEqual([{ text: "sys" }]);
    expect(out.messages).toEqual([
      { role: "user", content: [{ text: "hi" }, { image: { format: "jpeg", source: { bytes: "AAAA" } } }] },
      { role: "assistant", content: [{ toolUse: { toolUseId: "c1", name: "f", input: { x: 1 } } }] },
      { role: "user", content: [{ toolResult: { toolUseId: "c1", content: [{ text: "42" }], status: "success" } }, { text: "and?" }] },
      { role: "assistant", content: [{ text: "done" }] },
    ]);
  });
});
