import { describe, expect, it } from "vitest";
import { GatewaySecrets, GLOBAL_BEDROCK_SECRET_KEYS, callbackSecretKeys, type GatewaySecretsProps } from "./secrets";
import { GatewaySecret } from "./secret";
import { resources, synthConstructs } from "./testing";

const names = {
  masterKey: "gw/master-key",
  saltKey: "gw/salt-key",
  databaseUrl: "gw/database-url",
  middlewareDatabaseUrl: "gw/middleware-database-url",
  redisAuth: "gw/redis-auth",
  providerKeys: "gw/provider-keys",
  globalBedrockCredentials: "gw/global-bedrock",
  historyHashKey: "gw/history-hash-key",
  uiPassword: "gw/ui-password",
};
const base: GatewaySecretsProps = {
  names,
  providerKeyNames: ["OPENAI_API_KEY", "LANGFUSE_SECRET_KEY"],
  providerKeysJson: "${jsonencode(var.provider_keys)}",
};

/** Secret string (or undefined without a version) by name prefix. */
function versions(props: GatewaySecretsProps) {
  const tf = synthConstructs((s) => new GatewaySecrets(s, "S", props));
  const secrets = resources(tf, "aws_secretsmanager_secret");
  const byPrefix = new Map<string, string | undefined>();
  for (const [key, secret] of Object.entries(tf.resource!.aws_secretsmanager_secret)) {
    const version = Object.values(tf.resource!.aws_secretsmanager_secret_version ?? {}).find((v) => v.secret_id === `\${aws_secretsmanager_secret.${key}.id}`);
    byPrefix.set(secret.name_prefix, version?.secret_string);
  }
  return { secrets, byPrefix };
}

describe("GatewaySecrets", () => {
  it("generates sk- master and salt keys and a history hash key from the random provider", () => {
    const { byPrefix } = versions(base);
    expect(byPrefix.get(`${names.masterKey}-`)).toMatch(/^sk-\$\{random_password\.[^}]+\.result\}$/);
    expect(byPrefix.get(`${names.saltKey}-`)).toMatch(/^sk-\$\{random_password\.[^}]+\.result\}$/);
    expect(byPrefix.get(`${names.historyHashKey}-`)).toMatch(/^\$\{random_password\.[^}]+\.result\}$/);
    expect(byPrefix.get(`${names.masterKey}-`)).not.toBe(byPrefix.get(`${names.saltKey}-`));
  });

  it("generates the admin UI password as its own secret, not the master key (reference defect S11)", () => {
    const tf = synthConstructs((s) => new GatewaySecrets(s, "S", base));
    const { byPrefix } = versions(base);
    const ui = byPrefix.get(`${names.uiPassword}-`);
    expect(ui).toMatch(/^\$\{random_password\.[^}]+\.result\}$/);
    expect(ui).not.toBe(byPrefix.get(`${names.masterKey}-`)!.slice(3));
    const passwords = tf.resource!.random_password as Record<string, { length: number }>;
    const uiRandom = ui!.slice("${random_password.".length, -".result}".length);
    expect(passwords[uiRandom]!.length).toBeGreaterThanOrEqual(32);
    expect(resources(tf, "aws_secretsmanager_secret").find((x) => x.name_prefix === `${names.uiPassword}-`)!.description).toMatch(/UI_PASSWORD/);
  });

  it("names secrets by prefix so a redeploy within the recovery window gets fresh names", () => {
    const { secrets } = versions({ ...base, globalBedrockCredentials: true });
    expect(secrets).toHaveLength(6);
    for (const secret of secrets) {
      expect(secret.name).toBeUndefined();
      expect(Object.values(names).map((n) => `${n}-`)).toContain(secret.name_prefix);
    }
  });

  it("stores the provider-keys JSON from the given expression and lists the key names, not values", () => {
    const tf = synthConstructs((s) => new GatewaySecrets(s, "S", base));
    const secret = resources(tf, "aws_secretsmanager_secret").find((x) => x.name_prefix === `${names.providerKeys}-`)!;
    expect(secret.description).toContain("LANGFUSE_SECRET_KEY, OPENAI_API_KEY");
    expect(versions(base).byPrefix.get(`${names.providerKeys}-`)).toBe("${jsonencode(var.provider_keys)}");
    expect(versions({ names }).byPrefix.get(`${names.providerKeys}-`)).toBe("{}");
  });

  it("creates the global Bedrock secret only when asked, empty until a value expression is given", () => {
    expect(versions(base).byPrefix.has(`${names.globalBedrockCredentials}-`)).toBe(false);
    const pending = versions({ ...base, globalBedrockCredentials: true });
    expect(pending.byPrefix.has(`${names.globalBedrockCredentials}-`)).toBe(true);
    expect(pending.byPrefix.get(`${names.globalBedrockCredentials}-`)).toBeUndefined();
    const filled = versions({ ...base, globalBedrockCredentials: true, globalBedrockCredentialsJson: "${jsonencode(var.g)}" });
    expect(filled.byPrefix.get(`${names.globalBedrockCredentials}-`)).toBe("${jsonencode(var.g)}");
  });

  it("keeps deleted secrets recoverable", () => {
    expect(versions(base).secrets.every((s) => s.recovery_window_in_days === 7)).toBe(true);
  });

  it("rejects invalid props, naming the prop", () => {
    expect(() => versions({ names, providerKeyNames: ["OPENAI_API_KEY"] })).toThrow(/providerKeysJson is required/);
    expect(() => versions({ ...base, providerKeyNames: ["openai"] })).toThrow(/providerKeyNames must be UPPER_SNAKE/);
    expect(() => versions({ ...base, globalBedrockCredentialsJson: "{}" })).toThrow(/globalBedrockCredentialsJson needs globalBedrockCredentials/);
    expect(() => versions({ ...base, recoveryWindowDays: 0 })).toThrow(/recoveryWindowDays/);
  });

  it("maps enabled callbacks to their secret keys", () => {
    expect(callbackSecretKeys(["s3", "langsmith", "langfuse"])).toEqual(["LANGFUSE_SECRET_KEY", "LANGSMITH_API_KEY"]);
    expect(callbackSecretKeys(["s3"])).toEqual([]);
    expect(GLOBAL_BEDROCK_SECRET_KEYS).toHaveLength(2);
  });
});

describe("GatewaySecret", () => {
  it("names the secret by prefix, with valid characters only", () => {
    const make = (namePrefix: string) => synthConstructs((s) => new GatewaySecret(s, "X", { namePrefix, description: "d" }));
    expect(resources(make("gw/x"), "aws_secretsmanager_secret")[0]).toEqual({ name_prefix: "gw/x-", description: "d", recovery_window_in_days: 7 });
    expect(() => make("")).toThrow(/namePrefix must be non-empty/);
    expect(() => make("bad name")).toThrow(/namePrefix must be non-empty/);
    expect(() => make("a".repeat(486))).toThrow(/namePrefix must be at most 485/);
  });
});
