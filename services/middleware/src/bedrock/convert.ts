/**
 * Bedrock Converse <-> OpenAI chat-completions conversion (requests, responses, stored history).
 * Input is untrusted JSON: every shape problem becomes a ValidationException naming the field.
 */
import { GatewayError } from "../errors";
import type { ChatMessage } from "../history/index";

type Json = Record<string, unknown>;

/** OpenAI body keys a Bedrock client may never set through additionalModelRequestFields. */
export const RESERVED_OPENAI_KEYS: ReadonlySet<string> = new Set(["model", "messages", "stream", "stream_options"]);
/** History switches carried in additionalModelRequestFields (read, then removed). */
const HISTORY_KEYS = new Set(["enable_history", "session_id"]);

const IMAGE_FORMATS = new Set(["png", "jpeg", "gif", "webp"]);
const DOCUMENT_MIME: Record<string, string> = {
  pdf: "application/pdf",
  csv: "text/csv",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  html: "text/html",
  txt: "text/plain",
  md: "text/markdown",
};
const MIME_DOCUMENT: Record<string, string> = Object.fromEntries(Object.entries(DOCUMENT_MIME).map(([k, v]) => [v, k]));

function invalid(message: string): GatewayError {
  return new GatewayError("GW_VALIDATION", message);
}
function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function expectObject(v: unknown, field: string): Json {
  if (!isObject(v)) throw invalid(`${field}: expected an object`);
  return v;
}
function expectArray(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw invalid(`${field}: expected an array`);
  return v;
}
function expectString(v: unknown, field: string): string {
  if (typeof v !== "string") throw invalid(`${field}: expected a string`);
  return v;
}
function optNumber(v: unknown, field: string, min?: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || (min !== undefined && v < min)) throw invalid(`${field}: expected a number${min !== undefined ? ` >= ${min}` : ""}`);
  return v;
}

/** History switches read from a request. */
export interface HistoryRequest {
  readonly enabled: boolean;
  readonly sessionId?: string;
}

export function readHistorySwitches(source: Json, field: string): HistoryRequest {
  const sid = source.session_id;
  const enable = source.enable_history;
  if (sid !== undefined && sid !== null && (typeof sid !== "string" || sid.length === 0 || sid.length > 200)) throw invalid(`${field}session_id: expected a non-empty string (at most 200 characters)`);
  if (enable !== undefined && enable !== null && typeof enable !== "boolean") throw invalid(`${field}enable_history: expected a boolean`);
  const sessionId = typeof sid === "string" ? sid : undefined;
  return { enabled: sessionId !== undefined || enable === true, sessionId };
}

/** Result of converting a Converse request body. */
export interface ConvertedConverse {
  /** The system prompt, when the request had one. */
  readonly system?: string;
  /** Conversation messages in OpenAI format (no system message). */
  readonly messages: ChatMessage[];
  /** Top-level OpenAI parameters (sampling, tools, additional fields) except model/messages/stream. */
  readonly params: Json;
  readonly history: HistoryRequest;
  /** promptVariables flattened to strings ({"x":{"text":"v"}} or {"x":"v"}). */
  readonly promptVariables?: Record<string, string>;
}

