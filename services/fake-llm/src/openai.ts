/** OpenAI-compatible routes: chat completions (JSON and SSE) and the model list, as LiteLLM answers them. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { BadControlHeader, planRequest, type FakeContext, type RequestPlan } from "./context";
import { MESSAGES, openAiErrorBody, resolveBedrockError } from "./errors";
import { paceStream, sleep, StreamWriter, TokenPacer } from "./pacing";
import { buildReply, estimateTokens, fakeToolInput, readConversation, splitArguments, wantsToolCall } from "./reply";
import type { InjectedError } from "./state";

interface ChatTool {
  type?: string;
  function?: { name?: string; parameters?: unknown };
}

interface ChatBody {
  model?: string;
  messages?: unknown[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: ChatTool[];
  tool_choice?: "none" | "auto" | "required" | { type: "function"; function: { name: string } };
  max_tokens?: number;
  max_completion_tokens?: number;
}

interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

const usageSchema = {
  type: "object",
  properties: { prompt_tokens: { type: "integer" }, completion_tokens: { type: "integer" }, total_tokens: { type: "integer" } },
};

/** Response schema: fastify compiles it into a fast serializer. */
const completionSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    object: { type: "string" },
    created: { type: "integer" },
    model: { type: "string" },
    system_fingerprint: { type: "string" },
    choices: {
      type: "array",
      items: {
        type: "object",
        properties: {
          index: { type: "integer" },
          message: {
            type: "object",
            properties: {
              role: { type: "string" },
              content: { type: ["string", "null"] },
              tool_calls: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    id: { type: "string" },
                    type: { type: "string" },
                    function: { type: "object", properties: { name: { type: "string" }, arguments: { type: "string" } } },
                  },
                },
              },
            },
          },
          logprobs: { type: "null" },
          finish_reason: { type: "string" },
        },
      },
    },
    usage: usageSchema,
  },
} as const;

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { message: { type: "string" }, type: { type: "string" }, param: { type: ["string", "null"] }, code: { type: "string" } },
    },
  },
} as const;

let sequence = 0;
function completionId(): string {
  return `chatcmpl-fake${(++sequence).toString(36)}`;
}

export function sendOpenAiError(reply: FastifyReply, status: number, message: string, type?: string): FastifyReply {
  return reply.code(status).send(openAiErrorBody(status, message, type));
}

function injectedStatus(e: InjectedError): { status: number; errorType: string } {
  return resolveBedrockError(e.status || undefined, e.errorType);
}

function toolChoiceFlags(choice: ChatBody["tool_choice"]): { forced: boolean; none: boolean; name?: string } {
  if (choice === "none") return { forced: false, none: true };
  if (choice === "required") return { forced: true, none: false };
  if (choice && typeof choice === "object") return { forced: true, none: false, name: choice.function?.name };
  return { forced: false, none: false };
}

function planToolCall(body: ChatBody, plan: RequestPlan, lastUserText: string, conversation: ReturnType<typeof readConversation>): ToolCall | undefined {
  const tools = Array.isArray(body.tools) ? body.tools.filter((t) => t?.function?.name) : [];
  const flags = toolChoiceFlags(body.tool_choice);
  if (!wantsToolCall({ toolsOffered: tools.length > 0, forced: flags.forced, none: flags.none, control: plan.controls.tool, conversation })) return undefined;
  const wanted = plan.controls.toolName ?? flags.name;
  const tool = tools.find((t) => t.function!.name === wanted) ?? tools[0]!;
  const input = plan.controls.toolInput ?? fakeToolInput(tool.function!.parameters, lastUserText);
  return { id: `call_fake${(++sequence).toString(36)}`, type: "function", function: { name: tool.function!.name!, arguments: JSON.stringify(input) } };
}

