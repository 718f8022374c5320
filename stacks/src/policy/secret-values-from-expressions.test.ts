import { describe, expect, it } from "vitest";
import { TerraformVariable } from "cdktf";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { secretValuesFromExpressions } from "./secret-values-from-expressions";
import { synthConstructs } from "@gw/constructs/testing";
import { runPolicies } from "./index";
import { synthApp } from "../test-support";

describe("secret-values-from-expressions", () => {
  it("passes on the synthesized us-east-1 stacks with a provider key set", () => {
    const { stacks } = synthApp("us-east-1", { OPENAI_API_KEY: "sk-policy-test" });
    expect(Object.keys(stacks.base!.resource.aws_secretsmanager_secret_version).length).toBeGreaterThan(5);
    expect(runPolicies(stacks, [secretValuesFromExpressions])).toEqual([]);
  });

  it("catches literal values and values read from variables that are not sensitive", () => {
    const tf = synthConstructs((s) => {
      const open = new TerraformVariable(s, "open", { type: "string" });
      open.overrideLogicalId("open");
      const hidden = new TerraformVariable(s, "hidden", { type: "string", sensitive: true });
      hidden.overrideLogicalId("hidden");
      new SecretsmanagerSecretVersion(s, "literal", { secretId: "x", secretString: "sk-live-123" });
      new SecretsmanagerSecretVersion(s, "plainvar", { secretId: "x", secretString: open.stringValue });
      new SecretsmanagerSecretVersion(s, "ok", { secretId: "x", secretString: hidden.stringValue });
      new SecretsmanagerSecretVersion(s, "empty", { secretId: "x", secretString: "{}" });
    });
    expect(secretValuesFromExpressions.check("crafted", tf).map((v) => v.address).sort()).toEqual([
      "aws_secretsmanager_secret_version.literal",
      "aws_secretsmanager_secret_version.plainvar",
    ]);
  });
});