/** Parse and convert a Converse / ConverseStream request body. */
export function converseToOpenAi(input: unknown, opts: { requireMessages: boolean }): ConvertedConverse {
  const body = expectObject(input, "body");
  let messages: ChatMessage[] = [];
  if (body.messages === undefined || body.messages === null) {
    if (opts.requireMessages) throw invalid("messages: required");
  } else {
    const list = expectArray(body.messages, "messages");
    if (opts.requireMessages && list.length === 0) throw invalid("messages: must contain at least one message");
    messages = list.flatMap((m, i) => convertMessage(m, `messages.${i}`));
  }

  let system: string | undefined;
  if (body.system !== undefined && body.system !== null) {
    const texts: string[] = [];
    expectArray(body.system, "system").forEach((b, i) => {
      const block = expectObject(b, `system.${i}`);
      if (block.text !== undefined) texts.push(expectString(block.text, `system.${i}.text`));
      else if (isObject(block.guardContent) && isObject(block.guardContent.text)) texts.push(expectString(block.guardContent.text.text, `system.${i}.guardContent.text.text`));
      // cachePoint and unknown members carry no text
    });
    if (texts.length) system = texts.join("\n");
  }

  const params: Json = {};
  if (body.inferenceConfig !== undefined && body.inferenceConfig !== null) {
    const ic = expectObject(body.inferenceConfig, "inferenceConfig");
    const maxTokens = optNumber(ic.maxTokens, "inferenceConfig.maxTokens", 1);
    const temperature = optNumber(ic.temperature, "inferenceConfig.temperature", 0);
    const topP = optNumber(ic.topP, "inferenceConfig.topP", 0);
    if (maxTokens !== undefined) params.max_tokens = maxTokens;
    if (temperature !== undefined) params.temperature = temperature;
    if (topP !== undefined) params.top_p = topP;
    if (ic.stopSequences !== undefined && ic.stopSequences !== null) {
      params.stop = expectArray(ic.stopSequences, "inferenceConfig.stopSequences").map((s, i) => expectString(s, `inferenceConfig.stopSequences.${i}`));
    }
  }

  if (body.toolConfig !== undefined && body.toolConfig !== null) {
    const tc = expectObject(body.toolConfig, "toolConfig");
    const tools = expectArray(tc.tools, "toolConfig.tools").flatMap((t, i) => {
      const tool = expectObject(t, `toolConfig.tools.${i}`);
      if (tool.cachePoint !== undefined) return [];
      const spec = expectObject(tool.toolSpec, `toolConfig.tools.${i}.toolSpec`);
      const fn: Json = { name: expectString(spec.name, `toolConfig.tools.${i}.toolSpec.name`) };
      if (spec.description !== undefined) fn.description = expectString(spec.description, `toolConfig.tools.${i}.toolSpec.description`);
      const schema = expectObject(spec.inputSchema, `toolConfig.tools.${i}.toolSpec.inputSchema`);
      fn.parameters = expectObject(schema.json, `toolConfig.tools.${i}.toolSpec.inputSchema.json`);
      return [{ type: "function", function: fn }];
    });
    if (tools.length) params.tools = tools;
    if (tc.toolChoice !== undefined && tc.toolChoice !== null) {
      const choice = expectObject(tc.toolChoice, "toolConfig.toolChoice");
      if (choice.auto !== undefined) params.tool_choice = "auto";
      else if (choice.any !== undefined) params.tool_choice = "required";
      else if (choice.tool !== undefined) params.tool_choice = { type: "function", function: { name: expectString(expectObject(choice.tool, "toolConfig.toolChoice.tool").name, "toolConfig.toolChoice.tool.name") } };
      else throw invalid("toolConfig.toolChoice: expected one of auto, any, tool");
    }
  }

  let history: HistoryRequest = { enabled: false };
  if (body.additionalModelRequestFields !== undefined && body.additionalModelRequestFields !== null) {
    const extra = expectObject(body.additionalModelRequestFields, "additionalModelRequestFields");
    history = readHistorySwitches(extra, "additionalModelRequestFields.");
    for (const [k, v] of Object.entries(extra)) {
      // Model-specific extras (top_k, reasoning_effort...) never override what the standard fields already set.
      if (HISTORY_KEYS.has(k) || RESERVED_OPENAI_KEYS.has(k) || k in params) continue;
      params[k] = v;
    }
  }

  let promptVariables: Record<string, string> | undefined;
  if (body.promptVariables !== undefined && body.promptVariables !== null) {
    promptVariables = {};
    for (const [k, v] of Object.entries(expectObject(body.promptVariables, "promptVariables"))) {
      if (typeof v === "string") promptVariables[k] = v;
      else if (isObject(v) && typeof v.text === "string") promptVariables[k] = v.text;
      else throw invalid(`promptVariables.${k}: expected {"text": "<value>"}`);
    }
  }

  return { system, messages, params, history, promptVariables };
}

