import type { PartitionId } from "./partitions";
import { partitionOf, regionFacts, UnknownRegionError } from "./regions";

/**
 * Global regions a China deployment calls Bedrock in when none are configured: several, so LiteLLM's router can fail
 * over (anchors §B.7 names us-east-1, ap-northeast-1 and ap-southeast-1 as examples; us-west-2 carries the widest model
 * catalogue).
 */
export const DEFAULT_CHINA_BEDROCK_REGIONS: readonly string[] = Object.freeze(["us-east-1", "us-west-2", "ap-northeast-1"]);

/**
 * Where the region's Bedrock calls go. In-region partitions: the configured regions of the same partition (default: the
 * region itself). China: the configured global regions (default DEFAULT_CHINA_BEDROCK_REGIONS), reached with
 * credentials of a global-partition account.
 */
export function bedrockTargetRegions(
  region: string,
  configured?: readonly string[],
): { partition: PartitionId; regions: readonly string[] } {
  const facts = regionFacts(region);
  const partition: PartitionId = facts.bedrock.mode === "in-region" ? facts.partition : facts.bedrock.via;
  const regions = configured && configured.length > 0 ? [...new Set(configured)] : facts.bedrock.mode === "in-region" ? [region] : [...DEFAULT_CHINA_BEDROCK_REGIONS];
  const problems: string[] = [];
  for (const r of regions) {
    let p: PartitionId;
    try {
      p = partitionOf(r);
    } catch (e) {
      if (e instanceof UnknownRegionError) {
        problems.push(`"${r}" is not a known region`);
        continue;
      }
      throw e;
    }
    if (p !== partition) problems.push(`"${r}" is in partition ${p}, not ${partition}`);
    else if (regionFacts(r).bedrock.mode !== "in-region") problems.push(`"${r}" has no Bedrock runtime`);
  }
  if (problems.length > 0) {
    throw new Error(`Bedrock target regions for ${region} must be ${partition} regions with Bedrock: ${problems.join("; ")}.`);
  }
  return { partition, regions: Object.freeze(regions) };
}
