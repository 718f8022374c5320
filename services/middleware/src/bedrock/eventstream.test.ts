import { describe, expect, it } from "vitest";
import { toUtf8 } from "@smithy/util-utf8";
import { ConverseStreamTranslator, decodeFrame, exceptionFrame } from "./eventstream";

function run(chunks: Record<string, unknown>[]): { type: string; messageType: string; payload: Record<string, unknown> }[] {
  const frames: Uint8Array[] = [];
  const t = new ConverseStreamTranslator((f) => frames.push(f));
  for (const c of chunks) t.chunk(c);
  t.finish(7);
  return frames.map((f) => {
    const m = decodeFrame(f);
    return { type: String(m.headers[":event-type"]?.value), messageType: String(m.headers[":message-type"]?.value), payload: JSON.parse(toUtf8(m.body)) as Record<string, unknown> };
  });
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ choices: [{ index: 0, delta, finish_reason: finish }] });

describe("ConverseStreamTranslator", () => {
  it("emits the full text event order with usage and metrics", () => {
    const events = run([chunk({ role: "assistant", content: "" }), chunk({ content: "Hel" }), chunk({ content: "lo" }), chunk({}, "stop"), { choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }]);
    expect(events.map((e) => e.type)).toEqual(["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
    expect(events.every((e) => e.messageType === "event")).toBe(true);
    expect(events[1]!.payload).toEqual({ contentBlockIndex: 0, delta: { text: "Hel" } });
    expect(events[4]!.payload).toEqual({ stopReason: "end_turn" });
    expect(events[5]!.payload).toEqual({ usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 }, metrics: { latencyMs: 7 } });
  });

  it("starts a block per tool call and streams its input", () => {
    const events = run([
      chunk({ role: "assistant", content: "checking" }),
      chunk({ tool_calls: [{ index: 0, id: "c1", type: "function", function: { name: "weather", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
      chunk({}, "tool_calls"),
    ]);
    expect(events.map((e) => `${e.type}:${(e.payload.contentBlockIndex as number | undefined) ?? ""}`)).toEqual([
      "messageStart:", "contentBlockDelta:0", "contentBlockStop:0", "contentBlockStart:1", "contentBlockDelta:1", "contentBlockDelta:1", "contentBlockStop:1", "messageStop:", "metadata:",
    ]);
    expect(events[3]!.payload).toEqual({ contentBlockIndex: 1, start: { toolUse: { toolUseId: "c1", name: "weather" } } });
    expect(events[4]!.payload).toEqual({ contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } });
    expect(events[7]!.payload).toEqual({ stopReason: "tool_use" });
  });

  it("closes the message even when the upstream never sent a finish reason, and tolerates choices: []", () => {
    const events = run([{ choices: [] }, chunk({ content: "x" })]);
    expect(events.map((e) => e.type)).toEqual(["messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
  });

  it("maps max_tokens", () => {
    expect(run([chunk({ content: "x" }, "length")]).find((e) => e.type === "messageStop")!.payload).toEqual({ stopReason: "max_tokens" });
  });

  it("encodes exception frames with :message-type exception", () => {
    const m = decodeFrame(exceptionFrame("throttlingException", "slow down"));
    expect(m.headers[":message-type"]?.value).toBe("exception");
    expect(m.headers[":exception-type"]?.value).toBe("throttlingException");
    expect(JSON.parse(toUtf8(m.body))).toEqual({ message: "slow down" });
  });
});
