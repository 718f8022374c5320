import { describe, expect, it } from "vitest";
import { ALB_MAX_CONDITION_VALUES, albPatterns, chunkPathPatterns } from "./route-rules";

const route = (albPattern: string) => ({ method: "POST", path: albPattern, albPattern });

describe("albPatterns", () => {
  it("deduplicates in table order", () => {
    expect(albPatterns([route("/a/*"), route("/b"), route("/a/*")])).toEqual(["/a/*", "/b"]);
  });

  it("rejects patterns the ALB would refuse", () => {
    expect(() => albPatterns([route("a")])).toThrow(/must start with "\/"/);
    expect(() => albPatterns([route(`/${"x".repeat(128)}`)])).toThrow(/longer than 128/);
  });
});

describe("chunkPathPatterns", () => {
  const twelve = Array.from({ length: 12 }, (_, i) => `/p${i}`);

  it("keeps every pattern, in order, within the per-rule value quota", () => {
    const chunks = chunkPathPatterns(twelve);
    expect(chunks.flat()).toEqual(twelve);
    expect(chunks.map((c) => c.length)).toEqual([5, 5, 2]);
  });

  it("leaves room for the values of other conditions", () => {
    const chunks = chunkPathPatterns(twelve, { usedValues: 1 });
    expect(chunks.map((c) => c.length)).toEqual([4, 4, 4]);
    expect(() => chunkPathPatterns(twelve, { usedValues: ALB_MAX_CONDITION_VALUES })).toThrow(/already use/);
  });

  it("splits on the wildcard quota", () => {
    expect(chunkPathPatterns(["/a/*/*", "/b/*/*", "/c/*"])).toEqual([["/a/*/*", "/b/*/*", "/c/*"]]);
    expect(chunkPathPatterns(["/a/*/*/*", "/b/*/*", "/c/*"])).toEqual([["/a/*/*/*", "/b/*/*"], ["/c/*"]]);
    expect(() => chunkPathPatterns(["/*/*/*/*/*/*"])).toThrow(/exceeds 5 wildcards/);
  });

  it("returns no chunks for no patterns", () => {
    expect(chunkPathPatterns([])).toEqual([]);
  });
});
