import { describe, expect, it } from "vitest";
import { SUPPORTED_REGIONS, UnknownRegionError, regionCaveats, regionFacts } from "./index";

describe("regionCaveats", () => {
  it("China: ICP, no default CloudFront domain, Bedrock through global regions, ECR mirror", () => {
    for (const r of ["cn-north-1", "cn-northwest-1"]) {
      const text = regionCaveats(r).join("\n");
      expect(text).toMatch(/ICP/);
      expect(text).toMatch(/default \*\.cloudfront\.cn domain/);
      expect(text).toMatch(/Bedrock.*global regions.*global-partition account/);
      expect(text).toMatch(/Prompt management does not exist in China.*prompt ARN of the global partition.*bedrock:GetPrompt/);
      expect(text).toMatch(/mirror/);
      expect(text).toMatch(/REGIONAL scope/);
    }
    expect(regionCaveats("cn-northwest-1").join("\n")).toMatch(/rds-ca-rsa2048-g1/);
    expect(regionCaveats("cn-north-1").join("\n")).not.toMatch(/rds-ca-rsa2048-g1/);
  });

  it("GovCloud: no CloudFront, no public Route 53", () => {
    for (const r of ["us-gov-west-1", "us-gov-east-1"]) {
      const text = regionCaveats(r).join("\n");
      expect(text).toMatch(/CloudFront does not exist/);
      expect(text).toMatch(/no public hosted zones/);
    }
  });

  it("commercial: opt-in regions and missing prompt management are called out; us-east-1 has none", () => {
    expect(regionCaveats("us-east-1")).toEqual([]);
    expect(regionCaveats("eu-central-2").join("\n")).toMatch(/opt-in/);
    expect(regionCaveats("us-west-1").join("\n")).toMatch(/Prompt management is not offered/);
    expect(regionCaveats("us-east-2").join("\n")).not.toMatch(/Prompt management/);
  });

  it("every caveat is a sentence, every region with a limitation has one", () => {
    for (const r of SUPPORTED_REGIONS) {
      const c = regionCaveats(r);
      for (const s of c) expect(s, r).toMatch(/^[A-Za-z].*[.)]$/);
      const f = regionFacts(r);
      if (f.cloudFront !== "available" || !f.publicRoute53 || f.bedrock.mode !== "in-region" || f.optIn) expect(c.length, r).toBeGreaterThan(0);
      // A fresh array each call, so callers may mutate it.
      expect(regionCaveats(r)).not.toBe(c);
    }
    expect(() => regionCaveats("xx-1")).toThrow(UnknownRegionError);
  });
});
