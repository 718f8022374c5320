import { describe, expect, it } from "vitest";
import { noSecretsInTaskEnv, secretsInEnvironment } from "./no-secrets-in-task-env";

const defs = (environment: { name: string; value: string }[]) => JSON.stringify([{ name: "app", environment, secrets: [{ name: "API_KEY", valueFrom: "x" }] }]);

describe("no-secrets-in-task-env", () => {
  it("accepts plain configuration and secrets passed by reference", () => {
    expect(secretsInEnvironment(defs([{ name: "REDIS_HOST", value: "h" }, { name: "LANGFUSE_PUBLIC_KEY", value: "pk-lf-1" }, { name: "LITELLM_CONFIG_HASH", value: "${data.aws_ssm_parameter.h.value}" }]))).toEqual([]);
  });

  it("flags secret-looking names and values", () => {
    const problems = secretsInEnvironment(
      defs([
        { name: "REDIS_PASSWORD", value: "x" },
        { name: "UI_PASSWORD", value: "y" },
        { name: "MASTER", value: "sk-abcdefghijkl" },
        { name: "DATABASE", value: "postgres://user:pw@db:5432/x" },
        { name: "GENERATED", value: "${random_password.p.result}" },
      ]),
    );
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/REDIS_PASSWORD/);
  });

  it("reports task definitions by address", () => {
    const v = noSecretsInTaskEnv.check("ecs", {
      resource: { aws_ecs_task_definition: { t: { container_definitions: defs([{ name: "DB_PASSWORD", value: "x" }]) } } },
    });
    expect(v).toEqual([expect.objectContaining({ rule: "no-secrets-in-task-env", address: "aws_ecs_task_definition.t" })]);
  });
});
