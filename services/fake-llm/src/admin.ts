/** Admin endpoints (/__admin/*) and the Bedrock Agent GetPrompt route. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sendBedrockError } from "./bedrock";
import { BadControlHeader, planRequest, rawPath, type FakeContext } from "./context";
import { MESSAGES, resolveBedrockError } from "./errors";
import { bearerOf } from "./keys";
import type { FakeLlmOptions } from "./options";
import type { FakePrompt } from "./prompts";

export interface AdminApi {
  setOptions(p: Partial<FakeLlmOptions>): void;
  publicConfig(): Record<string, unknown>;
  addKeys(keys: readonly string[]): void;
}

function badRequest(reply: FastifyReply, message: string) {
  return reply.code(400).send({ error: { message, type: "invalid_request_error", param: null, code: "400" } });
}

export function registerAdminRoutes(app: FastifyInstance, ctx: FakeContext, api: AdminApi): void {
  app.register(
    async (admin) => {
      admin.addHook("onRequest", async (req, reply) => {
        const key = ctx.opts.adminKey;
        if (key && bearerOf(req.headers) !== key) return reply.code(401).send({ error: { message: "admin key required", type: "auth_error", param: null, code: "401" } });
      });
      admin.get("/counters", async () => ctx.state.counters());
      admin.get("/requests", async (req) => {
        const limit = Number((req.query as { limit?: string }).limit);
        const all = ctx.state.lastRequests();
        return Number.isInteger(limit) && limit > 0 ? all.slice(-limit) : all;
      });
      admin.post("/reset", async () => {
        ctx.state.reset();
        return { ok: true };
      });
      admin.get("/config", async () => api.publicConfig());
      admin.post("/config", async (req, reply) => {
        try {
          api.setOptions((req.body ?? {}) as Partial<FakeLlmOptions>);
        } catch (e) {
          return badRequest(reply, (e as Error).message);
        }
        return api.publicConfig();
      });
      admin.post("/fail-next", async (req, reply) => {
        const b = (req.body ?? {}) as { route?: string; n?: number; status?: number; errorType?: string; afterChunks?: number };
        try {
          ctx.state.failNext(b.route ?? "*", b.n ?? 1, b.status ?? resolveBedrockError(undefined, b.errorType).status, b.errorType, b.afterChunks);
        } catch (e) {
          return badRequest(reply, (e as Error).message);
        }
        return { ok: true };
      });
      admin.post("/keys", async (req, reply) => {
        const b = req.body as string[] | { keys?: string[] } | undefined;
        const keys = Array.isArray(b) ? b : b?.keys;
        if (!Array.isArray(keys)) return badRequest(reply, "expected an array of keys or {keys: [...]}");
        try {
          api.addKeys(keys);
        } catch (e) {
          return badRequest(reply, (e as Error).message);
        }
        return { ok: true, count: ctx.opts.keys.length };
      });
      admin.get("/prompts", async () => ctx.prompts.list());
      admin.post("/prompts", async (req, reply) => {
        const b = req.body as FakePrompt[] | { prompts?: FakePrompt[] } | undefined;
        const list = Array.isArray(b) ? b : b?.prompts;
        if (!Array.isArray(list)) return badRequest(reply, "expected an array of prompts or {prompts: [...]}");
        try {
          ctx.prompts.set(list);
        } catch (e) {
          return badRequest(reply, (e as Error).message);
        }
        return { ok: true, count: list.length };
      });
    },
    { prefix: "/__admin" },
  );

  app.get("/prompts/*", async (req: FastifyRequest, reply: FastifyReply) => {
    const path = rawPath(req);
    try {
      const plan = planRequest(ctx, req, "get-prompt", path);
      const injected = plan.error ?? plan.streamError;
      if (injected) {
        const { status, errorType } = resolveBedrockError(injected.status || undefined, injected.errorType);
        return sendBedrockError(reply, status, errorType, MESSAGES.injected(status, errorType));
      }
    } catch (e) {
      if (e instanceof BadControlHeader) return sendBedrockError(reply, 400, "ValidationException", MESSAGES.badControlHeader);
      throw e;
    }
    let identifier: string;
    try {
      // The AWS SDK sends GetPrompt as /prompts/{id}/ (trailing slash in the service model).
      identifier = decodeURIComponent(path.slice("/prompts/".length).replace(/\/$/, ""));
    } catch {
      return sendBedrockError(reply, 400, "ValidationException", "Malformed prompt identifier");
    }
    const version = (req.query as { promptVersion?: string }).promptVersion || undefined;
    const prompt = ctx.prompts.get(identifier, version);
    if (!prompt) return sendBedrockError(reply, 404, "ResourceNotFoundException", MESSAGES.promptNotFound(identifier, version));
    return reply.header("x-fake-llm-region", ctx.opts.region).send(prompt);
  });
}