/** One Bedrock message becomes one or more OpenAI messages (tool results become `tool` messages first). */
function convertMessage(raw: unknown, field: string): ChatMessage[] {
  const msg = expectObject(raw, field);
  const role = msg.role;
  if (role !== "user" && role !== "assistant") throw invalid(`${field}.role: expected "user" or "assistant"`);
  const blocks = expectArray(msg.content, `${field}.content`);
  const parts: Json[] = [];
  const toolCalls: Json[] = [];
  const toolMessages: ChatMessage[] = [];
  blocks.forEach((b, j) => {
    const f = `${field}.content.${j}`;
    const block = expectObject(b, f);
    if (block.text !== undefined) parts.push({ type: "text", text: expectString(block.text, `${f}.text`) });
    else if (block.image !== undefined) parts.push(imagePart(expectObject(block.image, `${f}.image`), `${f}.image`));
    else if (block.document !== undefined) parts.push(documentPart(expectObject(block.document, `${f}.document`), `${f}.document`));
    else if (block.toolUse !== undefined) {
      if (role !== "assistant") throw invalid(`${f}.toolUse: only assistant messages may contain toolUse`);
      const tu = expectObject(block.toolUse, `${f}.toolUse`);
      toolCalls.push({
        id: expectString(tu.toolUseId, `${f}.toolUse.toolUseId`),
        type: "function",
        function: { name: expectString(tu.name, `${f}.toolUse.name`), arguments: JSON.stringify(tu.input ?? {}) },
      });
    } else if (block.toolResult !== undefined) {
      if (role !== "user") throw invalid(`${f}.toolResult: only user messages may contain toolResult`);
      toolMessages.push(toolResultMessage(expectObject(block.toolResult, `${f}.toolResult`), `${f}.toolResult`));
    } else if (block.guardContent !== undefined) {
      const gc = expectObject(block.guardContent, `${f}.guardContent`);
      parts.push({ type: "text", text: expectString(expectObject(gc.text, `${f}.guardContent.text`).text, `${f}.guardContent.text.text`) });
    } else if (block.cachePoint !== undefined) {
      // LiteLLM marks prompt-cache breakpoints on the preceding part.
      const prev = parts[parts.length - 1];
      if (prev) prev.cache_control = { type: "ephemeral" };
    } else if (block.reasoningContent !== undefined) {
      // Reasoning from earlier turns is not replayed: OpenAI chat has no input field for it.
    } else if (block.video !== undefined) {
      throw new GatewayError("GW_UNSUPPORTED_CONTENT", `${f}.video: video content is not supported through the gateway`);
    } else {
      throw invalid(`${f}: unknown content block (expected text, image, document, toolUse, toolResult, guardContent or cachePoint)`);
    }
  });

  const out: ChatMessage[] = [...toolMessages];
  if (role === "assistant") {
    const text = parts.filter((p) => p.type === "text").map((p) => p.text as string).join("");
    if (parts.some((p) => p.type !== "text")) throw invalid(`${field}.content: assistant messages may only contain text and toolUse`);
    if (toolCalls.length) out.push({ role: "assistant", content: text.length ? text : null, tool_calls: toolCalls });
    else out.push({ role: "assistant", content: text });
  } else if (parts.length) {
    out.push({ role: "user", content: simplifyParts(parts) });
  }
  return out;
}

/** A single plain text part becomes a string (the most widely supported form); everything else stays a part list. */
function simplifyParts(parts: Json[]): unknown {
  if (parts.length === 1 && parts[0]!.type === "text" && parts[0]!.cache_control === undefined) return parts[0]!.text;
  return parts;
}

function bytesOf(source: unknown, field: string): string {
  const src = expectObject(source, `${field}.source`);
  if (src.bytes === undefined) throw new GatewayError("GW_UNSUPPORTED_CONTENT", `${field}.source: only inline bytes are supported (s3Location is not)`);
  const bytes = src.bytes;
  if (typeof bytes === "string") return bytes; // JSON wire format: base64
  if (Array.isArray(bytes)) return Buffer.from(bytes as number[]).toString("base64");
  throw invalid(`${field}.source.bytes: expected base64 data`);
}

function imagePart(img: Json, field: string): Json {
  const format = expectString(img.format, `${field}.format`);
  if (!IMAGE_FORMATS.has(format)) throw invalid(`${field}.format: expected one of ${[...IMAGE_FORMATS].join(", ")}`);
  return { type: "image_url", image_url: { url: `data:image/${format};base64,${bytesOf(img.source, field)}` } };
}