export function registerOpenAiRoutes(app: FastifyInstance, ctx: FakeContext): void {
  const chat = async (req: FastifyRequest, reply: FastifyReply) => {
    let plan: RequestPlan;
    try {
      plan = planRequest(ctx, req, "chat");
    } catch (e) {
      if (e instanceof BadControlHeader) return sendOpenAiError(reply, 400, MESSAGES.badControlHeader);
      throw e;
    }
    const body = req.body as ChatBody | undefined;
    const auth = ctx.keys.authenticate(req.headers, typeof body?.model === "string" ? body.model : undefined);
    if (!auth.ok) return sendOpenAiError(reply, auth.status, auth.message, "auth_error");
    if (!body || typeof body !== "object" || !Array.isArray(body.messages)) {
      return sendOpenAiError(reply, 400, "Invalid request: 'messages' must be an array");
    }
    await sleep(plan.latencyMs);
    const streaming = body.stream === true;
    const early = plan.error ?? (streaming ? undefined : plan.streamError);
    if (early) {
      const { status, errorType } = injectedStatus(early);
      return sendOpenAiError(reply, status, MESSAGES.injected(status, errorType));
    }

    const conversation = readConversation(body.messages);
    const model = typeof body.model === "string" ? body.model : "fake-openai-endpoint";
    const toolCall = planToolCall(body, plan, conversation.lastUserText, conversation);
    const replyText = buildReply({
      region: ctx.opts.region,
      lastUserText: conversation.lastUserText,
      text: plan.controls.text,
      responseTokens: plan.responseTokens,
      maxTokens: body.max_completion_tokens ?? body.max_tokens,
    });
    const promptTokens = estimateTokens(conversation.promptChars);
    const completionTokens = toolCall ? estimateTokens(toolCall.function.name.length + toolCall.function.arguments.length) : replyText.tokens.length;
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const finish = toolCall ? "tool_calls" : replyText.finish;
    const id = completionId();
    const created = Math.floor(Date.now() / 1000);

    if (!streaming) {
      await sleep(TokenPacer.duration(plan.ttftMs, plan.tokensPerSecond, completionTokens));
      return reply.header("x-fake-llm-region", ctx.opts.region).send({
        id,
        object: "chat.completion",
        created,
        model,
        system_fingerprint: "fp_fake",
        choices: [
          {
            index: 0,
            message: toolCall ? { role: "assistant", content: null, tool_calls: [toolCall] } : { role: "assistant", content: replyText.text },
            logprobs: null,
            finish_reason: finish,
          },
        ],
        usage,
      });
    }

    reply.hijack();
    const out = new StreamWriter(reply.raw);
    out.start(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-fake-llm-region": ctx.opts.region,
    });
    const includeUsage = body.stream_options?.include_usage === true;
    const head = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"system_fingerprint":"fp_fake",`;
    const tail = includeUsage ? `,"usage":null}` : "}";
    const frame = (delta: unknown, finishReason: string | null) =>
      `data: ${head}"choices":[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${finishReason ? `"${finishReason}"` : "null"}}]${tail}\n\n`;

    const pieces: { delta: unknown }[] = toolCall
      ? [
          { delta: { tool_calls: [{ index: 0, id: toolCall.id, type: "function", function: { name: toolCall.function.name, arguments: "" } }] } },
          ...splitArguments(toolCall.function.arguments).map((a) => ({ delta: { tool_calls: [{ index: 0, function: { arguments: a } }] } })),
        ]
      : replyText.tokens.map((t) => ({ delta: { content: t } }));

    await out.write(frame({ role: "assistant", content: toolCall ? null : "" }, null));
    const completed = await paceStream(
      out,
      plan,
      pieces.length,
      (i) => out.write(frame(pieces[i]!.delta, null)),
      async (e) => {
        const { status, errorType } = injectedStatus(e);
        await out.write(`data: ${JSON.stringify(openAiErrorBody(status, MESSAGES.injected(status, errorType)))}\n\n`);
      },
    );
    if (!completed) return;
    await out.write(frame({}, finish));
    if (includeUsage) await out.write(`data: ${head}"choices":[],"usage":${JSON.stringify(usage)}}\n\n`);
    await out.write("data: [DONE]\n\n");
    out.end();
  };

  const routeOptions = { schema: { response: { 200: completionSchema, "4xx": errorSchema, "5xx": errorSchema } } };
  app.post("/v1/chat/completions", routeOptions, chat);
  app.post("/chat/completions", routeOptions, chat);

  const models = async (req: FastifyRequest, reply: FastifyReply) => {
    let plan: RequestPlan;
    try {
      plan = planRequest(ctx, req, "models");
    } catch {
      return sendOpenAiError(reply, 400, MESSAGES.badControlHeader);
    }
    const auth = ctx.keys.authenticate(req.headers);
    if (!auth.ok) return sendOpenAiError(reply, auth.status, auth.message, "auth_error");
    const injected = plan.error ?? plan.streamError;
    if (injected) {
      const { status, errorType } = injectedStatus(injected);
      return sendOpenAiError(reply, status, MESSAGES.injected(status, errorType));
    }
    return { object: "list", data: ctx.opts.models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "fake-llm" })) };
  };
  app.get("/v1/models", models);
  app.get("/models", models);
}
