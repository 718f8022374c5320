/** Bedrock Runtime routes: Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { BadControlHeader, planRequest, rawPath, type FakeContext, type RequestPlan } from "./context";
import { bedrockErrorBody, MESSAGES, resolveBedrockError, streamExceptionMember } from "./errors";
import { eventFrame, EVENTSTREAM_CONTENT_TYPE, exceptionFrame } from "./eventstream";
import { bearerOf } from "./keys";
import { paceStream, sleep, StreamWriter, TokenPacer } from "./pacing";
import { buildReply, contentText, estimateTokens, fakeToolInput, readConversation, splitArguments, wantsToolCall, type Reply } from "./reply";
import type { InjectedError, RouteId } from "./state";

const OPERATION = /^\/model\/(.+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/;

interface ConverseBody {
  messages?: unknown[];
  system?: unknown[];
  inferenceConfig?: { maxTokens?: number };
  toolConfig?: {
    tools?: { toolSpec?: { name?: string; inputSchema?: { json?: unknown } } }[];
    toolChoice?: { auto?: object; any?: object; tool?: { name?: string } };
  };
}

interface AnthropicBody {
  messages?: unknown[];
  system?: unknown;
  max_tokens?: number;
  tools?: { name?: string; input_schema?: unknown }[];
  tool_choice?: { type?: "auto" | "any" | "tool" | "none"; name?: string };
  prompt?: string;
  inputText?: string;
}

interface ToolUse {
  toolUseId: string;
  name: string;
  input: Record<string, unknown>;
}

let sequence = 0;
const nextId = (prefix: string) => `${prefix}${(++sequence).toString(36).padStart(6, "0")}`;

export function sendBedrockError(reply: FastifyReply, status: number, errorType: string, message: string): FastifyReply {
  return reply
    .code(status)
    .header("x-amzn-errortype", errorType)
    .header("content-type", "application/json")
    .header("x-amzn-requestid", nextId("fake-req-"))
    .send(bedrockErrorBody(message));
}

function sendInjected(reply: FastifyReply, e: InjectedError): FastifyReply {
  const { status, errorType } = resolveBedrockError(e.status || undefined, e.errorType);
  return sendBedrockError(reply, status, errorType, MESSAGES.injected(status, errorType));
}

function asObject(body: unknown): Record<string, unknown> | undefined {
  if (Buffer.isBuffer(body)) {
    if (body.length === 0) return {};
    try {
      body = JSON.parse(body.toString("utf8"));
    } catch {
      return undefined;
    }
  }
  if (body === undefined || body === null) return {};
  return typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/** Writes content frames with pacing; a mid-stream failure becomes an exception frame. */
function streamPieces(out: StreamWriter, plan: RequestPlan, pieces: Uint8Array[]): Promise<boolean> {
  return paceStream(
    out,
    plan,
    pieces.length,
    (i) => out.write(pieces[i]!),
    async (e) => {
      const { status, errorType } = resolveBedrockError(e.status || undefined, e.errorType);
      await out.write(exceptionFrame(streamExceptionMember(errorType), MESSAGES.injected(status, errorType)));
    },
  );
}

function startStream(reply: FastifyReply, ctx: FakeContext, extra: Record<string, string> = {}): StreamWriter {
  reply.hijack();
  const out = new StreamWriter(reply.raw);
  out.start(200, {
    "content-type": EVENTSTREAM_CONTENT_TYPE,
    "x-amzn-requestid": nextId("fake-req-"),
    "x-fake-llm-region": ctx.opts.region,
    ...extra,
  });
  return out;
}

