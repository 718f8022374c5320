import { describe, expect, it } from "vitest";
import { GatewaySecrets, GLOBAL_BEDROCK_SECRET_KEYS, type GatewaySecretsProps } from "./secrets";
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
};
const base: GatewaySecretsProps = { names, providerKeys: ["OPENAI_API_KEY"], secretValues: { OPENAI_API_KEY: "sk-test-openai", LANGFUSE_SECRET_KEY: "lf-secret" } };

function versions(props: GatewaySecretsProps) {
  const tf = synthConstructs((s) => new GatewaySecrets(s, "S", props));
  const secrets = resources(tf, "aws_secretsmanager_secret");
  const byName = new Map<string, string | undefined>();
  for (const [key, secret] of Object.entries(tf.resource!.aws_secretsmanager_secret)) {
    const version = Object.values(tf.resource!.aws_secretsmanager_secret_version ?? {}).find((v) => v.secret_id === `\${aws_secretsmanager_secret.${key}.id}`);
    byName.set(secret.name, version?.secret_string);
  }
  return { secrets, byName };
}

describe("GatewaySecrets", () => {
  it("generates sk- master and salt keys and a history hash key from the random provider", () => {
    const { byName } = versions(base);
    expect(byName.get(names.masterKey)).toMatch(/^sk-\$\{random_password\.[^}]+\.result\}$/);
    expect(byName.get(names.saltKey)).toMatch(/^sk-\$\{random_password\.[^}]+\.result\}$/);
    expect(byName.get(names.historyHashKey)).toMatch(/^\$\{random_password\.[^}]+\.result\}$/);
    expect(byName.get(names.masterKey)).not.toBe(byName.get(names.saltKey));
  });

  it("stores provider and callback keys as one JSON secret keyed by variable name", () => {
    const { byName } = versions(base);
    expect(JSON.parse(byName.get(names.providerKeys)!)).toEqual({ OPENAI_API_KEY: "sk-test-openai", LANGFUSE_SECRET_KEY: "lf-secret" });
  });

  it("creates the global Bedrock secret only when asked, empty until the values are known", () => {
    expect(versions(base).byName.has(names.globalBedrockCredentials)).toBe(false);
    const pending = versions({ ...base, globalBedrockCredentials: true });
    expect(pending.byName.has(names.globalBedrockCredentials)).toBe(true);
    expect(pending.byName.get(names.globalBedrockCredentials)).toBeUndefined();
    const values = Object.fromEntries(GLOBAL_BEDROCK_SECRET_KEYS.map((k) => [k, `${k}-value`]));
    const filled = versions({ ...base, globalBedrockCredentials: true, secretValues: { ...base.secretValues, ...values } });
    expect(JSON.parse(filled.byName.get(names.globalBedrockCredentials)!)).toEqual(values);
  });

  it("keeps deleted secrets recoverable", () => {
    expect(versions(base).secrets.every((s) => s.recovery_window_in_days === 7)).toBe(true);
  });

  it("rejects a provider key without a value, naming the prop", () => {
    expect(() => versions({ ...base, providerKeys: ["ANTHROPIC_API_KEY"] })).toThrow(/providerKeys ANTHROPIC_API_KEY/);
    expect(() => versions({ ...base, recoveryWindowDays: 0 })).toThrow(/recoveryWindowDays/);
  });
});
