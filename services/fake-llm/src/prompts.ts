/** Bedrock Agent managed prompts (GetPrompt) held in memory. */
import { arn } from "@gw/partition";

export interface PromptMessage {
  role: "user" | "assistant";
  content: { text: string }[];
}

export interface PromptVariant {
  name: string;
  templateType: "TEXT" | "CHAT";
  templateConfiguration:
    | { text: { text: string; inputVariables?: { name: string }[] } }
    | { chat: { messages: PromptMessage[]; system?: { text: string }[]; inputVariables?: { name: string }[] } };
  modelId?: string;
  inferenceConfiguration?: { text: { temperature?: number; topP?: number; maxTokens?: number; stopSequences?: string[] } };
  additionalModelRequestFields?: Record<string, unknown>;
}

/**
 * A prompt to serve. Give `variants` in GetPrompt shape, or the one-variant shorthand (`text` for TEXT, `messages` /
 * `system` for CHAT). Input variables default to the `{{name}}` placeholders found in the template.
 */
export interface FakePrompt {
  id: string;
  /** "DRAFT" or a number as a string. @default "DRAFT" */
  version?: string;
  name?: string;
  description?: string;
  variants?: PromptVariant[];
  text?: string;
  messages?: PromptMessage[];
  system?: string | { text: string }[];
  inputVariables?: string[];
  modelId?: string;
  inferenceConfiguration?: { temperature?: number; topP?: number; maxTokens?: number; stopSequences?: string[] };
  additionalModelRequestFields?: Record<string, unknown>;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

function placeholders(...texts: string[]): { name: string }[] {
  const names = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names].map((name) => ({ name }));
}

function shorthandVariant(p: FakePrompt): PromptVariant {
  const vars = p.inputVariables?.map((name) => ({ name }));
  const inference = p.inferenceConfiguration ? { text: p.inferenceConfiguration } : undefined;
  const common = { name: "variant-1", modelId: p.modelId, inferenceConfiguration: inference, additionalModelRequestFields: p.additionalModelRequestFields };
  if (p.messages) {
    const system = typeof p.system === "string" ? [{ text: p.system }] : p.system;
    const texts = [...p.messages.flatMap((m) => m.content.map((c) => c.text)), ...(system ?? []).map((s) => s.text)];
    return { ...common, templateType: "CHAT", templateConfiguration: { chat: { messages: p.messages, system, inputVariables: vars ?? placeholders(...texts) } } };
  }
  const text = p.text ?? "";
  return { ...common, templateType: "TEXT", templateConfiguration: { text: { text, inputVariables: vars ?? placeholders(text) } } };
}

export class PromptStore {
  private prompts = new Map<string, FakePrompt[]>();
  private updatedAt = new Date().toISOString();

  constructor(
    private readonly region: () => string,
    private readonly account: () => string,
  ) {}

  set(prompts: readonly FakePrompt[]): void {
    this.prompts.clear();
    this.updatedAt = new Date().toISOString();
    for (const p of prompts) {
      if (!p || typeof p.id !== "string" || !p.id) throw new Error("prompt id is required");
      const list = this.prompts.get(p.id) ?? [];
      list.push(p);
      this.prompts.set(p.id, list);
    }
  }

  /** ARN of a prompt (versioned unless DRAFT), built by @gw/partition for the instance's region. */
  arnOf(id: string, version?: string): string {
    const resource = version && version !== "DRAFT" ? `prompt/${id}:${version}` : `prompt/${id}`;
    return arn(this.region(), "bedrock", resource, { account: this.account() });
  }

  /** GetPrompt: identifier is an id or an ARN (optionally ending in :VERSION). */
  get(identifier: string, version: string | undefined): Record<string, unknown> | undefined {
    let id = identifier;
    let ver = version;
    const slash = identifier.lastIndexOf("prompt/");
    if (identifier.includes(":") && slash >= 0) {
      const [pid, suffix] = identifier.slice(slash + "prompt/".length).split(":");
      id = pid!;
      ver ??= suffix;
    }
    const list = this.prompts.get(id);
    if (!list) return undefined;
    const wanted = ver ?? "DRAFT";
    const p =
      list.find((x) => (x.version ?? "DRAFT") === wanted) ??
      (ver === undefined ? [...list].sort((a, b) => Number(b.version) - Number(a.version))[0] : undefined);
    if (!p) return undefined;
    const pv = p.version ?? "DRAFT";
    const variants = p.variants ?? [shorthandVariant(p)];
    return {
      name: p.name ?? `prompt-${id.toLowerCase()}`,
      description: p.description,
      id,
      arn: this.arnOf(id, pv),
      version: pv,
      defaultVariant: variants[0]?.name,
      variants,
      createdAt: this.updatedAt,
      updatedAt: this.updatedAt,
    };
  }

  list(): FakePrompt[] {
    return [...this.prompts.values()].flat();
  }
}
