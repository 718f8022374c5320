import type { ChatMessage } from "../history/index";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Assembles a streamed OpenAI reply (text, tool calls, finish reason, usage) from chat.completion.chunk objects. */
export class StreamAccumulator {
  private text = "";
  private readonly toolCalls: { id: string; type: "function"; function: { name: string; arguments: string } }[] = [];
  finishReason: string | undefined;
  usage: Json | undefined;
  chunks = 0;

  add(chunk: Json): void {
    this.chunks++;
    if (isObject(chunk.usage)) this.usage = chunk.usage;
    const choice = Array.isArray(chunk.choices) ? chunk.choices.find((c) => isObject(c) && (c.index ?? 0) === 0) : undefined;
    if (!isObject(choice)) return;
    const delta = isObject(choice.delta) ? choice.delta : {};
    if (typeof delta.content === "string") this.text += delta.content;
    if (Array.isArray(delta.tool_calls)) {
      for (const tc of delta.tool_calls) {
        if (!isObject(tc)) continue;
        const idx = typeof tc.index === "number" ? tc.index : this.toolCalls.length;
        const fn = isObject(tc.function) ? tc.function : {};
        let slot = this.toolCalls[idx];
        if (!slot) slot = this.toolCalls[idx] = { id: "", type: "function", function: { name: "", arguments: "" } };
        if (typeof tc.id === "string" && tc.id) slot.id = tc.id;
        if (typeof fn.name === "string") slot.function.name += fn.name;
        if (typeof fn.arguments === "string") slot.function.arguments += fn.arguments;
      }
    }
    if (typeof choice.finish_reason === "string") this.finishReason = choice.finish_reason;
  }

  /** The assistant message to store. */
  message(): ChatMessage {
    const calls = this.toolCalls.filter(Boolean);
    if (calls.length) return { role: "assistant", content: this.text.length ? this.text : null, tool_calls: calls };
    return { role: "assistant", content: this.text };
  }
}
