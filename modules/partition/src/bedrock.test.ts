import { describe, expect, it } from "vitest";
import { DEFAULT_CHINA_BEDROCK_REGIONS, UnknownRegionError, bedrockTargetRegions, regionFacts } from "./index";

describe("bedrockTargetRegions", () => {
  it("stays in the region by default where Bedrock runs", () => {
    expect(bedrockTargetRegions("eu-central-1")).toEqual({ partition: "aws", regions: ["eu-central-1"] });
    expect(bedrockTargetRegions("us-gov-west-1")).toEqual({ partition: "aws-us-gov", regions: ["us-gov-west-1"] });
  });

  it("sends China to several global regions by default", () => {
    const t = bedrockTargetRegions("cn-north-1");
    expect(t.partition).toBe("aws");
    expect(t.regions).toEqual(DEFAULT_CHINA_BEDROCK_REGIONS);
    expect(t.regions.length).toBeGreaterThanOrEqual(2);
    for (const r of t.regions) expect(regionFacts(r).bedrock.mode).toBe("in-region");
  });

  it("honours configured regions, de-duplicated, in order", () => {
    expect(bedrockTargetRegions("cn-northwest-1", ["ap-southeast-1", "ap-northeast-1", "ap-southeast-1"]).regions).toEqual([
      "ap-southeast-1",
      "ap-northeast-1",
    ]);
    expect(bedrockTargetRegions("us-east-1", ["us-east-1", "us-west-2"]).regions).toEqual(["us-east-1", "us-west-2"]);
    expect(bedrockTargetRegions("cn-north-1", []).regions).toEqual(DEFAULT_CHINA_BEDROCK_REGIONS);
  });

  it("lists every bad configured region at once", () => {
    expect(() => bedrockTargetRegions("cn-north-1", ["cn-northwest-1", "mars-1", "us-gov-west-1"])).toThrow(
      /"cn-northwest-1" is in partition aws-cn, not aws; "mars-1" is not a known region; "us-gov-west-1" is in partition aws-us-gov, not aws/,
    );
    expect(() => bedrockTargetRegions("us-gov-west-1", ["us-east-1"])).toThrow(/partition aws, not aws-us-gov/);
    expect(() => bedrockTargetRegions("mars-1")).toThrow(UnknownRegionError);
  });
});
