import { describe, expect, it } from "vitest";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { secretsNamedByPrefix } from "./secrets-named-by-prefix";
import { synthConstructs } from "@gw/constructs/testing";
import { runPolicies } from "./index";
import { synthApp } from "../test-support";

describe("secrets-named-by-prefix", () => {
  it("passes on the synthesized cn-north-1 stacks, which have secrets", () => {
    const { stacks } = synthApp("cn-north-1");
    expect(Object.keys(stacks.base!.resource.aws_secretsmanager_secret).length).toBeGreaterThan(5);
    expect(runPolicies(stacks, [secretsNamedByPrefix])).toEqual([]);
  });

  it("catches fixed secret names", () => {
    const tf = synthConstructs((s) => {
      new SecretsmanagerSecret(s, "fixed", { name: "gw/fixed" });
      new SecretsmanagerSecret(s, "ok", { namePrefix: "gw/ok-" });
    });
    expect(secretsNamedByPrefix.check("crafted", tf).map((v) => v.address)).toEqual(["aws_secretsmanager_secret.fixed"]);
  });
});
