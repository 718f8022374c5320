import { describe, expect, it } from "vitest";
import { ConfigError, loadMiddlewareConfig } from "./config";

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadMiddlewareConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("loadMiddlewareConfig", () => {
  it("HISTORY_MAX_MESSAGES: the most recent N messages per turn, default 200, 0 = unlimited", () => {
    expect(loadMiddlewareConfig({}).historyMaxMessages).toBe(200);
    expect(loadMiddlewareConfig({ HISTORY_MAX_MESSAGES: "0" }).historyMaxMessages).toBe(0);
    expect(loadMiddlewareConfig({ HISTORY_MAX_MESSAGES: "1000" }).historyMaxMessages).toBe(1000);
    expect(problems({ HISTORY_MAX_MESSAGES: "-1" })).toEqual(['HISTORY_MAX_MESSAGES: expected an integer >= 0, got "-1"']);
    expect(problems({ HISTORY_MAX_MESSAGES: "lots" })).toEqual(['HISTORY_MAX_MESSAGES: expected an integer >= 0, got "lots"']);
  });

  it("SIGNUP_MAX_KEYS: a positive integer, absent = no limit; reported with the other problems", () => {
    expect(loadMiddlewareConfig({}).signupMaxKeys).toBeUndefined();
    expect(loadMiddlewareConfig({ SIGNUP_MAX_KEYS: "3" }).signupMaxKeys).toBe(3);
    for (const bad of ["0", "2.5", "-1", "many"]) expect(problems({ SIGNUP_MAX_KEYS: bad })).toEqual([`SIGNUP_MAX_KEYS: expected an integer >= 1, got "${bad}"`]);
    expect(problems({ SIGNUP_MAX_KEYS: "0", SIGNUP_MAX_BUDGET: "-5" })).toEqual([
      'SIGNUP_MAX_BUDGET: expected a number >= 0, got "-5"',
      'SIGNUP_MAX_KEYS: expected an integer >= 1, got "0"',
    ]);
  });

  it("AWS_REGION and the global-partition credentials for cross-partition prompts", () => {
    expect(loadMiddlewareConfig({ AWS_REGION: "cn-north-1" }).region).toBe("cn-north-1");
    expect(loadMiddlewareConfig({ AWS_DEFAULT_REGION: "us-gov-west-1" }).region).toBe("us-gov-west-1");
    expect(problems({ AWS_REGION: "mars-1" })[0]).toMatch(/^AWS_REGION: .*mars-1/);
    const cfg = loadMiddlewareConfig({ AWS_REGION: "cn-northwest-1", GLOBAL_BEDROCK_ACCESS_KEY_ID: "AKIDGLOBAL", GLOBAL_BEDROCK_SECRET_ACCESS_KEY: "s3cret" });
    expect(cfg.globalBedrockCredentials).toEqual({ accessKeyId: "AKIDGLOBAL", secretAccessKey: "s3cret" });
    expect(loadMiddlewareConfig({ AWS_REGION: "cn-north-1" }).globalBedrockCredentials).toBeUndefined();
    const half = problems({ GLOBAL_BEDROCK_ACCESS_KEY_ID: "AKIDGLOBAL" });
    expect(half).toEqual(["GLOBAL_BEDROCK_ACCESS_KEY_ID/GLOBAL_BEDROCK_SECRET_ACCESS_KEY: set both or neither"]);
    expect(half.join("")).not.toContain("AKIDGLOBAL");
  });
});
