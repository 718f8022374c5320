/** LiteLLM proxy stand-ins, so the middleware runs on a laptop without LiteLLM: health, keys, users. */
import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { BadControlHeader, planRequest, type FakeContext } from "./context";
import { MESSAGES, openAiErrorBody, resolveBedrockError } from "./errors";
import type { KeyRecord } from "./keys";
import { sendOpenAiError } from "./openai";
import type { RouteId } from "./state";

const hashToken = (key: string) => createHash("sha256").update(key).digest("hex");

function keyView(k: KeyRecord) {
  return {
    key_name: k.keyName,
    key_alias: k.keyAlias,
    spend: k.spend,
    expires: k.expires,
    models: k.models,
    max_budget: k.maxBudget,
    user_id: k.userId,
    team_id: k.teamId,
    metadata: k.metadata,
    created_at: k.createdAt,
    token: hashToken(k.key),
  };
}

/** Runs the shared prelude; answers (and returns true) when the request ends here with an error. */
function prelude(ctx: FakeContext, req: FastifyRequest, reply: FastifyReply, id: RouteId): boolean {
  try {
    const plan = planRequest(ctx, req, id);
    const injected = plan.error ?? plan.streamError;
    if (injected) {
      const { status, errorType } = resolveBedrockError(injected.status || undefined, injected.errorType);
      sendOpenAiError(reply, status, MESSAGES.injected(status, errorType));
      return true;
    }
    return false;
  } catch (e) {
    if (!(e instanceof BadControlHeader)) throw e;
    sendOpenAiError(reply, 400, MESSAGES.badControlHeader);
    return true;
  }
}

function bodyObject(req: FastifyRequest): Record<string, unknown> {
  return req.body && typeof req.body === "object" && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}

export function registerLiteLlmRoutes(app: FastifyInstance, ctx: FakeContext): void {
  // LiteLLM answers the liveness probe with a JSON string.
  const liveliness = async (req: FastifyRequest, reply: FastifyReply) =>
    prelude(ctx, req, reply, "health") ? reply : reply.type("application/json").send(JSON.stringify("I'm alive!"));
  app.get("/", async (req, reply) => (prelude(ctx, req, reply, "health") ? reply : { status: "healthy" }));
  app.get("/health/liveliness", liveliness);
  app.get("/health/liveness", liveliness);
  app.get("/health/readiness", async (req, reply) => {
    if (prelude(ctx, req, reply, "health")) return reply;
    return { status: "connected", db: "connected", cache: null, litellm_version: "fake-llm", success_callbacks: [], last_updated: new Date().toISOString() };
  });

  /** Master-key-only management routes: unknown keys get 401, known non-admin keys too (LiteLLM's admin check). */
  const adminOnly = (req: FastifyRequest, reply: FastifyReply, route: string): boolean => {
    const auth = ctx.keys.authenticate(req.headers);
    if (!auth.ok) {
      sendOpenAiError(reply, auth.status, auth.message, "auth_error");
      return false;
    }
    if (!auth.master) {
      sendOpenAiError(reply, 401, MESSAGES.notAdmin(route), "auth_error");
      return false;
    }
    return true;
  };

  app.post("/key/generate", async (req, reply) => {
    if (prelude(ctx, req, reply, "key/generate") || !adminOnly(req, reply, "/key/generate")) return reply;
    const k = ctx.keys.generate(bodyObject(req));
    return { key: k.key, ...keyView(k), duration: k.duration, token_id: hashToken(k.key) };
  });

  app.post("/user/new", async (req, reply) => {
    if (prelude(ctx, req, reply, "user/new") || !adminOnly(req, reply, "/user/new")) return reply;
    const { user, key } = ctx.keys.newUser(bodyObject(req));
    return {
      user_id: user.userId,
      user_email: user.userEmail,
      user_role: user.userRole,
      max_budget: user.maxBudget,
      models: user.models,
      key: key.key,
      key_name: key.keyName,
      expires: key.expires,
      spend: 0,
      teams: [],
      created_at: user.createdAt,
    };
  });

  // LiteLLM's paginated key list (master key): the middleware counts a signed-up user's keys with it (SIGNUP_MAX_KEYS).
  app.get("/key/list", async (req, reply) => {
    if (prelude(ctx, req, reply, "key/list") || !adminOnly(req, reply, "/key/list")) return reply;
    const q = req.query as { user_id?: string; page?: string; size?: string };
    const page = Math.max(1, Number(q.page) || 1);
    const size = Math.min(100, Math.max(1, Number(q.size) || 10));
    const all = ctx.keys.list(q.user_id || undefined);
    return { keys: all.slice((page - 1) * size, page * size).map((k) => hashToken(k.key)), total_count: all.length, current_page: page, total_pages: Math.ceil(all.length / size) };
  });

  app.get("/key/info", async (req, reply) => {
    if (prelude(ctx, req, reply, "key/info")) return reply;
    const auth = ctx.keys.authenticate(req.headers);
    if (!auth.ok) return sendOpenAiError(reply, auth.status, auth.message, "auth_error");
    const asked = (req.query as { key?: string }).key ?? auth.key;
    if (!auth.master && asked !== auth.key) return sendOpenAiError(reply, 403, "You can only view your own key info", "auth_error");
    const k = ctx.keys.infoFor(asked);
    if (!k) return reply.code(404).send(openAiErrorBody(404, MESSAGES.keyNotFound, "not_found"));
    return { key: hashToken(k.key), info: keyView(k) };
  });
}
