import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import { GatewayError, bedrockTypeForStatus, fromUpstreamFailure, streamExceptionType, upstreamErrorMessage } from "../errors";
import { isPromptArn } from "../prompts/index";
import type { ChatMessage } from "../history/index";
import type { AppContext } from "../app/context";
import { apiKeyOf } from "../app/auth";
import { promptTurn } from "../app/prompt-turn";
import { openTurnSession, recordTurn, upstreamTurnBody, type TurnSession } from "../app/turn-history";
import { sendError, sendRawError } from "../app/reply-errors";
import { ClientWriter } from "../proxy/client-writer";
import { proxyToUpstream } from "../proxy/passthrough";
import { forwardHeaders, readText } from "../proxy/upstream";
import { SseSplitter } from "../openai/sse";
import { StreamAccumulator } from "../openai/accumulate";
import { assistantMessageOf, converseToOpenAi, openAiToConverse } from "./convert";
import { ConverseStreamTranslator, exceptionFrame } from "./eventstream";

type Json = Record<string, unknown>;

/** Client headers not sent to LiteLLM: rebuilt ones, SigV4/SDK bookkeeping, cookies. Custom headers pass. */
const DROP_BEDROCK_HEADERS = new Set(["content-length", "content-type", "accept", "accept-encoding", "authorization", "x-api-key", "expect", "cookie", "x-request-id"]);
const AWS_HEADER = /^(x-amz-|x-amzn-|amz-sdk-)/;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Raw-path match: the model id is one URL-encoded label (prompt ARNs arrive as arn%3A...%3Aprompt%2FID%3A1), but
 * clients that do not encode send literal ':' and '/', so everything between /bedrock/model/ and the operation counts.
 */
const CONVERSE_PATH = /^\/bedrock\/model\/(.+)\/(converse|converse-stream)\/?(?:\?.*)?$/;

export function matchConversePath(rawUrl: string): { modelId: string; stream: boolean } | undefined {
  const m = CONVERSE_PATH.exec(rawUrl);
  if (!m) return undefined;
  let modelId: string;
  try {
    modelId = decodeURIComponent(m[1]!);
  } catch {
    throw new GatewayError("GW_VALIDATION", "modelId: invalid URL encoding");
  }
  if (!modelId.trim()) throw new GatewayError("GW_VALIDATION", "modelId: required");
  return { modelId, stream: m[2] === "converse-stream" };
}

/** POST /bedrock/model/{modelId}/converse and /converse-stream. Other /bedrock/model/* operations go to LiteLLM. */
export function registerBedrockRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post("/bedrock/model/*", async (request, reply) => {
    let match: ReturnType<typeof matchConversePath>;
    try {
      match = matchConversePath(request.raw.url ?? "");
    } catch (err) {
      return sendError(request, reply, err, "bedrock");
    }
    if (!match) return proxyToUpstream(ctx.upstream, request, reply);
    return handleConverse(ctx, request, reply, match.modelId, match.stream);
  });
}

function parseJson(raw: unknown): unknown {
  const text = Buffer.isBuffer(raw) ? raw.toString("utf8") : typeof raw === "string" ? raw : "";
  if (!text.trim()) throw new GatewayError("GW_VALIDATION", "Request body is required");
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError("GW_INVALID_JSON");
  }
}

async function handleConverse(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, modelId: string, stream: boolean): Promise<unknown> {
  const requestId = randomUUID();
  reply.header("x-amzn-requestid", requestId);
  let session: TurnSession | undefined;
  let turn: ChatMessage[];
  let upstreamBody: string;
  const apiKey = apiKeyOf(request.headers);
  try {
    const prompt = isPromptArn(modelId);
    const converted = converseToOpenAi(parseJson(request.body), { requireMessages: !prompt });
    session = await openTurnSession(ctx.turns, apiKey, converted.history);
    let model = modelId;
    let params = converted.params;
    if (prompt) {
      const built = await promptTurn(ctx.prompts, modelId, converted.promptVariables, { system: converted.system, messages: converted.messages, params });
      model = built.model;
      params = built.params;
      turn = built.messages;
    } else {
      turn = converted.system ? [{ role: "system", content: converted.system }, ...converted.messages] : converted.messages;
    }
    const body: Json = { ...params, model };
    if (stream) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    upstreamBody = upstreamTurnBody(body, session?.prior, turn, ctx.turns.maxMessages);
  } catch (err) {
    return sendError(request, reply, err, "bedrock");
  }

  const headers = forwardHeaders(request.headers, DROP_BEDROCK_HEADERS);
  for (const name of Object.keys(headers)) if (AWS_HEADER.test(name)) delete headers[name];
  headers["content-type"] = "application/json";
  headers.accept = stream ? "text/event-stream" : "application/json";
  headers["x-request-id"] = requestId;
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  reply.hijack();
  const res = reply.raw;
  const started = Date.now();
  let upstreamRes: Dispatcher.ResponseData;
  try {
    upstreamRes = await ctx.upstream.request({ path: "/v1/chat/completions", method: "POST", headers, body: upstreamBody });
  } catch (err) {
    return sendRawError(request, res, err, "bedrock");
  }

  if (upstreamRes.statusCode < 200 || upstreamRes.statusCode >= 300) {
    // Before any byte is sent: a typed Bedrock error (x-amzn-ErrorType + {"message"}), status kept from upstream.
    let text = "";
    try {
      text = await readText(upstreamRes.body, 1024 * 1024);
    } catch {
      // the status alone still says what happened
    }
    const status = upstreamRes.statusCode;
    return sendRawError(request, res, new GatewayError(status >= 500 ? "GW_INTERNAL" : "GW_VALIDATION", upstreamErrorMessage(text, status), { status, bedrockType: bedrockTypeForStatus(status) }), "bedrock");
  }

  if (stream) return relayConverseStream(ctx, request, res, upstreamRes, session, turn, started, requestId);

  let parsed: Json;
  try {
    const p = JSON.parse(await readText(upstreamRes.body)) as unknown;
    if (!isObject(p)) throw new GatewayError("GW_UPSTREAM_BAD_RESPONSE");
    parsed = p;
  } catch (err) {
    return sendRawError(request, res, err instanceof SyntaxError ? new GatewayError("GW_UPSTREAM_BAD_RESPONSE") : fromUpstreamFailure(err), "bedrock");
  }
  let out: Json;
  try {
    out = openAiToConverse(parsed, Date.now() - started);
  } catch (err) {
    return sendRawError(request, res, err, "bedrock");
  }
  const resHeaders: Record<string, string> = { "content-type": "application/json", "x-amzn-requestid": requestId };
  if (session) {
    const assistant = assistantMessageOf(parsed);
    if (assistant) await recordTurn(ctx.store, session, turn, assistant, request.log);
    out.session_id = session.sessionId;
    resHeaders["x-session-id"] = session.sessionId;
  }
  res.writeHead(200, resHeaders);
  res.end(JSON.stringify(out));
}