function documentPart(doc: Json, field: string): Json {
  const format = expectString(doc.format, `${field}.format`);
  const mime = DOCUMENT_MIME[format];
  if (!mime) throw invalid(`${field}.format: expected one of ${Object.keys(DOCUMENT_MIME).join(", ")}`);
  const src = expectObject(doc.source, `${field}.source`);
  const data = typeof src.text === "string" ? Buffer.from(src.text).toString("base64") : bytesOf(src, field);
  const file: Json = { file_data: `data:${mime};base64,${data}` };
  if (doc.name !== undefined) file.filename = expectString(doc.name, `${field}.name`);
  return { type: "file", file };
}

function toolResultMessage(tr: Json, field: string): ChatMessage {
  const id = expectString(tr.toolUseId, `${field}.toolUseId`);
  const pieces = expectArray(tr.content ?? [], `${field}.content`);
  const texts: string[] = [];
  const parts: Json[] = [];
  pieces.forEach((p, k) => {
    const piece = expectObject(p, `${field}.content.${k}`);
    if (piece.text !== undefined) {
      const t = expectString(piece.text, `${field}.content.${k}.text`);
      texts.push(t);
      parts.push({ type: "text", text: t });
    } else if (piece.json !== undefined) {
      const t = JSON.stringify(piece.json);
      texts.push(t);
      parts.push({ type: "text", text: t });
    } else if (piece.image !== undefined) parts.push(imagePart(expectObject(piece.image, `${field}.content.${k}.image`), `${field}.content.${k}.image`));
    else if (piece.document !== undefined) parts.push(documentPart(expectObject(piece.document, `${field}.content.${k}.document`), `${field}.content.${k}.document`));
    else throw invalid(`${field}.content.${k}: expected text, json, image or document`);
  });
  const isError = tr.status === "error";
  const content = parts.length === texts.length ? (isError ? `Error: ${texts.join("\n")}` : texts.join("\n")) : parts;
  return { role: "tool", tool_call_id: id, content };
}

// ---------------------------------------------------------------------------------------------- responses

export type BedrockStopReason = "end_turn" | "tool_use" | "max_tokens" | "stop_sequence" | "guardrail_intervened" | "content_filtered";

/** OpenAI finish_reason -> Bedrock stopReason. */
export function stopReasonOf(finishReason: unknown, hasToolCalls = false): BedrockStopReason {
  switch (finishReason) {
    case "length":
    case "max_tokens":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
    case "tool_use":
      return "tool_use";
    case "content_filter":
    case "content_filtered":
      return "content_filtered";
    case "stop_sequence":
      return "stop_sequence";
    case "guardrail_intervened":
      return "guardrail_intervened";
    default:
      return hasToolCalls ? "tool_use" : "end_turn";
  }
}

export interface BedrockUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export function usageOf(usage: unknown): BedrockUsage {
  const u = isObject(usage) ? usage : {};
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const inputTokens = num(u.prompt_tokens);
  const outputTokens = num(u.completion_tokens);
  const out: BedrockUsage = { inputTokens, outputTokens, totalTokens: num(u.total_tokens) || inputTokens + outputTokens };
  const details = isObject(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  if (num(details.cached_tokens) || num(u.cache_read_input_tokens)) out.cacheReadInputTokens = num(details.cached_tokens) || num(u.cache_read_input_tokens);
  if (num(u.cache_creation_input_tokens)) out.cacheWriteInputTokens = num(u.cache_creation_input_tokens);
  return out;
}

/** Parse tool-call arguments; a model that emitted invalid JSON still yields an object (the raw text kept). */
export function parseToolInput(args: unknown): unknown {
  if (typeof args !== "string" || args.trim() === "") return isObject(args) ? args : {};
  try {
    return JSON.parse(args);
  } catch {
    return { _raw: args };
  }
}

/** The assistant message of an OpenAI response, in stored (OpenAI) form. */
export function assistantMessageOf(response: Json): ChatMessage | undefined {
  const choice = Array.isArray(response.choices) && isObject(response.choices[0]) ? response.choices[0] : undefined;
  const message = choice && isObject(choice.message) ? choice.message : undefined;
  if (!message) return undefined;
  const out: ChatMessage = { role: "assistant", content: message.content ?? null };
  if (Array.isArray(message.tool_calls) && message.tool_calls.length) out.tool_calls = message.tool_calls;
  return out;
}

/** Non-streaming OpenAI response -> Converse response. */
export function openAiToConverse(response: Json, latencyMs: number): Json {
  const choice = Array.isArray(response.choices) && isObject(response.choices[0]) ? response.choices[0] : undefined;
  if (!choice) throw new GatewayError("GW_UPSTREAM_BAD_RESPONSE", "The model gateway returned a response without choices");
  const message = isObject(choice.message) ? choice.message : {};
  const content: Json[] = [];
  const reasoning = message.reasoning_content;
  if (typeof reasoning === "string" && reasoning.length) content.push({ reasoningContent: { reasoningText: { text: reasoning } } });
  if (typeof message.content === "string" && message.content.length) content.push({ text: message.content });
  const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isObject) : [];
  for (const tc of toolCalls) {
    const fn = isObject(tc.function) ? tc.function : {};
    content.push({ toolUse: { toolUseId: String(tc.id ?? ""), name: String(fn.name ?? ""), input: parseToolInput(fn.arguments) } });
  }
  if (content.length === 0) content.push({ text: "" });
  return {
    output: { message: { role: "assistant", content } },
    stopReason: stopReasonOf(choice.finish_reason, toolCalls.length > 0),
    usage: usageOf(response.usage),
    metrics: { latencyMs: Math.max(0, Math.round(latencyMs)) },
  };
}

