import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { stopReasonOf, usageOf, type BedrockStopReason, type BedrockUsage } from "./convert";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One `:message-type: event` frame (AWS event-stream binary framing with both CRCs, via @smithy/eventstream-codec). */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ":message-type": { type: "string", value: "event" },
      ":event-type": { type: "string", value: eventType },
      ":content-type": { type: "string", value: "application/json" },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** One `:message-type: exception` frame; `exceptionType` is the union member name, e.g. "throttlingException". */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ":message-type": { type: "string", value: "exception" },
      ":exception-type": { type: "string", value: exceptionType },
      ":content-type": { type: "string", value: "application/json" },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

export function decodeFrame(bytes: Uint8Array) {
  return codec.decode(bytes);
}

type Emit = (frame: Uint8Array) => void;

/**
 * Translates OpenAI chat.completion.chunk objects into the ConverseStream event sequence:
 * messageStart, [contentBlockStart (tool use only)], contentBlockDelta*, contentBlockStop per block, messageStop,
 * metadata (usage + metrics). Each chunk's events are emitted as soon as the chunk arrives.
 */
export class ConverseStreamTranslator {
  private started = false;
  private stopped = false;
  private nextIndex = 0;
  private open: { index: number; kind: "text" | "reasoning" | "tool"; toolKey?: number } | undefined;
  private readonly toolIndex = new Map<number, number>();
  private stopReason: BedrockStopReason | undefined;
  private sawToolCalls = false;
  private usage: BedrockUsage | undefined;

  constructor(private readonly emit: Emit) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.emit(eventFrame("messageStart", { role: "assistant" }));
  }

  private closeOpen(): void {
    if (!this.open) return;
    this.emit(eventFrame("contentBlockStop", { contentBlockIndex: this.open.index }));
    this.open = undefined;
  }

  private blockFor(kind: "text" | "reasoning"): number {
    if (this.open?.kind === kind) return this.open.index;
    this.closeOpen();
    this.open = { index: this.nextIndex++, kind };
    return this.open.index;
  }

  chunk(chunk: Json): void {
    if (this.stopped && !isObject(chunk.usage)) return;
    this.start();
    if (isObject(chunk.usage)) this.usage = usageOf(chunk.usage);
    const choice = Array.isArray(chunk.choices) ? chunk.choices.find((c) => isObject(c) && (c.index ?? 0) === 0) : undefined;
    if (!isObject(choice) || this.stopped) return;
    const delta = isObject(choice.delta) ? choice.delta : {};

    const reasoning = delta.reasoning_content;
    if (typeof reasoning === "string" && reasoning.length) {
      const index = this.blockFor("reasoning");
      this.emit(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { reasoningContent: { text: reasoning } } }));
    }
    if (typeof delta.content === "string" && delta.content.length) {
      const index = this.blockFor("text");
      this.emit(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { text: delta.content } }));
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const tc of delta.tool_calls) {
        if (!isObject(tc)) continue;
        this.sawToolCalls = true;
        const key = typeof tc.index === "number" ? tc.index : 0;
        const fn = isObject(tc.function) ? tc.function : {};
        let index = this.toolIndex.get(key);
        if (index === undefined) {
          this.closeOpen();
          index = this.nextIndex++;
          this.toolIndex.set(key, index);
          this.open = { index, kind: "tool", toolKey: key };
          this.emit(eventFrame("contentBlockStart", { contentBlockIndex: index, start: { toolUse: { toolUseId: String(tc.id ?? `tooluse_${index}`), name: String(fn.name ?? "") } } }));
        }
        if (typeof fn.arguments === "string" && fn.arguments.length) {
          this.emit(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: fn.arguments } } }));
        }
      }
    }
    if (typeof choice.finish_reason === "string" && choice.finish_reason) {
      this.stopReason = stopReasonOf(choice.finish_reason, this.sawToolCalls);
      this.closeOpen();
      this.stopped = true;
      this.emit(eventFrame("messageStop", { stopReason: this.stopReason }));
    }
  }

  /** End of the upstream stream: close what is open, then messageStop (if not sent yet) and metadata. */
  finish(latencyMs: number): void {
    this.start();
    if (!this.stopped) {
      this.closeOpen();
      this.stopped = true;
      this.emit(eventFrame("messageStop", { stopReason: this.stopReason ?? (this.sawToolCalls ? "tool_use" : "end_turn") }));
    }
    this.emit(eventFrame("metadata", { usage: this.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, metrics: { latencyMs: Math.max(0, Math.round(latencyMs)) } }));
  }
}