/** Map an error chunk inside the upstream SSE stream (LiteLLM sends `data: {"error":{...}}`) to an exception frame. */
function streamErrorFrame(error: unknown): Uint8Array {
  const e = isObject(error) ? error : {};
  const code = Number(e.code ?? e.status);
  const type = Number.isFinite(code) && code >= 400 ? bedrockTypeForStatus(code) : typeof e.type === "string" && /rate.?limit|throttl/i.test(e.type) ? "ThrottlingException" : "ModelStreamErrorException";
  const message = typeof e.message === "string" ? e.message : typeof error === "string" ? error : "The model stream failed";
  return exceptionFrame(streamExceptionType(type), message);
}

/**
 * Relay a ConverseStream: each upstream SSE chunk becomes its event frames immediately. Failures after the 200 are
 * exception frames. The reply is assembled for history and stored when the upstream completes, even if the client
 * left midway (the upstream is read to the end); a failed stream stores nothing.
 */
async function relayConverseStream(ctx: AppContext, request: FastifyRequest, res: ServerResponse, upstreamRes: Dispatcher.ResponseData, session: TurnSession | undefined, turn: ChatMessage[], started: number, requestId: string): Promise<void> {
  const headers: Record<string, string> = { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": requestId };
  if (session) headers["x-session-id"] = session.sessionId;
  res.writeHead(200, headers);
  const out = new ClientWriter(res);
  const pending: Uint8Array[] = [];
  const translator = new ConverseStreamTranslator((frame) => pending.push(frame));
  const acc = new StreamAccumulator();
  const splitter = new SseSplitter();
  let failed: Uint8Array | undefined;
  let sawDone = false;

  const flush = async () => {
    if (!pending.length) return;
    const frames = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    pending.length = 0;
    await out.write(frames);
  };
  const consume = (events: ReturnType<SseSplitter["push"]>) => {
    for (const ev of events) {
      if (failed || ev.data === undefined) continue;
      const data = ev.data.trim();
      if (data === "[DONE]") {
        sawDone = true;
        continue;
      }
      if (data === "") continue;
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        continue; // keep-alive or non-JSON noise
      }
      if (!isObject(chunk)) continue;
      if (chunk.error !== undefined) {
        failed = streamErrorFrame(chunk.error);
        continue;
      }
      acc.add(chunk);
      translator.chunk(chunk);
    }
  };

  try {
    for await (const chunk of upstreamRes.body) {
      consume(splitter.push(chunk as Buffer));
      await flush();
      if (failed) break;
    }
    if (!failed) consume(splitter.end());
    if (!failed && !sawDone && acc.finishReason === undefined) {
      failed = exceptionFrame("modelStreamErrorException", "The upstream stream ended before the model finished");
    }
  } catch (err) {
    const ge = fromUpstreamFailure(err);
    request.log.warn({ code: ge.code, sessionId: session?.sessionId }, "upstream stream failed midway");
    failed = exceptionFrame("modelStreamErrorException", ge.code === "GW_UPSTREAM_TIMEOUT" ? ge.message : "The upstream stream failed before it completed");
  }
  if (failed) {
    upstreamRes.body.destroy();
    await flush();
    out.end(failed);
    return;
  }
  if (session) await recordTurn(ctx.store, session, turn, acc.message(), request.log);
  translator.finish(Date.now() - started);
  await flush();
  out.end();
}
