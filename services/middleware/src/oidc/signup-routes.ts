import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Agent, errors as undiciErrors, request, type Dispatcher } from "undici";
import { OidcError } from "./errors";
import { applyPolicy, PolicyInputError, validatePolicy, type SelfServicePolicy } from "./policy";
import { JWT_SHAPE, type OidcVerifier, type VerifiedIdentity } from "./verifier";

export interface SignupDeps {
  verifier: OidcVerifier;
  /** LiteLLM base URL, e.g. http://127.0.0.1:4000. */
  litellmUrl: string;
  /** LiteLLM master key; sent upstream only, never logged or echoed. */
  masterKey: string;
  policy: SelfServicePolicy;
  /**
   * Handles requests that do not carry a JWT (sk- keys, no Authorization). Called from the onRequest hook, before
   * the body is read: req.body is undefined and req.raw is the untouched request stream.
   */
  proxy: (req: any, reply: any) => Promise<unknown>;
  /** Upstream timeouts. Defaults: connect 5 000 ms, headers 30 000 ms, body 30 000 ms. */
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /** Dispatcher for LiteLLM calls (the server's shared pool). Default: an Agent of this module, closed with the app. */
  dispatcher?: Dispatcher;
  /** Largest accepted body. Default 64 KiB (management bodies are small). */
  bodyLimitBytes?: number;
}

/** Error codes of the sign-up routes, in LiteLLM's error shape. */
export const SIGNUP_ERRORS = {
  invalidToken: { status: 401, type: "auth_error" },
  idpUnavailable: { status: 503, type: "service_unavailable" },
  badRequest: { status: 400, type: "invalid_request_error" },
  keyLimit: { status: 403, type: "permission_error" },
  upstreamUnavailable: { status: 502, type: "upstream_error" },
  upstreamTimeout: { status: 504, type: "upstream_timeout" },
} as const;

type SignupErrorKey = keyof typeof SIGNUP_ERRORS;

function sendError(reply: FastifyReply, key: SignupErrorKey, message: string): FastifyReply {
  const { status, type } = SIGNUP_ERRORS[key];
  return reply.code(status).header("content-type", "application/json").send({ error: { message, type, code: String(status) } });
}

/** The bearer value when it looks like a JWT; LiteLLM keys (sk-...) and anything else are not ours. */
export function bearerJwt(authorization: string | string[] | undefined): string | undefined {
  if (typeof authorization !== "string") return undefined;
  const m = /^Bearer +(\S+)$/i.exec(authorization.trim());
  const token = m?.[1];
  if (!token || token.startsWith("sk-")) return undefined;
  return JWT_SHAPE.test(token) ? token : undefined;
}

