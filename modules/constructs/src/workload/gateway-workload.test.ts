import { LOG_BUCKET_ENV, renderLiteLLMConfig } from "@gw/config/render";
import { describe, expect, it } from "vitest";
import { settingsFor } from "../testing";
import { describeGatewayWorkload, type GatewayWorkloadProps } from "./gateway-workload";

const contract = { MIDDLEWARE_PORT: 3000, LITELLM_PORT: 4000, HEALTH_PATHS: { liveliness: "/health/liveliness", readiness: "/health/readiness" } };

function workload(env: Record<string, string> = {}, overrides: Partial<GatewayWorkloadProps> = {}) {
  const { settings } = settingsFor(env);
  return describeGatewayWorkload({
    settings,
    middleware: contract,
    litellmRepositoryUrl: "registry.example/litellm",
    middlewareRepositoryUrl: "registry.example/middleware",
    configBucket: "config-bucket",
    configObjectKey: "litellm/config-abc123.yaml",
    configHash: "abc123",
    redisHost: "redis.internal",
    redisPort: "6379",
    litellmLogBucket: "log-bucket",
    ...overrides,
  });
}

describe("describeGatewayWorkload", () => {
  it("describes LiteLLM on loopback and the middleware as the public container", () => {
    const w = workload();
    const [litellm, middleware] = w.containers;
    expect(litellm.exposure).toBe("loopback");
    expect(litellm.command).toEqual(["--host", "127.0.0.1", "--port", "4000"]);
    expect(middleware.exposure).toBe("public");
    expect(middleware.environment.LITELLM_URL).toBe("http://127.0.0.1:4000");
    expect([w.publicContainer, w.publicPort]).toEqual(["middleware", 3000]);
    expect(middleware.dependsOnHealthy).toEqual(["litellm"]);
    expect(middleware.readinessPath).toBe("/health/readiness");
  });

  it("carries the config hash and its content-addressed key, so a config change changes the task", () => {
    const a = workload();
    const b = workload({}, { configHash: "def456", configObjectKey: "litellm/config-def456.yaml" });
    expect(a.containers[0].environment.LITELLM_CONFIG_HASH).toBe("abc123");
    expect(a.containers[0].environment.LITELLM_CONFIG_BUCKET_OBJECT_KEY).toBe("litellm/config-abc123.yaml");
    expect(b.containers[0].environment).not.toEqual(a.containers[0].environment);
  });

  it("gives LiteLLM every variable its rendered config references", () => {
    const envs: Record<string, string>[] = [{}, { AWS_REGION: "cn-north-1" }, { DISABLE_OUTBOUND_NETWORK_ACCESS: "true" }, { ANTHROPIC_API_KEY: "sk-ant-test-123456", LANGSMITH_API_KEY: "ls-key" }];
    for (const env of envs) {
      const { settings } = settingsFor(env);
      const [litellm] = workload(env).containers;
      const provided = new Set([...Object.keys(litellm.environment), ...litellm.secrets.map((r) => r.name)]);
      for (const name of renderLiteLLMConfig(settings).envReferences) expect(provided.has(name), name).toBe(true);
    }
    expect(workload().containers[0].environment[LOG_BUCKET_ENV]).toBe("log-bucket");
    expect(workload({ DISABLE_OUTBOUND_NETWORK_ACCESS: "true" }).containers[0].environment.LITELLM_LOCAL_MODEL_COST_MAP).toBe("True");
  });

  it("probes the real health paths", () => {
    for (const c of workload().containers) {
      expect(c.healthCheck.path).toBe("/health/liveliness");
      expect(c.healthCheck.command.join(" ")).toContain(`127.0.0.1:${c.port}/health/liveliness`);
    }
  });

  it("never puts secrets in the environment; they are references", () => {
    const w = workload({ OPENAI_API_KEY: "sk-test-value-1234567890", LANGFUSE_PUBLIC_KEY: "pk-lf-1", LANGFUSE_SECRET_KEY: "sk-lf-secret-123456" });
    const [litellm, middleware] = w.containers;
    for (const c of w.containers) {
      for (const [name, value] of Object.entries(c.environment)) {
        expect(name).not.toMatch(/SECRET|PASSWORD|MASTER_KEY|SALT_KEY|API_KEY/);
        expect(value).not.toMatch(/^sk-/);
      }
    }
    expect(litellm.secrets).toContainEqual({ name: "OPENAI_API_KEY", secret: "providerKeys", jsonKey: "OPENAI_API_KEY" });
    expect(litellm.secrets).toContainEqual({ name: "LANGFUSE_SECRET_KEY", secret: "providerKeys", jsonKey: "LANGFUSE_SECRET_KEY" });
    expect(litellm.environment.LANGFUSE_PUBLIC_KEY).toBe("pk-lf-1");
    expect(middleware.secrets.map((s) => s.name)).toEqual(["DATABASE_MIDDLEWARE_URL", "HISTORY_HASH_KEY"]);
    expect(litellm.secrets).toContainEqual({ name: "UI_PASSWORD", secret: "uiPassword" });
    expect(w.secretsUsed).toEqual(["masterKey", "saltKey", "databaseUrl", "middlewareDatabaseUrl", "redisAuth", "providerKeys", "historyHashKey", "uiPassword"]);
  });

  it("adds the global Bedrock credentials in China only, to LiteLLM and to the middleware (prompts of the global partition)", () => {
    const cn = workload({ AWS_REGION: "cn-north-1" });
    const expected = [
      { name: "GLOBAL_BEDROCK_ACCESS_KEY_ID", secret: "globalBedrockCredentials", jsonKey: "GLOBAL_BEDROCK_ACCESS_KEY_ID" },
      { name: "GLOBAL_BEDROCK_SECRET_ACCESS_KEY", secret: "globalBedrockCredentials", jsonKey: "GLOBAL_BEDROCK_SECRET_ACCESS_KEY" },
    ];
    for (const c of cn.containers) expect(c.secrets.filter((s) => s.secret === "globalBedrockCredentials"), c.name).toEqual(expected);
    expect(cn.secretsUsed).toContain("globalBedrockCredentials");
    for (const region of ["us-east-1", "us-gov-west-1"]) {
      const w = workload({ AWS_REGION: region });
      expect(w.secretsUsed, region).not.toContain("globalBedrockCredentials");
      for (const c of w.containers) expect(c.secrets.map((s) => s.name).join(","), `${region} ${c.name}`).not.toMatch(/GLOBAL_BEDROCK/);
    }
  });

  it("logs in to the admin UI with UI_USERNAME and a UI_PASSWORD secret, never the master key (reference defect S11)", () => {
    const [litellm] = workload().containers;
    expect(litellm.environment.UI_USERNAME).toBe("admin");
    const password = litellm.secrets.find((s) => s.name === "UI_PASSWORD");
    expect(password).toEqual({ name: "UI_PASSWORD", secret: "uiPassword" });
    expect(litellm.secrets.find((s) => s.name === "LITELLM_MASTER_KEY")!.secret).not.toBe(password!.secret);
    expect(workload({ UI_USERNAME: "ops@example.com" }).containers[0].environment.UI_USERNAME).toBe("ops@example.com");
    // Without the admin UI neither is passed, and the execution role need not read the UI secret.
    const off = workload({ DISABLE_ADMIN_UI: "true", UI_USERNAME: "ops" });
    expect(off.containers[0].environment).not.toHaveProperty("UI_USERNAME");
    expect(off.containers[0].secrets.map((s) => s.name)).not.toContain("UI_PASSWORD");
    expect(off.secretsUsed).not.toContain("uiPassword");
  });

  it("gives the middleware the master key only for OIDC self sign-up", () => {
    const without = workload();
    expect(without.containers[1].secrets.map((s) => s.name)).not.toContain("LITELLM_MASTER_KEY");
    // LiteLLM itself always has it.
    expect(without.containers[0].secrets).toContainEqual({ name: "LITELLM_MASTER_KEY", secret: "masterKey" });
    const withOidc = workload({ OIDC_ISSUER: "https://idp.example.com/oauth2/default" });
    expect(withOidc.containers[1].secrets).toContainEqual({ name: "LITELLM_MASTER_KEY", secret: "masterKey" });
  });

  it("pins images by tag or digest and refuses latest", () => {
    expect(workload().containers[1].image).toBe("registry.example/middleware:0.1.0");
    const digest = `sha256:${"b".repeat(64)}`;
    expect(workload({ MIDDLEWARE_IMAGE_DIGEST: digest }).containers[1].image).toBe(`registry.example/middleware@${digest}`);
  });

  it("sets the OIDC pair only when an issuer is configured (the middleware refuses half a pair)", () => {
    expect(workload().containers[1].environment).not.toHaveProperty("OIDC_AUDIENCE");
    const env = workload({ OIDC_ISSUER: "https://idp.example.com/oauth2/default" }).containers[1].environment;
    expect([env.OIDC_ISSUER, env.OIDC_AUDIENCE]).toEqual(["https://idp.example.com/oauth2/default", "api://default"]);
  });

  it("passes the self sign-up policy only when OIDC is configured", () => {
    const policy = {
      OIDC_ALGORITHMS: "rs256, ES256", SIGNUP_ALLOWED_FIELDS: "user_alias,key_alias,models", SIGNUP_MAX_BUDGET: "12.5",
      SIGNUP_ALLOWED_MODELS: "claude-haiku-4-5, nova-lite", SIGNUP_MAX_KEYS: "3",
    };
    const off = workload(policy).containers[1].environment;
    for (const name of [...Object.keys(policy), "OIDC_ISSUER", "OIDC_AUDIENCE"]) expect(off, name).not.toHaveProperty(name);
    const on = workload({ ...policy, OIDC_ISSUER: "https://idp.example.com/oauth2/default" }).containers[1].environment;
    expect(on).toMatchObject({
      OIDC_ALGORITHMS: "RS256,ES256",
      SIGNUP_ALLOWED_FIELDS: "user_alias,key_alias,models",
      SIGNUP_MAX_BUDGET: "12.5",
      SIGNUP_ALLOWED_MODELS: "claude-haiku-4-5,nova-lite",
      SIGNUP_MAX_KEYS: "3",
    });
    // Defaults: the documented field list is explicit on the task; unset limits stay absent (the middleware's "none").
    const defaults = workload({ OIDC_ISSUER: "https://idp.example.com/oauth2/default" }).containers[1].environment;
    expect(defaults.SIGNUP_ALLOWED_FIELDS).toBe("user_email,user_alias,metadata");
    for (const name of ["OIDC_ALGORITHMS", "SIGNUP_MAX_BUDGET", "SIGNUP_ALLOWED_MODELS", "SIGNUP_MAX_KEYS"]) expect(defaults, name).not.toHaveProperty(name);
  });

  it("passes the chat-history size cap as HISTORY_MAX_MESSAGES", () => {
    expect(workload().containers[1].environment.HISTORY_MAX_MESSAGES).toBe("200");
    expect(workload({ CHAT_HISTORY_MAX_MESSAGES: "0" }).containers[1].environment.HISTORY_MAX_MESSAGES).toBe("0");
    expect(workload({ CHAT_HISTORY_MAX_MESSAGES: "1000" }).containers[1].environment.HISTORY_MAX_MESSAGES).toBe("1000");
    expect(workload().containers[0].environment).not.toHaveProperty("HISTORY_MAX_MESSAGES");
  });

  it("reflects admin UI, swagger and no-egress settings", () => {
    const env = workload({ DISABLE_ADMIN_UI: "true", DISABLE_SWAGGER_PAGE: "true" }).containers[0].environment;
    expect([env.DISABLE_ADMIN_UI, env.NO_DOCS, env.LITELLM_LOCAL_MODEL_COST_MAP, env.REDIS_SSL]).toEqual(["True", "True", undefined, "True"]);
  });
});