// ---------------------------------------------------------------------------------------------- stored history

/** Stored OpenAI-format messages -> Converse `messages` + `system` (for POST /bedrock/chat-history). */
export function openAiMessagesToConverse(messages: readonly ChatMessage[]): { messages: Json[]; system: Json[] } {
  const system: Json[] = [];
  const out: Json[] = [];
  const push = (role: "user" | "assistant", blocks: Json[]) => {
    if (!blocks.length) return;
    const last = out[out.length - 1];
    // Converse requires alternating roles: consecutive same-role turns (e.g. tool results then user text) merge.
    if (last && last.role === role) (last.content as Json[]).push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === "system") {
      const text = contentText(m.content);
      if (text) system.push({ text });
    } else if (m.role === "tool") {
      push("user", [{ toolResult: { toolUseId: m.tool_call_id ?? "", content: [{ text: contentText(m.content) }], status: "success" } }]);
    } else if (m.role === "assistant") {
      const blocks: Json[] = [];
      const text = contentText(m.content);
      if (text) blocks.push({ text });
      for (const tc of m.tool_calls ?? []) {
        if (!isObject(tc)) continue;
        const fn = isObject(tc.function) ? tc.function : {};
        blocks.push({ toolUse: { toolUseId: String(tc.id ?? ""), name: String(fn.name ?? ""), input: parseToolInput(fn.arguments) } });
      }
      if (!blocks.length) blocks.push({ text: "" });
      push("assistant", blocks);
    } else {
      push("user", contentBlocks(m.content));
    }
  }
  return { messages: out, system };
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.filter(isObject).filter((p) => p.type === "text").map((p) => String(p.text ?? "")).join("\n");
  return "";
}

function contentBlocks(content: unknown): Json[] {
  if (typeof content === "string") return [{ text: content }];
  if (!Array.isArray(content)) return [];
  const blocks: Json[] = [];
  for (const p of content.filter(isObject)) {
    if (p.type === "text") blocks.push({ text: String(p.text ?? "") });
    else if (p.type === "image_url") {
      const url = isObject(p.image_url) ? String(p.image_url.url ?? "") : String(p.image_url ?? "");
      const parsed = parseDataUrl(url);
      if (parsed && parsed.mime.startsWith("image/")) blocks.push({ image: { format: parsed.mime.slice(6), source: { bytes: parsed.data } } });
      else blocks.push({ text: `[image: ${url.slice(0, 200)}]` });
    } else if (p.type === "file" && isObject(p.file)) {
      const parsed = parseDataUrl(String(p.file.file_data ?? ""));
      const format = parsed ? MIME_DOCUMENT[parsed.mime] : undefined;
      if (parsed && format) blocks.push({ document: { format, name: String(p.file.filename ?? "document"), source: { bytes: parsed.data } } });
    }
  }
  return blocks;
}

function parseDataUrl(url: string): { mime: string; data: string } | undefined {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return m ? { mime: m[1]!, data: m[2]! } : undefined;
}