export function registerBedrockRoutes(app: FastifyInstance, ctx: FakeContext): void {
  app.post("/model/*", async (req: FastifyRequest, reply: FastifyReply) => {
    const path = rawPath(req);
    const match = OPERATION.exec(path);
    if (!match) return sendBedrockError(reply, 404, "UnknownOperationException", MESSAGES.unknownModelRoute(path));
    let modelId: string;
    try {
      modelId = decodeURIComponent(match[1]!);
    } catch {
      return sendBedrockError(reply, 400, "ValidationException", `Malformed model identifier ${match[1]}`);
    }
    const operation = match[2] as RouteId;
    let plan: RequestPlan;
    try {
      plan = planRequest(ctx, req, operation, path);
    } catch (e) {
      if (e instanceof BadControlHeader) return sendBedrockError(reply, 400, "ValidationException", MESSAGES.badControlHeader);
      throw e;
    }
    const bearer = bearerOf(req.headers);
    if (bearer && ctx.opts.rejectKeys.includes(bearer)) {
      return sendBedrockError(reply, 403, "AccessDeniedException", "The security token included in the request is invalid.");
    }
    const body = asObject(req.body);
    if (!body) return sendBedrockError(reply, 400, "ValidationException", MESSAGES.badJson);
    if (body.messages !== undefined && !Array.isArray(body.messages)) {
      return sendBedrockError(reply, 400, "ValidationException", "1 validation error detected: Value at 'messages' failed to satisfy constraint: Member must be a list");
    }
    const started = performance.now();
    await sleep(plan.latencyMs);
    const streaming = operation === "converse-stream" || operation === "invoke-with-response-stream";
    const early = plan.error ?? (streaming ? undefined : plan.streamError);
    if (early) return sendInjected(reply, early);
    if (operation === "converse" || operation === "converse-stream") return converse(ctx, reply, plan, modelId, body as ConverseBody, streaming, started);
    return invoke(ctx, reply, plan, modelId, body as AnthropicBody, streaming, started);
  });
}

function converseToolUse(body: ConverseBody, plan: RequestPlan, conversation: ReturnType<typeof readConversation>): ToolUse | undefined {
  const tools = (body.toolConfig?.tools ?? []).filter((t) => t?.toolSpec?.name);
  const choice = body.toolConfig?.toolChoice;
  const forced = !!choice && (!!choice.any || !!choice.tool);
  if (!wantsToolCall({ toolsOffered: tools.length > 0, forced, none: false, control: plan.controls.tool, conversation })) return undefined;
  const wanted = plan.controls.toolName ?? choice?.tool?.name;
  const spec = (tools.find((t) => t.toolSpec!.name === wanted) ?? tools[0]!).toolSpec!;
  return {
    toolUseId: nextId("tooluse_fake"),
    name: spec.name!,
    input: plan.controls.toolInput ?? fakeToolInput(spec.inputSchema?.json, conversation.lastUserText),
  };
}

const STOP_REASON = { stop: "end_turn", length: "max_tokens" } as const;

async function converse(ctx: FakeContext, reply: FastifyReply, plan: RequestPlan, modelId: string, body: ConverseBody, streaming: boolean, started: number) {
  const system = Array.isArray(body.system) ? contentText(body.system) : "";
  const conversation = readConversation(body.messages, system);
  const toolUse = converseToolUse(body, plan, conversation);
  const text = buildReply({
    region: ctx.opts.region,
    lastUserText: conversation.lastUserText || modelId,
    text: plan.controls.text,
    responseTokens: plan.responseTokens,
    maxTokens: body.inferenceConfig?.maxTokens,
  });
  const inputTokens = estimateTokens(conversation.promptChars);
  const toolJson = toolUse ? JSON.stringify(toolUse.input) : "";
  const outputTokens = toolUse ? estimateTokens(toolUse.name.length + toolJson.length) : text.tokens.length;
  const usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  const stopReason = toolUse ? "tool_use" : STOP_REASON[text.finish];

  if (!streaming) {
    await sleep(TokenPacer.duration(plan.ttftMs, plan.tokensPerSecond, outputTokens));
    return reply
      .header("x-amzn-requestid", nextId("fake-req-"))
      .header("x-fake-llm-region", ctx.opts.region)
      .send({
        output: { message: { role: "assistant", content: toolUse ? [{ toolUse }] : [{ text: text.text }] } },
        stopReason,
        usage,
        metrics: { latencyMs: Math.round(performance.now() - started) },
      });
  }

  const out = startStream(reply, ctx);
  await out.write(eventFrame("messageStart", { role: "assistant" }));
  const pieces: Uint8Array[] = toolUse
    ? [
        eventFrame("contentBlockStart", { contentBlockIndex: 0, start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } } }),
        ...splitArguments(toolJson).map((input) => eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input } } })),
      ]
    : text.tokens.map((t) => eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: t } }));
  if (!(await streamPieces(out, plan, pieces))) return;
  await out.write(eventFrame("contentBlockStop", { contentBlockIndex: 0 }));
  await out.write(eventFrame("messageStop", { stopReason }));
  await out.write(eventFrame("metadata", { usage, metrics: { latencyMs: Math.round(performance.now() - started) } }));
  out.end();
}

