import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Dispatcher } from "undici";
import { GatewayError, fromUpstreamFailure, openaiErrorBody } from "../errors";
import { isPromptArn } from "../prompts/index";
import type { ChatMessage } from "../history/index";
import { assistantMessageOf, readHistorySwitches } from "../bedrock/convert";
import type { AppContext } from "../app/context";
import { apiKeyOf } from "../app/auth";
import { promptTurn } from "../app/prompt-turn";
import { openTurnSession, recordTurn, upstreamTurnBody, type TurnSession } from "../app/turn-history";
import { sendError, sendRawError } from "../app/reply-errors";
import { parseJsonObjectBody } from "../app/json-body";
import { ClientWriter } from "../proxy/client-writer";
import { clientHeaders, forwardHeaders, readText } from "../proxy/upstream";
import { SseSplitter } from "./sse";
import { StreamAccumulator } from "./accumulate";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Client headers never sent to LiteLLM on chat routes (we rewrite the body; compression would block inspection). */
const DROP_REQUEST = new Set(["content-length", "accept-encoding", "x-session-id", "cookie"]);
/** Upstream headers dropped when the body is rewritten. */
const DROP_REWRITTEN = new Set(["content-length", "content-encoding", "etag"]);

export const OPENAI_CHAT_PATHS = ["/v1/chat/completions", "/chat/completions"] as const;

/** POST /v1/chat/completions and /chat/completions: LiteLLM pass-through with chat history and managed prompts. */
export function registerOpenAiRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const path of OPENAI_CHAT_PATHS) {
    app.post(path, (request, reply) => handleChat(ctx, request, reply));
  }
}

