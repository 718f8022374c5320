/** Deterministic reply text, token estimates and tool-call decisions shared by the OpenAI and Bedrock routes. */

const ECHO_CHARS = 48;
const FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua".split(" ").map((w) => ` ${w}`);

export interface Reply {
  /** Content chunks, one per token; joined they form `text`. */
  readonly tokens: readonly string[];
  readonly text: string;
  /** "length" when the request's max tokens cut the reply. */
  readonly finish: "stop" | "length";
}

/** ~4 characters per token, like the usual BPE average for English. */
export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** The reply header: names the region and echoes the last user message so tests can assert on routing. */
export function replyHeader(region: string, lastUserText: string): string {
  const echo = lastUserText.replace(/\s+/g, " ").trim().slice(0, ECHO_CHARS);
  return echo ? `fake reply from ${region}: ${echo}` : `fake reply from ${region}`;
}

export function buildReply(args: { region: string; lastUserText: string; text?: string; responseTokens?: number; maxTokens?: number }): Reply {
  let tokens = tokenize(args.text ?? replyHeader(args.region, args.lastUserText));
  const wanted = args.text === undefined ? args.responseTokens : undefined;
  if (wanted !== undefined) {
    const n = Math.max(1, Math.floor(wanted));
    if (tokens.length > n) tokens = tokens.slice(0, n);
    for (let i = 0; tokens.length < n; i++) tokens.push(FILLER[i % FILLER.length]!);
  }
  if (tokens.length === 0) tokens = [""];
  let finish: Reply["finish"] = "stop";
  if (args.maxTokens !== undefined && args.maxTokens > 0 && tokens.length > args.maxTokens) {
    tokens = tokens.slice(0, args.maxTokens);
    finish = "length";
  }
  return { tokens, text: tokens.join(""), finish };
}

/** Text of a message content in any of the shapes we accept (string, OpenAI parts, Bedrock/Anthropic blocks). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let out = "";
  for (const part of content) {
    if (part && typeof part === "object" && typeof (part as { text?: unknown }).text === "string") {
      out += (out ? " " : "") + (part as { text: string }).text;
    }
  }
  return out;
}

export interface Conversation {
  readonly lastUserText: string;
  readonly promptChars: number;
  /** The last message carries a tool result (OpenAI role "tool", Bedrock toolResult block, Anthropic tool_result). */
  readonly lastIsToolResult: boolean;
}

interface AnyMessage {
  role?: unknown;
  content?: unknown;
}

function hasToolResult(content: unknown): boolean {
  return Array.isArray(content) && content.some((b) => b && typeof b === "object" && ("toolResult" in b || (b as { type?: unknown }).type === "tool_result"));
}

/** Summarises a message list plus extra system text for token counts and the echo. */
export function readConversation(messages: unknown, systemText = ""): Conversation {
  let promptChars = systemText.length;
  let lastUserText = "";
  let lastIsToolResult = false;
  if (Array.isArray(messages)) {
    for (const m of messages as AnyMessage[]) {
      if (!m || typeof m !== "object") continue;
      const text = contentText(m.content);
      promptChars += text.length;
      if (m.role === "user") lastUserText = text || lastUserText;
    }
    const last = messages[messages.length - 1] as AnyMessage | undefined;
    lastIsToolResult = !!last && (last.role === "tool" || hasToolResult(last.content));
  }
  return { lastUserText, promptChars, lastIsToolResult };
}

const TOOL_WORDS = /weather|tool/i;

/** Deterministic tool-call decision. `forced`: the tool choice requires a tool; `none`: the choice forbids it. */
export function wantsToolCall(args: { toolsOffered: boolean; forced: boolean; none: boolean; control?: boolean; conversation: Conversation }): boolean {
  if (!args.toolsOffered || args.none || args.control === false) return false;
  if (args.control === true || args.forced) return true;
  return !args.conversation.lastIsToolResult && TOOL_WORDS.test(args.conversation.lastUserText);
}

/** Arguments satisfying a JSON schema's properties with plausible fake values. */
export function fakeToolInput(schema: unknown, lastUserText: string): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, { type?: unknown; enum?: unknown[] }> } | undefined)?.properties;
  const out: Record<string, unknown> = {};
  if (!props || typeof props !== "object") return out;
  for (const [name, prop] of Object.entries(props)) {
    if (Array.isArray(prop?.enum) && prop.enum.length) {
      out[name] = prop.enum[0];
      continue;
    }
    switch (prop?.type) {
      case "number":
      case "integer":
        out[name] = 1;
        break;
      case "boolean":
        out[name] = true;
        break;
      case "array":
        out[name] = [];
        break;
      case "object":
        out[name] = {};
        break;
      default:
        out[name] = /location|city|place/i.test(name) ? "Seattle" : lastUserText.slice(0, 32) || "fake";
    }
  }
  return out;
}

/** Splits a JSON string into a few partial pieces, like real streamed tool arguments. */
export function splitArguments(json: string, pieces = 3): string[] {
  if (json.length <= pieces) return [json];
  const size = Math.ceil(json.length / pieces);
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out;
}