function parseBody(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || (Buffer.isBuffer(raw) && raw.length === 0)) return {};
  let value: unknown;
  try {
    value = JSON.parse(Buffer.isBuffer(raw) ? raw.toString("utf8") : String(raw));
  } catch {
    throw new PolicyInputError("request body is not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new PolicyInputError("request body must be a JSON object");
  return value as Record<string, unknown>;
}

export function registerSignupRoutes(app: FastifyInstance, deps: SignupDeps): void {
  validatePolicy(deps.policy);
  if (!deps.masterKey) throw new Error("self-service sign-up needs the LiteLLM master key (LITELLM_MASTER_KEY)");
  const base = deps.litellmUrl.replace(/\/+$/, "");
  const connectMs = deps.timeouts?.connectMs ?? 5_000;
  const headersTimeout = deps.timeouts?.headersMs ?? 30_000;
  const bodyTimeout = deps.timeouts?.bodyMs ?? 30_000;
  const ownAgent = deps.dispatcher ? undefined : new Agent({ connect: { timeout: connectMs }, headersTimeout, bodyTimeout });
  const dispatcher = deps.dispatcher ?? ownAgent!;
  const identities = new WeakMap<FastifyRequest, VerifiedIdentity>();
  const masterHeaders = { authorization: `Bearer ${deps.masterKey}`, "content-type": "application/json", accept: "application/json" };

  async function upstream(method: "GET" | "POST", path: string, body?: unknown): Promise<Dispatcher.ResponseData> {
    return request(`${base}${path}`, {
      method,
      headers: masterHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher,
      headersTimeout,
      bodyTimeout,
    });
  }

  function upstreamFailure(reply: FastifyReply, err: unknown): FastifyReply {
    if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError || err instanceof undiciErrors.ConnectTimeoutError) {
      return sendError(reply, "upstreamTimeout", "LiteLLM did not answer in time");
    }
    return sendError(reply, "upstreamUnavailable", "LiteLLM is unavailable");
  }

  /** Best-effort cap: LiteLLM /key/list filtered by user (a race between parallel requests can exceed it by a few). */
  async function keyCount(userId: string): Promise<number> {
    const res = await upstream("GET", `/key/list?user_id=${encodeURIComponent(userId)}&size=1&page=1`);
    const data = (await res.body.json().catch(() => undefined)) as { total_count?: unknown; keys?: unknown } | undefined;
    if (res.statusCode !== 200 || !data) throw new Error(`key/list answered ${res.statusCode}`);
    if (typeof data.total_count === "number") return data.total_count;
    if (Array.isArray(data.keys)) return data.keys.length;
    throw new Error("key/list answer has no total_count");
  }

  async function forward(route: "/user/new" | "/key/generate", req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const identity = identities.get(req);
    if (!identity) return sendError(reply, "invalidToken", "invalid token: missing"); // unreachable: the hook verified
    let body: Record<string, unknown>;
    try {
      const requested = parseBody(req.body);
      const forced: Record<string, unknown> =
        route === "/user/new"
          ? { user_id: identity.sub, user_role: "internal_user", ...(identity.email ? { user_email: identity.email } : {}) }
          : { user_id: identity.sub };
      body = applyPolicy(requested, deps.policy, forced);
    } catch (err) {
      if (err instanceof PolicyInputError) return sendError(reply, "badRequest", err.message);
      throw err;
    }
    try {
      if (route === "/key/generate" && deps.policy.maxKeys !== undefined) {
        const count = await keyCount(identity.sub);
        if (count >= deps.policy.maxKeys) return sendError(reply, "keyLimit", `key limit reached: ${count} of ${deps.policy.maxKeys} keys`);
      }
      const res = await upstream("POST", route, body);
      reply.code(res.statusCode);
      const type = res.headers["content-type"];
      if (typeof type === "string") reply.header("content-type", type);
      req.log.info({ route, status: res.statusCode }, "oidc self-service request forwarded");
      return reply.send(res.body);
    } catch (err) {
      req.log.warn({ route, err: (err as Error).name }, "oidc self-service upstream call failed");
      return upstreamFailure(reply, err);
    }
  }

  app.register(async (scope) => {
    // Raw bytes: JSON is parsed (and refused) by forward() in LiteLLM's error shape.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: deps.bodyLimitBytes ?? 65_536 }, (_req, body, done) => done(null, body));

    scope.addHook("onRequest", async (req, reply) => {
      const token = bearerJwt(req.headers.authorization);
      if (!token) {
        await deps.proxy(req, reply);
        return reply;
      }
      try {
        identities.set(req, await deps.verifier.verify(token));
      } catch (err) {
        if (!(err instanceof OidcError)) throw err;
        req.log.info({ reason: err.reason }, "oidc token refused");
        return sendError(reply, err.statusCode === 503 ? "idpUnavailable" : "invalidToken", err.message);
      }
      return undefined;
    });

    scope.post("/user/new", (req, reply) => forward("/user/new", req, reply));
    scope.post("/key/generate", (req, reply) => forward("/key/generate", req, reply));
  });

  if (ownAgent) app.addHook("onClose", async () => ownAgent.close());
}