function validate(body: Json): void {
  if (body.model !== undefined && typeof body.model !== "string") throw new GatewayError("GW_VALIDATION", "model: expected a string", { param: "model" });
  if (body.messages !== undefined) {
    if (!Array.isArray(body.messages)) throw new GatewayError("GW_VALIDATION", "messages: expected an array", { param: "messages" });
    body.messages.forEach((m, i) => {
      if (!isObject(m) || typeof m.role !== "string") throw new GatewayError("GW_VALIDATION", `messages.${i}: expected an object with a string role`, { param: `messages.${i}` });
    });
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") throw new GatewayError("GW_VALIDATION", "stream: expected a boolean", { param: "stream" });
}

async function handleChat(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  let session: TurnSession | undefined;
  let turn: ChatMessage[] = [];
  let upstreamBody: string | Buffer;
  let stream: boolean;
  try {
    const body = parseJsonObjectBody(request.body, { allowEmpty: false });
    validate(body);
    const history = readHistorySwitches(body, "");
    // Gateway-only fields are removed; a body without any (and without a prompt ARN) is forwarded byte for byte.
    const gatewayFields = "enable_history" in body || "session_id" in body || "promptVariables" in body;
    delete body.enable_history;
    delete body.session_id;
    const promptVariables = body.promptVariables;
    delete body.promptVariables;
    stream = body.stream === true;

    const apiKey = apiKeyOf(request.headers);
    session = await openTurnSession(ctx.turns, apiKey, history);
    const clientMessages = (Array.isArray(body.messages) ? body.messages : []) as ChatMessage[];

    if (typeof body.model === "string" && isPromptArn(body.model)) {
      const { model: _m, messages: _msgs, stream: _s, ...params } = body;
      const built = await promptTurn(ctx.prompts, body.model, flattenVariables(promptVariables), { messages: clientMessages, params });
      turn = built.messages;
      Object.assign(body, built.params);
      body.model = built.model;
      upstreamBody = upstreamTurnBody(body, session?.prior, turn, ctx.turns.maxMessages);
    } else {
      turn = clientMessages;
      if (session) upstreamBody = upstreamTurnBody(body, session.prior, turn, ctx.turns.maxMessages);
      else upstreamBody = gatewayFields || !Buffer.isBuffer(request.body) ? JSON.stringify(body) : request.body;
    }
  } catch (err) {
    return sendError(request, reply, err, "openai");
  }

  const headers = forwardHeaders(request.headers, DROP_REQUEST);
  headers["content-type"] = "application/json";
  reply.hijack();
  const res = reply.raw;
  if (!session && !stream) {
    // No history, no SSE (whose midway failures end with an error chunk): LiteLLM's answer goes straight through.
    try {
      await ctx.upstream.relay({ path: request.raw.url ?? "/v1/chat/completions", method: "POST", headers, body: upstreamBody }, res);
    } catch (err) {
      if (!res.headersSent) return sendRawError(request, res, err, "openai");
      // The status was sent; relay() has cut the client connection, as the pass-through does.
      request.log.warn({ code: (err as GatewayError).code }, "upstream body failed");
    }
    return;
  }
  let upstreamRes: Dispatcher.ResponseData;
  try {
    upstreamRes = await ctx.upstream.request({ path: request.raw.url ?? "/v1/chat/completions", method: "POST", headers, body: upstreamBody });
  } catch (err) {
    return sendRawError(request, res, err, "openai");
  }

  const status = upstreamRes.statusCode;
  // Upstream refusals (401, 429, 400 ...) pass through with their status and body; no session is written.
  if (status < 200 || status >= 300 || !session) {
    if (status >= 200 && status < 300 && stream) return relayStream(ctx, request, res, upstreamRes, undefined, []);
    return relayBody(request, res, upstreamRes);
  }
  if (stream) return relayStream(ctx, request, res, upstreamRes, session, turn);

  // Non-streaming turn with history: add session_id, store the turn, answer.
  let text: string;
  try {
    text = await readText(upstreamRes.body);
  } catch (err) {
    return sendRawError(request, res, fromUpstreamFailure(err), "openai");
  }
  let parsed: Json | undefined;
  try {
    const p = JSON.parse(text) as unknown;
    parsed = isObject(p) ? p : undefined;
  } catch {
    parsed = undefined;
  }
  const headersOut = clientHeaders(upstreamRes.headers, DROP_REWRITTEN);
  const assistant = parsed ? assistantMessageOf(parsed) : undefined;
  if (!parsed || !assistant) {
    res.writeHead(status, headersOut);
    res.end(text);
    return;
  }
  await recordTurn(ctx.store, session, turn, assistant, request.log);
  parsed.session_id = session.sessionId;
  headersOut["x-session-id"] = session.sessionId;
  headersOut["content-type"] = "application/json";
  res.writeHead(status, headersOut);
  res.end(JSON.stringify(parsed));
}

function flattenVariables(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new GatewayError("GW_VALIDATION", "promptVariables: expected an object", { param: "promptVariables" });
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === "string") out[k] = val;
    else if (isObject(val) && typeof val.text === "string") out[k] = val.text;
    else throw new GatewayError("GW_VALIDATION", `promptVariables.${k}: expected a string or {"text": "<value>"}`, { param: `promptVariables.${k}` });
  }
  return out;
}

/** Bodies up to this size with a Content-Length are relayed in one write (headers + body in one syscall). */
const SMALL_BODY = 256 * 1024;

/** Relay status, headers and body unchanged: one write for small sized bodies, chunk by chunk otherwise. */
async function relayBody(request: FastifyRequest, res: import("node:http").ServerResponse, upstreamRes: Dispatcher.ResponseData): Promise<void> {
  const headers = clientHeaders(upstreamRes.headers);
  const length = Number(upstreamRes.headers["content-length"]);
  if (Number.isFinite(length) && length <= SMALL_BODY && !String(upstreamRes.headers["content-type"] ?? "").includes("event-stream")) {
    let buf: Buffer;
    try {
      buf = Buffer.from(await upstreamRes.body.arrayBuffer());
    } catch (err) {
      return sendRawError(request, res, fromUpstreamFailure(err), "openai");
    }
    res.writeHead(upstreamRes.statusCode, headers);
    res.end(buf);
    return;
  }
  res.writeHead(upstreamRes.statusCode, headers);
  return pipeBody(request, res, upstreamRes);
}

