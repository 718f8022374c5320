import { describe, expect, it } from "vitest";
import { arn, EXAMPLE_ACCOUNT_ID } from "@gw/partition";
import { baseModelId, resolveModelId } from "./model-id";

const MODEL = "anthropic.claude-3-haiku-20240307-v1:0";

describe("model id per target", () => {
  it("prefixes the base id with each target's geography only when cross-region inference is on", () => {
    expect(resolveModelId(MODEL, { profilePrefix: "us" }, true)).toBe(`us.${MODEL}`);
    expect(resolveModelId(MODEL, { profilePrefix: "us" }, false)).toBe(MODEL);
  });

  it("never double-prefixes and never leaks a previous target's prefix", () => {
    expect(resolveModelId(`us.${MODEL}`, { profilePrefix: "eu" }, true)).toBe(`eu.${MODEL}`);
    expect(resolveModelId(`global.${MODEL}`, { profilePrefix: "global" }, true)).toBe(`global.${MODEL}`);
    // A target without a profile gets the on-demand id, whatever was tried before.
    expect(resolveModelId(`eu.${MODEL}`, {}, true)).toBe(MODEL);
    expect(baseModelId(`apac.${MODEL}`)).toBe(MODEL);
    expect(baseModelId("amazon.nova-lite-v1:0")).toBe("amazon.nova-lite-v1:0");
  });

  it("leaves ARNs (application inference profiles, prompts) untouched", () => {
    const profileArn = arn("us-east-1", "bedrock", "application-inference-profile/abc123", { account: EXAMPLE_ACCOUNT_ID });
    expect(resolveModelId(profileArn, { profilePrefix: "us" }, true)).toBe(profileArn);
  });
});
