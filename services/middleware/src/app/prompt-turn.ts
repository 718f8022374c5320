import type { ChatMessage } from "../history/index";
import type { PromptResolver } from "../prompts/index";
import { RESERVED_OPENAI_KEYS } from "../bedrock/convert";

type Json = Record<string, unknown>;

export interface TurnInput {
  /** System prompt from the request (Bedrock `system`), if any. */
  readonly system?: string;
  /** The request's own messages (OpenAI format). */
  readonly messages: readonly ChatMessage[];
  /** OpenAI parameters already set by the request; they win over the prompt's defaults. */
  readonly params: Json;
}

export interface PromptTurn {
  readonly model: string;
  /** The turn's new messages: prompt system + request system, prompt messages, then the request's messages. */
  readonly messages: ChatMessage[];
  readonly params: Json;
}

/** Resolve a managed prompt ARN and build the turn from its variant (model, template, inference configuration). */
export async function promptTurn(resolver: PromptResolver, promptArn: string, variables: Record<string, string> | undefined, input: TurnInput): Promise<PromptTurn> {
  const resolved = await resolver.resolve(promptArn, variables);
  const params: Json = { ...input.params };
  const ic = resolved.inferenceConfig ?? {};
  const defaults: Json = { max_tokens: ic.maxTokens, temperature: ic.temperature, top_p: ic.topP, stop: ic.stopSequences?.length ? ic.stopSequences : undefined };
  for (const [k, v] of Object.entries(defaults)) if (v !== undefined && params[k] === undefined) params[k] = v;
  for (const [k, v] of Object.entries(resolved.additionalModelRequestFields ?? {})) {
    if (!RESERVED_OPENAI_KEYS.has(k) && params[k] === undefined) params[k] = v;
  }
  const system = [resolved.system, input.system].filter((s): s is string => typeof s === "string" && s.length > 0).join("\n");
  const messages: ChatMessage[] = [...(system ? [{ role: "system", content: system } as ChatMessage] : []), ...resolved.messages, ...input.messages];
  return { model: resolved.modelId, messages, params };
}
