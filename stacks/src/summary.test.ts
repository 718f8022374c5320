import { describe, expect, it } from "vitest";
import { regionCaveats } from "@gw/partition";
import { formatSummaries, summarizeStack } from "./summary";

const tf = {
  provider: { aws: [{ region: "cn-north-1" }] },
  resource: { aws_s3_bucket: { a: {}, b: {} }, aws_vpc: { v: {} } },
  data: { aws_ssm_parameter: { p: {}, q: {} } },
  output: { z: {}, a: {} },
  terraform: { backend: { s3: {} } },
};

describe("summarizeStack", () => {
  it("counts resources by type and data sources and reads region, partition and backend", () => {
    expect(summarizeStack("base", tf)).toEqual({
      stack: "base",
      region: "cn-north-1",
      partition: "aws-cn",
      resourceCount: 3,
      resourcesByType: { aws_s3_bucket: 2, aws_vpc: 1 },
      dataSourceCount: 2,
      outputs: ["a", "z"],
      backend: "s3",
    });
  });

  it("formats a readable block per stack followed by the region caveats and warnings", () => {
    const text = formatSummaries([summarizeStack("base", tf)], ["extra warning"]);
    expect(text).toContain("stack base: 3 resources, 2 data sources, backend s3, cn-north-1 (aws-cn)");
    expect(text).toMatch(/^ {2}aws_s3_bucket {2}\s+2$/m);
    for (const c of regionCaveats("cn-north-1")) expect(text).toContain(`  - ${c}`);
    expect(text).toContain("  - extra warning");
  });

  it("shows a region caveat once when the settings warnings repeat it with the region prefix", () => {
    const caveat = regionCaveats("cn-north-1")[0]!;
    const text = formatSummaries([summarizeStack("base", tf)], [`cn-north-1: ${caveat}`]);
    expect(text.split("\n").filter((l) => l.includes(caveat))).toHaveLength(1);
  });
});
