import { describe, expect, it } from "vitest";
import type { ChatMessage, StoredHistory } from "../history/index";
import { upstreamTurnBody, windowMessages } from "./turn-history";

const sys: ChatMessage = { role: "system", content: "Be brief." };
const stored = (messages: ChatMessage[]): StoredHistory => ({
  // The store's jsonb text output has spaces after ':' and ','; any valid JSON text must splice correctly.
  messagesJson: messages.map((m) => JSON.stringify(m, null, 1)).join(","),
  messageCount: messages.length,
  systemMessages: messages.filter((m) => m.role === "system"),
});

describe("upstreamTurnBody", () => {
  it("puts the stored history before the turn and keeps every other field", () => {
    const prior = stored([sys, { role: "user", content: "1" }, { role: "assistant", content: "one" }]);
    const body = JSON.parse(upstreamTurnBody({ model: "m", messages: ["ignored"], temperature: 0.5, stream: true }, prior, [{ role: "user", content: "2 \"q\"" }]));
    expect(body).toEqual({
      model: "m",
      temperature: 0.5,
      stream: true,
      messages: [sys, { role: "user", content: "1" }, { role: "assistant", content: "one" }, { role: "user", content: "2 \"q\"" }],
    });
  });

  it("does not resend a system prompt the session stored, but sends a changed one", () => {
    const prior = stored([sys, { role: "user", content: "1" }]);
    const same = JSON.parse(upstreamTurnBody({ model: "m" }, prior, [{ role: "system", content: "Be brief." }, { role: "user", content: "2" }]));
    expect(same.messages).toEqual([sys, { role: "user", content: "1" }, { role: "user", content: "2" }]);
    const changed = JSON.parse(upstreamTurnBody({ model: "m" }, prior, [{ role: "system", content: "Be verbose." }]));
    expect(changed.messages).toEqual([sys, { role: "user", content: "1" }, { role: "system", content: "Be verbose." }]);
  });

  it("handles an empty history, an empty turn and a body with no other field", () => {
    expect(JSON.parse(upstreamTurnBody({ model: "m" }, stored([]), [{ role: "user", content: "hi" }]))).toEqual({ model: "m", messages: [{ role: "user", content: "hi" }] });
    expect(JSON.parse(upstreamTurnBody({}, stored([{ role: "user", content: "1" }]), []))).toEqual({ messages: [{ role: "user", content: "1" }] });
    expect(JSON.parse(upstreamTurnBody({ model: "m" }, undefined, [sys]))).toEqual({ model: "m", messages: [sys] });
  });
});

describe("windowMessages", () => {
  const u = (content: string): ChatMessage => ({ role: "user", content });
  const a = (content: string): ChatMessage => ({ role: "assistant", content });
  const call: ChatMessage = { role: "assistant", content: null, tool_calls: [{ id: "c1" }, { id: "c2" }] };
  const r1: ChatMessage = { role: "tool", tool_call_id: "c1", content: "r1" };
  const r2: ChatMessage = { role: "tool", tool_call_id: "c2", content: "r2" };
  const s1: ChatMessage = { role: "system", content: "old rules" };
  const s2: ChatMessage = { role: "system", content: "new rules" };

  it("keeps the last N non-system messages and puts the latest earlier system prompt first", () => {
    expect(windowMessages([s1, u("1"), a("1"), s2, u("2"), a("2"), u("3")], 2)).toEqual([s2, a("2"), u("3")]);
    expect(windowMessages([s1, u("1"), a("1"), s2, u("2"), a("2"), u("3")], 3)).toEqual([s2, u("2"), a("2"), u("3")]);
    // A system message inside the window stays where it is.
    expect(windowMessages([s1, u("1"), a("1"), s2, u("2")], 2)).toEqual([s1, a("1"), s2, u("2")]);
    expect(windowMessages([u("1"), a("1"), u("2")], 5)).toEqual([u("1"), a("1"), u("2")]);
    expect(windowMessages([u("1"), a("1"), u("2")], 0)).toEqual([u("1"), a("1"), u("2")]);
  });

  it("widens the window to the assistant message whose tool calls the first kept tool results answer", () => {
    expect(windowMessages([s1, u("q"), call, r1, r2, a("done"), u("next")], 3)).toEqual([s1, call, r1, r2, a("done"), u("next")]);
    expect(windowMessages([s1, u("q"), call, r1, r2, a("done"), u("next")], 4)).toEqual([s1, call, r1, r2, a("done"), u("next")]);
    expect(windowMessages([s1, u("q"), call, r1, r2, a("done"), u("next")], 2)).toEqual([s1, a("done"), u("next")]);
  });

  it("never drops this turn's own messages (keepFrom), even beyond N", () => {
    expect(windowMessages([s1, u("1"), a("1"), u("2"), u("3"), u("4")], 2, 3)).toEqual([s1, u("2"), u("3"), u("4")]);
    // This turn is a tool result for a call stored earlier: the call comes along.
    expect(windowMessages([u("1"), a("1"), u("q"), call, r1, r2], 1, 4)).toEqual([call, r1, r2]);
  });

  it("upstreamTurnBody applies the window only when the history is longer than maxMessages", () => {
    const prior = stored([sys, u("1"), a("1"), u("2"), a("2")]);
    expect(JSON.parse(upstreamTurnBody({ model: "m" }, prior, [u("3")], 2)).messages).toEqual([sys, a("2"), u("3")]);
    expect(JSON.parse(upstreamTurnBody({ model: "m" }, prior, [sys, u("3")], 6)).messages).toEqual([sys, u("1"), a("1"), u("2"), a("2"), u("3")]);
    expect(JSON.parse(upstreamTurnBody({ model: "m", temperature: 0 }, prior, [u("3")], 0))).toEqual({ model: "m", temperature: 0, messages: [sys, u("1"), a("1"), u("2"), a("2"), u("3")] });
  });
});
