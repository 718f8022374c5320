import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { GatewayError } from "./errors";
import { MAX_PAGE_SIZE, ownerHash } from "./history/index";
import type { AppContext } from "./app/context";
import { apiKeyOf } from "./app/auth";
import { sendError, type ErrorShape } from "./app/reply-errors";
import { parseJsonObjectBody } from "./app/json-body";
import { openAiMessagesToConverse } from "./bedrock/convert";

type Json = Record<string, unknown>;

/**
 * History endpoints. Every call needs the key that created the session; the key is checked with LiteLLM first
 * (so revoked keys read nothing), and unknown and foreign sessions both answer 404.
 *   POST /chat-history          {session_id}          -> {session_id, messages}            (OpenAI format)
 *   POST /bedrock/chat-history  {session_id}          -> {session_id, messages, system}    (Converse format)
 *   POST /session-ids           {limit?, cursor?}     -> {session_ids, sessions, next_cursor}
 *   DELETE /chat-history/:id, /bedrock/chat-history/:id -> {session_id, deleted: true}
 */
export function registerHistoryRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post("/chat-history", (req, reply) => withOwner(ctx, req, reply, "openai", async (owner, body) => {
    const sessionId = sessionIdOf(body);
    const messages = await ctx.store.load(sessionId, owner);
    if (!messages) throw new GatewayError("GW_SESSION_NOT_FOUND");
    return { session_id: sessionId, messages };
  }));

  app.post("/bedrock/chat-history", (req, reply) => withOwner(ctx, req, reply, "bedrock", async (owner, body) => {
    const sessionId = sessionIdOf(body);
    const messages = await ctx.store.load(sessionId, owner);
    if (!messages) throw new GatewayError("GW_SESSION_NOT_FOUND");
    return { session_id: sessionId, ...openAiMessagesToConverse(messages) };
  }));

  app.post("/session-ids", (req, reply) => withOwner(ctx, req, reply, "openai", async (owner, body) => {
    const limit = body.limit ?? 100;
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new GatewayError("GW_VALIDATION", `limit: expected an integer from 1 to ${MAX_PAGE_SIZE}`, { param: "limit" });
    const cursor = body.cursor ?? undefined;
    if (cursor !== undefined && (typeof cursor !== "string" || !cursor)) throw new GatewayError("GW_VALIDATION", "cursor: expected the next_cursor string of a previous page", { param: "cursor" });
    const page = await ctx.store.listSessions(owner, { limit, cursor });
    return {
      session_ids: page.sessions.map((s) => s.sessionId),
      sessions: page.sessions.map((s) => ({ session_id: s.sessionId, created_at: s.createdAt, updated_at: s.updatedAt, message_count: s.messageCount })),
      next_cursor: page.nextCursor ?? null,
    };
  }));

  for (const [path, shape] of [["/chat-history/:sessionId", "openai"], ["/bedrock/chat-history/:sessionId", "bedrock"]] as const) {
    app.delete(path, (req, reply) => withOwner(ctx, req, reply, shape, async (owner) => {
      const sessionId = (req.params as { sessionId: string }).sessionId;
      if (!(await ctx.store.deleteSession(sessionId, owner))) throw new GatewayError("GW_SESSION_NOT_FOUND");
      return { session_id: sessionId, deleted: true };
    }));
  }
}

function sessionIdOf(body: Json): string {
  const id = body.session_id;
  if (typeof id !== "string" || !id) throw new GatewayError("GW_VALIDATION", "session_id: required (a string)", { param: "session_id" });
  return id;
}

async function withOwner(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, shape: ErrorShape, fn: (owner: string, body: Json) => Promise<Json>): Promise<FastifyReply> {
  try {
    const apiKey = apiKeyOf(request.headers);
    if (!apiKey) throw new GatewayError("GW_MISSING_API_KEY");
    const body = parseJsonObjectBody(request.body, { allowEmpty: true });
    if (ctx.config.verifyKeysForHistory) await ctx.keyVerifier.verify(apiKey);
    const result = await fn(ownerHash(apiKey, ctx.config.historyHashKey), body);
    return reply.code(200).header("content-type", "application/json").send(JSON.stringify(result));
  } catch (err) {
    return sendError(request, reply, err, shape);
  }
}
