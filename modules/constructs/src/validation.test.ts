import { describe, expect, it } from "vitest";
import { requireInteger } from "./validation";

describe("requireInteger", () => {
  it("returns integers inside the range, bounds included", () => {
    expect(requireInteger("C", "p", 10, 10, 20)).toBe(10);
    expect(requireInteger("C", "p", 20, 10, 20)).toBe(20);
    expect(requireInteger("C", "p", 1_000_000, 1)).toBe(1_000_000);
  });

  it("names the construct, the prop and the bad value", () => {
    expect(() => requireInteger("Thing", "size", 21, 10, 20)).toThrow("Thing: size must be an integer from 10 to 20 (got 21)");
    expect(() => requireInteger("Thing", "size", 1.5, 1)).toThrow("Thing: size must be a positive integer (got 1.5)");
    expect(() => requireInteger("Thing", "size", 5, 7)).toThrow("Thing: size must be an integer of at least 7 (got 5)");
    expect(() => requireInteger("Thing", "size", Number.NaN, 1, 2)).toThrow(/size/);
  });
});
