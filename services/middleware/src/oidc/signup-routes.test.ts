import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { startFakeLlm, type FakeLlm } from "@gw/fake-llm";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOidcVerifier, registerSignupRoutes, type OidcVerifier, type SelfServicePolicy } from "./index";
import { startTestIdp, type TestIdp } from "./test-support";

const MASTER = "sk-fake-master";
const policy: SelfServicePolicy = {
  allowedFields: ["user_email", "user_id", "max_budget", "models", "metadata", "key_alias", "duration"],
  maxBudget: 10,
  allowedModels: ["gpt-4o", "claude-3-haiku"],
};

let idp: TestIdp;
let fake: FakeLlm;
let verifier: OidcVerifier;
const apps: FastifyInstance[] = [];
let logLines: string[] = [];

/** Stand-in for middleware-core's proxy: echoes the untouched raw body and Authorization it received. */
async function echoProxy(req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req.raw) chunks.push(c as Buffer);
  return reply.code(299).send({ proxied: true, body: Buffer.concat(chunks).toString("utf8"), bodyParsed: req.body ?? null, authorization: req.headers.authorization ?? null });
}

async function buildApp(overrides: Partial<Parameters<typeof registerSignupRoutes>[1]> = {}): Promise<FastifyInstance> {
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const app = Fastify({ logger: { level: "trace", stream } });
  registerSignupRoutes(app, { verifier, litellmUrl: fake.url, masterKey: MASTER, policy, proxy: echoProxy, ...overrides });
  await app.ready();
  apps.push(app);
  return app;
}

function lastUpstream(route: string): unknown {
  return fake.lastRequests().filter((r) => r.route === route).at(-1)?.body;
}

beforeAll(async () => {
  idp = await startTestIdp();
  fake = await startFakeLlm({ masterKey: MASTER });
  verifier = createOidcVerifier({ issuer: idp.issuer, audience: idp.audience });
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  fake.reset();
  logLines = [];
});

afterAll(async () => {
  await fake?.close();
  await idp?.close();
});