function anthropicToolUse(body: AnthropicBody, plan: RequestPlan, conversation: ReturnType<typeof readConversation>) {
  const tools = Array.isArray(body.tools) ? body.tools.filter((t) => t?.name) : [];
  const choice = body.tool_choice;
  const forced = choice?.type === "any" || choice?.type === "tool";
  if (!wantsToolCall({ toolsOffered: tools.length > 0, forced, none: choice?.type === "none", control: plan.controls.tool, conversation })) return undefined;
  const wanted = plan.controls.toolName ?? choice?.name;
  const tool = tools.find((t) => t.name === wanted) ?? tools[0]!;
  return { type: "tool_use" as const, id: nextId("toolu_fake"), name: tool.name!, input: plan.controls.toolInput ?? fakeToolInput(tool.input_schema, conversation.lastUserText) };
}

const ANTHROPIC_STOP = { stop: "end_turn", length: "max_tokens" } as const;

/** InvokeModel(WithResponseStream): Anthropic Messages request/response; `prompt` / `inputText` bodies are read too. */
async function invoke(ctx: FakeContext, reply: FastifyReply, plan: RequestPlan, modelId: string, body: AnthropicBody, streaming: boolean, started: number) {
  const system = typeof body.system === "string" ? body.system : contentText(body.system);
  const loose = typeof body.prompt === "string" ? body.prompt : typeof body.inputText === "string" ? body.inputText : undefined;
  const conversation = loose !== undefined && !body.messages ? readConversation([{ role: "user", content: loose }], system) : readConversation(body.messages, system);
  const tool = anthropicToolUse(body, plan, conversation);
  const text: Reply = buildReply({
    region: ctx.opts.region,
    lastUserText: conversation.lastUserText || modelId,
    text: plan.controls.text,
    responseTokens: plan.responseTokens,
    maxTokens: body.max_tokens,
  });
  const inputTokens = estimateTokens(conversation.promptChars);
  const toolJson = tool ? JSON.stringify(tool.input) : "";
  const outputTokens = tool ? estimateTokens(tool.name.length + toolJson.length) : text.tokens.length;
  const stopReason = tool ? "tool_use" : ANTHROPIC_STOP[text.finish];
  const id = nextId("msg_fake");

  if (!streaming) {
    await sleep(TokenPacer.duration(plan.ttftMs, plan.tokensPerSecond, outputTokens));
    const latency = Math.round(performance.now() - started);
    return reply
      .header("content-type", "application/json")
      .header("x-amzn-requestid", nextId("fake-req-"))
      .header("x-amzn-bedrock-input-token-count", String(inputTokens))
      .header("x-amzn-bedrock-output-token-count", String(outputTokens))
      .header("x-amzn-bedrock-invocation-latency", String(latency))
      .header("x-fake-llm-region", ctx.opts.region)
      .send(
        JSON.stringify({
          id,
          type: "message",
          role: "assistant",
          model: modelId,
          content: tool ? [tool] : [{ type: "text", text: text.text }],
          stop_reason: stopReason,
          stop_sequence: null,
          usage: { input_tokens: inputTokens, output_tokens: outputTokens },
        }),
      );
  }

  const chunk = (event: unknown) => eventFrame("chunk", { bytes: Buffer.from(JSON.stringify(event)).toString("base64") });
  const out = startStream(reply, ctx, { "x-amzn-bedrock-content-type": "application/json" });
  await out.write(
    chunk({
      type: "message_start",
      message: { id, type: "message", role: "assistant", model: modelId, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: 1 } },
    }),
  );
  const pieces: Uint8Array[] = tool
    ? [
        chunk({ type: "content_block_start", index: 0, content_block: { type: "tool_use", id: tool.id, name: tool.name, input: {} } }),
        ...splitArguments(toolJson).map((p) => chunk({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: p } })),
      ]
    : [
        chunk({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
        ...text.tokens.map((t) => chunk({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: t } })),
      ];
  const firstByte = Math.round(performance.now() - started);
  if (!(await streamPieces(out, plan, pieces))) return;
  await out.write(chunk({ type: "content_block_stop", index: 0 }));
  await out.write(chunk({ type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } }));
  await out.write(
    chunk({
      type: "message_stop",
      "amazon-bedrock-invocationMetrics": {
        inputTokenCount: inputTokens,
        outputTokenCount: outputTokens,
        invocationLatency: Math.round(performance.now() - started),
        firstByteLatency: firstByte,
      },
    }),
  );
  out.end();
}
