import type { FastifyInstance } from "fastify";
import { HEALTH_PATHS } from "../routes";
import type { AppContext } from "./context";

/**
 * Liveliness: the process answers (no dependency calls, so a LiteLLM outage never restarts the middleware).
 * Readiness: LiteLLM answers its own liveliness probe and the history database answers a ping; 503 while draining.
 */
export function registerHealthRoutes(app: FastifyInstance, ctx: AppContext): void {
  const live = async () => ({ status: "ok" });
  app.get(HEALTH_PATHS.liveliness, live);
  app.get("/bedrock/health/liveliness", live); // the older middleware's health path, still used by existing target groups

  app.get(HEALTH_PATHS.readiness, async (_req, reply) => {
    if (ctx.state.draining) return reply.code(503).send({ status: "draining" });
    const [litellm, database] = await Promise.all([checkLitellm(ctx), checkDatabase(ctx)]);
    const ok = litellm === "ok" && database === "ok";
    return reply.code(ok ? 200 : 503).send({ status: ok ? "ready" : "unavailable", litellm, database });
  });
}

async function checkLitellm(ctx: AppContext): Promise<string> {
  try {
    const res = await ctx.upstream.request({ path: "/health/liveliness", method: "GET", headers: {}, headersTimeout: 2_000, signal: AbortSignal.timeout(3_000) });
    res.body.resume();
    return res.statusCode === 200 ? "ok" : `status ${res.statusCode}`;
  } catch (err) {
    return `unreachable (${(err as { code?: string }).code ?? "error"})`;
  }
}

async function checkDatabase(ctx: AppContext): Promise<string> {
  try {
    await Promise.race([ctx.store.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 3_000).unref())]);
    return "ok";
  } catch {
    return "unreachable";
  }
}