describe("POST /user/new with an OIDC token", () => {
  it("creates the user as sub with the master key, keeping only allowed fields, budget capped, models intersected", async () => {
    const app = await buildApp();
    const token = await idp.sign();
    const res = await app.inject({
      method: "POST",
      url: "/user/new",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      payload: {
        user_id: "someone-else",
        user_email: "evil@example.com",
        user_role: "proxy_admin",
        teams: ["admins"],
        team_id: "admins",
        max_budget: 1000,
        models: ["gpt-4o", "secret-model", "claude-3-haiku"],
        metadata: { purpose: "testing" },
        tpm_limit: 1_000_000,
        allowed_routes: ["/key/delete"],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user_id: "00u-alice", user_role: "internal_user", max_budget: 10 });
    expect(lastUpstream("user/new")).toEqual({
      max_budget: 10,
      models: ["gpt-4o", "claude-3-haiku"],
      metadata: { purpose: "testing" },
      user_id: "00u-alice",
      user_role: "internal_user",
      user_email: "alice@example.com",
    });
    expect(fake.counters()["user/new"]).toBe(1);
    const logs = logLines.join("");
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(MASTER);
  });

  it("defaults budget and models to the policy, and never takes user_email from the body", async () => {
    const app = await buildApp();
    const token = await idp.sign({ alg: "ES256", claims: { sub: "00u-bob", email: undefined } });
    const res = await app.inject({ method: "POST", url: "/user/new", headers: { authorization: `Bearer ${token}` }, payload: { user_email: "ceo@example.com" } });
    expect(res.statusCode).toBe(200);
    expect(lastUpstream("user/new")).toEqual({ max_budget: 10, models: ["gpt-4o", "claude-3-haiku"], user_id: "00u-bob", user_role: "internal_user" });
  });

  it("passes LiteLLM's answer through: a wrong master key gives LiteLLM's 401", async () => {
    const app = await buildApp({ masterKey: "sk-not-the-master" });
    const res = await app.inject({ method: "POST", url: "/user/new", headers: { authorization: `Bearer ${await idp.sign()}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.type).toBe("auth_error");
    expect(logLines.join("")).not.toContain("sk-not-the-master");
  });

  it("answers 401 with the reason for an invalid token and calls nothing upstream", async () => {
    const app = await buildApp();
    const cases: [string, string][] = [
      [await idp.sign({ claims: { exp: Math.floor(Date.now() / 1000) - 600 } }), "token expired"],
      [await idp.sign({ claims: { aud: "api://other" } }), "wrong audience"],
      [idp.unsigned(), "unsupported algorithm none"],
      [await idp.signHs256WithPublicKey(), "unsupported algorithm HS256"],
      [await idp.signWithUnpublishedKey("rogue"), "unknown key id"],
    ];
    for (const [token, reason] of cases) {
      const res = await app.inject({ method: "POST", url: "/user/new", headers: { authorization: `Bearer ${token}` }, payload: { max_budget: 1 } });
      expect(res.statusCode, reason).toBe(401);
      expect(res.json()).toEqual({ error: { message: `invalid token: ${reason}`, type: "auth_error", code: "401" } });
      expect(logLines.join("")).not.toContain(token);
    }
    expect(fake.counters()["user/new"]).toBeUndefined();
  });

  it("refuses a body that is not a JSON object and models outside the allow-list with 400", async () => {
    const app = await buildApp();
    const auth = { authorization: `Bearer ${await idp.sign()}`, "content-type": "application/json" };
    const bad = await app.inject({ method: "POST", url: "/user/new", headers: auth, payload: "{not json" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: { message: "request body is not valid JSON", type: "invalid_request_error", code: "400" } });
    const models = await app.inject({ method: "POST", url: "/user/new", headers: auth, payload: { models: ["secret-model"] } });
    expect(models.statusCode).toBe(400);
    expect(models.json().error.message).toMatch(/allowed: gpt-4o, claude-3-haiku/);
    const budget = await app.inject({ method: "POST", url: "/user/new", headers: auth, payload: { max_budget: "lots" } });
    expect(budget.statusCode).toBe(400);
    expect(fake.counters()["user/new"]).toBeUndefined();
  });

  it("hands requests without a JWT to the proxy with the raw body untouched", async () => {
    const app = await buildApp();
    const raw = '{ "user_id" : "admin-made",\n "teams": ["t1"] }';
    const res = await app.inject({ method: "POST", url: "/user/new", headers: { authorization: "Bearer sk-admin-key", "content-type": "application/json" }, payload: raw });
    expect(res.statusCode).toBe(299);
    expect(res.json()).toEqual({ proxied: true, body: raw, bodyParsed: null, authorization: "Bearer sk-admin-key" });
    const anon = await app.inject({ method: "POST", url: "/key/generate", payload: "x=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(anon.json()).toEqual({ proxied: true, body: "x=1", bodyParsed: null, authorization: null });
    expect(fake.counters()["user/new"]).toBeUndefined();
    expect(fake.counters()["key/generate"]).toBeUndefined();
  });

  it("answers 502 in LiteLLM's shape when LiteLLM is down", async () => {
    const app = await buildApp({ litellmUrl: "http://127.0.0.1:1", timeouts: { connectMs: 1000 } });
    const res = await app.inject({ method: "POST", url: "/user/new", headers: { authorization: `Bearer ${await idp.sign()}` } });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toEqual({ error: { message: "LiteLLM is unavailable", type: "upstream_error", code: "502" } });
  });

  it("answers 504 when LiteLLM accepts the connection but never answers", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const app = await buildApp({ litellmUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeouts: { headersMs: 300 } });
      const res = await app.inject({ method: "POST", url: "/user/new", headers: { authorization: `Bearer ${await idp.sign()}` } });
      expect(res.statusCode).toBe(504);
      expect(res.json()).toEqual({ error: { message: "LiteLLM did not answer in time", type: "upstream_timeout", code: "504" } });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("refuses a policy that would let users set admin fields or get every model", () => {
    const app = Fastify();
    const deps = { verifier, litellmUrl: fake.url, masterKey: MASTER, proxy: echoProxy };
    expect(() => registerSignupRoutes(app, { ...deps, policy: { allowedFields: ["teams", "user_role", "allowed_routes", "models"] } })).toThrow(/admin fields: teams, allowed_routes/);
    expect(() => registerSignupRoutes(app, { ...deps, masterKey: "", policy: { allowedFields: [] } })).toThrow(/master key/);
    expect(() => registerSignupRoutes(app, { ...deps, policy: { allowedFields: [], allowedModels: [] } })).toThrow(/allowedModels/);
    expect(() => registerSignupRoutes(app, { ...deps, policy: { allowedFields: [], maxBudget: -1, maxKeys: 0 } })).toThrow(/maxBudget[\s\S]*maxKeys/);
  });
});

describe("POST /key/generate with an OIDC token", () => {
  it("creates a key for sub only, with the same field policy", async () => {
    const app = await buildApp();
    const res = await app.inject({
      method: "POST",
      url: "/key/generate",
      headers: { authorization: `Bearer ${await idp.sign()}` },
      payload: { user_id: "victim", team_id: "admins", key: "sk-chosen", key_type: "management", key_alias: "laptop", duration: "30d", max_budget: 3, models: ["claude-3-haiku", "secret-model"] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user_id: "00u-alice", key_alias: "laptop" });
    expect(res.json().key).not.toBe("sk-chosen");
    expect(lastUpstream("key/generate")).toEqual({ key_alias: "laptop", duration: "30d", max_budget: 3, models: ["claude-3-haiku"], user_id: "00u-alice" });
  });

  describe("with maxKeys", () => {
    // fake-llm has no /key/list, so a small LiteLLM stand-in answers it and records what it was sent.
    let litellm: Server;
    let litellmUrl: string;
    let existingKeys = 0;
    const seen: { method: string; url: string; authorization?: string; body: string }[] = [];

    beforeAll(async () => {
      litellm = createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
          res.writeHead(200, { "content-type": "application/json" });
          if (req.url?.startsWith("/key/list")) res.end(JSON.stringify({ keys: [], total_count: existingKeys, current_page: 1 }));
          else res.end(JSON.stringify({ key: "sk-new", user_id: JSON.parse(body).user_id }));
        });
      });
      await new Promise<void>((resolve) => litellm.listen(0, "127.0.0.1", resolve));
      litellmUrl = `http://127.0.0.1:${(litellm.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => litellm.close(() => resolve()));
    });

    it("counts the user's keys with the master key and refuses at the limit", async () => {
      const app = await buildApp({ litellmUrl, policy: { ...policy, maxKeys: 3 } });
      const auth = { authorization: `Bearer ${await idp.sign({ claims: { sub: "00u/carol" } })}` };
      existingKeys = 2;
      seen.length = 0;
      const ok = await app.inject({ method: "POST", url: "/key/generate", headers: auth, payload: {} });
      expect(ok.statusCode).toBe(200);
      expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(["GET /key/list?user_id=00u%2Fcarol&size=1&page=1", "POST /key/generate"]);
      expect(seen.every((s) => s.authorization === `Bearer ${MASTER}`)).toBe(true);
      expect(JSON.parse(seen[1]!.body)).toEqual({ max_budget: 10, models: ["gpt-4o", "claude-3-haiku"], user_id: "00u/carol" });

      existingKeys = 3;
      seen.length = 0;
      const refused = await app.inject({ method: "POST", url: "/key/generate", headers: auth, payload: {} });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({ error: { message: "key limit reached: 3 of 3 keys", type: "permission_error", code: "403" } });
      expect(seen.map((s) => s.method)).toEqual(["GET"]);
    });
  });
});