async function pipeBody(request: FastifyRequest, res: import("node:http").ServerResponse, upstreamRes: Dispatcher.ResponseData): Promise<void> {
  const out = new ClientWriter(res);
  try {
    for await (const chunk of upstreamRes.body) {
      if (out.gone) {
        upstreamRes.body.destroy();
        return;
      }
      await out.write(chunk as Buffer);
    }
    out.end();
  } catch (err) {
    request.log.warn({ code: (err as { code?: string }).code }, "upstream body failed");
    res.destroy();
  }
}

/**
 * Relay an SSE stream chunk by chunk. With a session: the first data chunk carries `session_id`, the reply is
 * assembled, and stored once the upstream finished — also when the client disconnected midway (the upstream is read
 * to the end so the stored reply is complete). An upstream failure midway sends an OpenAI error chunk and stores
 * nothing, so the session keeps its previous, consistent state.
 */
async function relayStream(ctx: AppContext, request: FastifyRequest, res: import("node:http").ServerResponse, upstreamRes: Dispatcher.ResponseData, session: TurnSession | undefined, turn: ChatMessage[]): Promise<void> {
  const headersOut = clientHeaders(upstreamRes.headers, DROP_REWRITTEN);
  if (session) headersOut["x-session-id"] = session.sessionId;
  res.writeHead(upstreamRes.statusCode, headersOut);
  const out = new ClientWriter(res);
  const splitter = session ? new SseSplitter() : undefined;
  const acc = session ? new StreamAccumulator() : undefined;
  let injected = false;
  let sawDone = false;
  let upstreamError = false;
  let doneRaw: string | undefined;

  const handleEvents = async (events: ReturnType<SseSplitter["push"]>) => {
    for (const ev of events) {
      if (ev.data === undefined) {
        await out.write(ev.raw);
        continue;
      }
      if (ev.data.trim() === "[DONE]") {
        // Held back until the turn is stored, so a client that sends its next turn on [DONE] sees this one.
        sawDone = true;
        doneRaw = ev.raw;
        continue;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(ev.data);
      } catch {
        await out.write(ev.raw);
        continue;
      }
      if (isObject(chunk)) {
        if (chunk.error !== undefined) upstreamError = true;
        else acc!.add(chunk);
        if (!injected && chunk.error === undefined) {
          injected = true;
          await out.write(`data: ${JSON.stringify({ ...chunk, session_id: session!.sessionId })}\n\n`);
          continue;
        }
      }
      await out.write(ev.raw);
    }
  };

  try {
    for await (const chunk of upstreamRes.body) {
      if (splitter) await handleEvents(splitter.push(chunk as Buffer));
      else if (out.gone) {
        upstreamRes.body.destroy();
        return;
      } else await out.write(chunk as Buffer);
    }
    if (splitter) await handleEvents(splitter.end());
  } catch (err) {
    const ge = fromUpstreamFailure(err);
    request.log.warn({ code: ge.code, sessionId: session?.sessionId }, "upstream stream failed midway");
    await out.write(`data: ${openaiErrorBody(`${ge.code === "GW_UPSTREAM_TIMEOUT" ? ge.message : "The upstream stream failed before it completed"}`, "server_error", "upstream_stream_error")}\n\n`);
    out.end();
    return;
  }
  if (session && acc && !upstreamError && (sawDone || acc.finishReason !== undefined)) {
    await recordTurn(ctx.store, session, turn, acc.message(), request.log);
  } else if (session) {
    request.log.warn({ sessionId: session.sessionId }, "stream ended without completion; turn not stored");
  }
  out.end(doneRaw);
}
