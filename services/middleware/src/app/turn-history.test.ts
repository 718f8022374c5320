import { describe, expect, it } from "vitest";
import type { ChatMessage, StoredHistory } from "../history/index";
import { upstreamTurnBody } from "./turn-history";

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
