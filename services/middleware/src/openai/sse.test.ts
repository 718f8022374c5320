import { describe, expect, it } from "vitest";
import { SseSplitter } from "./sse";
import { StreamAccumulator } from "./accumulate";

describe("SseSplitter", () => {
  it("reassembles events split across arbitrary chunk boundaries (including inside UTF-8 characters)", () => {
    const text = 'data: {"a":"wörld"}\n\n: keep-alive\n\ndata: [DONE]\n\n';
    const bytes = Buffer.from(text);
    const s = new SseSplitter();
    const events = [];
    for (let i = 0; i < bytes.length; i += 3) events.push(...s.push(bytes.subarray(i, i + 3)));
    events.push(...s.end());
    expect(events.map((e) => e.data)).toEqual(['{"a":"wörld"}', undefined, "[DONE]"]);
    expect(events.map((e) => e.raw).join("")).toBe(text);
  });

  it("handles CRLF and a last event without its blank line", () => {
    const s = new SseSplitter();
    const events = [...s.push(Buffer.from("data: 1\r\n\r\ndata: 2")), ...s.end()];
    expect(events.map((e) => e.data)).toEqual(["1", "2"]);
  });
});

describe("StreamAccumulator", () => {
  it("assembles text and tool calls from deltas", () => {
    const acc = new StreamAccumulator();
    acc.add({ choices: [{ index: 0, delta: { role: "assistant", content: "a" } }] });
    acc.add({ choices: [{ index: 0, delta: { content: "b", tool_calls: [{ index: 0, id: "c1", function: { name: "f", arguments: "{" } }] } }] });
    acc.add({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: "}" } }] }, finish_reason: "tool_calls" }] });
    acc.add({ choices: [], usage: { prompt_tokens: 1 } });
    expect(acc.message()).toEqual({ role: "assistant", content: "ab", tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] });
    expect(acc.finishReason).toBe("tool_calls");
    expect(acc.usage).toEqual({ prompt_tokens: 1 });
  });
});
