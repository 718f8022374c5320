import type { ChatMessage } from "../history/types";
import { PROMPT_ERROR_CODES, PromptError } from "./errors";

export interface ResolvedPrompt {
  modelId: string;
  system?: string;
  messages: ChatMessage[];
  inferenceConfig: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  additionalModelRequestFields?: Record<string, unknown>;
}

/** The parts of a GetPrompt response this module reads (structurally the SDK's GetPromptResponse). */
export interface GetPromptShape {
  defaultVariant?: string;
  variants?: readonly PromptVariantShape[];
}

export interface PromptVariantShape {
  name?: string;
  templateType?: string;
  modelId?: string;
  templateConfiguration?: {
    text?: { text?: string; inputVariables?: readonly { name?: string }[] };
    chat?: {
      messages?: readonly { role?: string; content?: readonly { text?: string }[] }[];
      system?: readonly { text?: string }[];
      inputVariables?: readonly { name?: string }[];
    };
  };
  inferenceConfiguration?: { text?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: readonly string[] } };
  additionalModelRequestFields?: unknown;
}

type TemplateMessage = { role: "user" | "assistant"; parts: string[] };

/** A prompt variant reduced to what rendering needs; cached between requests. */
export interface PromptTemplate {
  readonly modelId: string;
  readonly text?: string;
  readonly system?: readonly string[];
  readonly messages?: readonly TemplateMessage[];
  /** Variable names the template expects (placeholders plus declared inputVariables), sorted. */
  readonly variables: readonly string[];
  readonly inferenceConfig: ResolvedPrompt["inferenceConfig"];
  readonly additionalModelRequestFields?: Record<string, unknown>;
}

/** `{{name}}` with optional spaces inside the braces. */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

function placeholderNames(texts: readonly string[]): string[] {
  const names: string[] = [];
  for (const t of texts) for (const m of t.matchAll(PLACEHOLDER)) names.push(m[1]!);
  return names;
}

function unusable(promptArn: string, why: string): PromptError {
  return new PromptError(`prompt ${promptArn} cannot be used: ${why}`, 400, PROMPT_ERROR_CODES.unusable);
}

function textsOf(blocks: readonly { text?: string }[] | undefined): string[] {
  return (blocks ?? []).flatMap((b) => (typeof b.text === "string" ? [b.text] : []));
}

function inferenceOf(v: PromptVariantShape): ResolvedPrompt["inferenceConfig"] {
  const t = v.inferenceConfiguration?.text;
  const out: ResolvedPrompt["inferenceConfig"] = {};
  if (typeof t?.maxTokens === "number") out.maxTokens = t.maxTokens;
  if (typeof t?.temperature === "number") out.temperature = t.temperature;
  if (typeof t?.topP === "number") out.topP = t.topP;
  if (Array.isArray(t?.stopSequences) && t.stopSequences.length > 0) out.stopSequences = t.stopSequences.filter((s) => typeof s === "string");
  return out;
}

/** Picks the default variant (else the first) and checks it can drive a model call. */
export function templateFromPrompt(prompt: GetPromptShape, promptArn: string): PromptTemplate {
  const variants = prompt.variants ?? [];
  const variant = variants.find((v) => v.name !== undefined && v.name === prompt.defaultVariant) ?? variants[0];
  if (!variant) throw unusable(promptArn, "it has no variants");
  if (!variant.modelId) throw unusable(promptArn, `variant "${variant.name ?? "?"}" has no modelId`);
  const extra = variant.additionalModelRequestFields;
  const common = {
    modelId: variant.modelId,
    inferenceConfig: inferenceOf(variant),
    additionalModelRequestFields: extra && typeof extra === "object" && !Array.isArray(extra) ? (extra as Record<string, unknown>) : undefined,
  };
  const config = variant.templateConfiguration;
  if (variant.templateType === "TEXT" && typeof config?.text?.text === "string") {
    const text = config.text.text;
    const declared = (config.text.inputVariables ?? []).flatMap((v) => (v.name ? [v.name] : []));
    return { ...common, text, variables: [...new Set([...placeholderNames([text]), ...declared])].sort() };
  }
  if (variant.templateType === "CHAT" && config?.chat) {
    const system = textsOf(config.chat.system);
    const messages: TemplateMessage[] = [];
    for (const m of config.chat.messages ?? []) {
      if (m.role !== "user" && m.role !== "assistant") throw unusable(promptArn, `chat message role "${String(m.role)}" is not user or assistant`);
      messages.push({ role: m.role, parts: textsOf(m.content) });
    }
    if (messages.length === 0) throw unusable(promptArn, "its chat template has no messages");
    const declared = (config.chat.inputVariables ?? []).flatMap((v) => (v.name ? [v.name] : []));
    const texts = [...system, ...messages.flatMap((m) => m.parts)];
    return { ...common, system, messages, variables: [...new Set([...placeholderNames(texts), ...declared])].sort() };
  }
  throw unusable(promptArn, `template type "${String(variant.templateType)}" is not TEXT or CHAT with a template`);
}

/** Accepts plain strings and Bedrock's `{ text }` promptVariables values. */
function variableValues(variables: Record<string, unknown> | undefined): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(variables ?? {})) {
    const text = typeof value === "string" ? value : value && typeof value === "object" && typeof (value as { text?: unknown }).text === "string" ? (value as { text: string }).text : undefined;
    if (text === undefined) throw new PromptError(`prompt variable "${name}" must be a string (or {"text": string})`, 400, PROMPT_ERROR_CODES.invalidVariable);
    values.set(name, text);
  }
  return values;
}

function substitute(text: string, values: ReadonlyMap<string, string>): string {
  // One pass: placeholders inside substituted values are not expanded again.
  return text.replace(PLACEHOLDER, (whole, name: string) => values.get(name) ?? whole);
}

function messageContent(parts: string[]): ChatMessage["content"] {
  return parts.length === 1 ? parts[0] : parts.map((text) => ({ type: "text", text }));
}

/** Checks the variables against the template, then fills every `{{ name }}`. */
export function renderPrompt(template: PromptTemplate, variables: Record<string, unknown> | undefined): ResolvedPrompt {
  const values = variableValues(variables);
  const expected = new Set(template.variables);
  const missing = template.variables.filter((n) => !values.has(n));
  const unexpected = [...values.keys()].filter((n) => !expected.has(n)).sort();
  if (missing.length > 0 || unexpected.length > 0) {
    const list = (names: string[]) => (names.length > 0 ? names.join(", ") : "none");
    throw new PromptError(
      `prompt variables do not match the template: missing [${list(missing)}], unexpected [${list(unexpected)}]; expected [${list([...template.variables])}]`,
      400,
      PROMPT_ERROR_CODES.variables,
      missing,
      unexpected,
    );
  }
  const base = {
    modelId: template.modelId,
    inferenceConfig: { ...template.inferenceConfig, ...(template.inferenceConfig.stopSequences ? { stopSequences: [...template.inferenceConfig.stopSequences] } : {}) },
    ...(template.additionalModelRequestFields ? { additionalModelRequestFields: structuredClone(template.additionalModelRequestFields) } : {}),
  };
  if (template.text !== undefined) {
    return { ...base, messages: [{ role: "user", content: substitute(template.text, values) }] };
  }
  const system = (template.system ?? []).map((s) => substitute(s, values)).join("\n");
  return {
    ...base,
    ...(system ? { system } : {}),
    messages: (template.messages ?? []).map((m) => ({ role: m.role, content: messageContent(m.parts.map((p) => substitute(p, values))) })),
  };
}
