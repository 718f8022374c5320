import { describe, expect, it } from "vitest";
import { boundedName } from "./names";

describe("boundedName", () => {
  it("keeps short names as they are", () => {
    expect(boundedName("gateway", "alb")).toBe("gateway-alb");
  });

  it("shortens long names to the limit with a hash that keeps them distinct", () => {
    const a = boundedName("a-very-long-deployment-name-one", "fake-llm-alb");
    const b = boundedName("a-very-long-deployment-name-two", "fake-llm-alb");
    expect(a.length).toBeLessThanOrEqual(32);
    expect(a.endsWith("-fake-llm-alb")).toBe(true);
    expect(a).not.toBe(b);
    expect(a).toBe(boundedName("a-very-long-deployment-name-one", "fake-llm-alb"));
  });
});
