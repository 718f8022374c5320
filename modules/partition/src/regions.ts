import { PARTITION_BASICS, PARTITION_IDS, type PartitionFacts, type PartitionId } from "./partitions";
import { REGION_RECORDS, type RegionRecord } from "./region-data";
import { VPC_ENDPOINT_CATALOGUE } from "./vpc-endpoint-data";

/** Region used when none is configured. */
export const DEFAULT_REGION = "us-east-1";

/** Every region the gateway can be deployed to, commercial first, then China, then GovCloud. */
export const SUPPORTED_REGIONS: readonly string[] = Object.freeze(Object.keys(REGION_RECORDS));

export class UnknownRegionError extends Error {
  readonly region: string;
  readonly supported: readonly string[];
  constructor(region: string) {
    super(
      `Unknown or unsupported AWS region "${region}". Supported regions: ${SUPPORTED_REGIONS.join(", ")}.`,
    );
    this.name = "UnknownRegionError";
    this.region = region;
    this.supported = SUPPORTED_REGIONS;
  }
}

export function isSupportedRegion(region: string): boolean {
  return Object.hasOwn(REGION_RECORDS, region);
}

/** The raw record of a supported region; throws UnknownRegionError otherwise. */
export function regionRecord(region: string): RegionRecord {
  if (!isSupportedRegion(region)) throw new UnknownRegionError(region);
  return REGION_RECORDS[region]!;
}

export function partitionOf(region: string): PartitionId {
  return regionRecord(region).partition;
}

const PARTITION_FACTS: Readonly<Record<PartitionId, PartitionFacts>> = Object.freeze(
  Object.fromEntries(
    PARTITION_IDS.map((id) => [
      id,
      Object.freeze({
        ...PARTITION_BASICS[id],
        regions: Object.freeze(SUPPORTED_REGIONS.filter((r) => REGION_RECORDS[r]!.partition === id)),
      }),
    ]),
  ) as Record<PartitionId, PartitionFacts>,
);

export function partitionFacts(p: PartitionId): PartitionFacts {
  const facts = PARTITION_FACTS[p];
  if (!facts) throw new Error(`Unknown partition "${String(p)}". Known partitions: ${PARTITION_IDS.join(", ")}.`);
  return facts;
}

export type CloudFrontAvailability = "available" | "icp-required" | "absent";
export type WafScope = "REGIONAL" | "CLOUDFRONT";
export type BedrockAvailability =
  | { readonly mode: "in-region" }
  | { readonly mode: "cross-partition"; readonly via: PartitionId };

export interface RegionFacts {
  readonly region: string;
  readonly partition: PartitionId;
  readonly displayName: string;
  /** aws: available; aws-cn: icp-required (ICP-recorded domain + IAM server certificate); aws-us-gov: absent. */
  readonly cloudFront: CloudFrontAvailability;
  /** CLOUDFRONT scope only where CloudFront exists (managed through us-east-1 in aws). */
  readonly wafScopes: readonly WafScope[];
  /** False in GovCloud: public hosted zones live in the commercial partition. */
  readonly publicRoute53: boolean;
  readonly ecrPublic: boolean;
  readonly bedrock: BedrockAvailability;
  readonly availabilityZoneCount: number;
  readonly fargateNotes: readonly string[];
  /** Short names of VPC endpoint services offered here (only these may be passed to vpcEndpointServiceName). */
  readonly vpcEndpointServices: readonly string[];
  /** Region must be enabled in the account before use. */
  readonly optIn: boolean;
  /** Bedrock Prompt management (managed prompts via the bedrock-agent API) is offered in the region. */
  readonly bedrockManagedPrompts: boolean;
}

const CLOUDFRONT_BY_PARTITION: Readonly<Record<PartitionId, CloudFrontAvailability>> = {
  aws: "available",
  "aws-cn": "icp-required",
  "aws-us-gov": "absent",
};

/** Whether a VPC endpoint service from the catalogue is offered in a region. */
function endpointOffered(service: string, region: string, rec: RegionRecord): boolean {
  const entry = VPC_ENDPOINT_CATALOGUE[service]!;
  if (!entry.partitions.includes(rec.partition)) return false;
  if (entry.requires === "bedrock-runtime" && !rec.bedrockRuntime) return false;
  if (entry.requires === "bedrock-prompt-management" && !rec.bedrockPromptManagement) return false;
  if (entry.requires === "bedrock-agents" && !rec.bedrockAgents) return false;
  return !(entry.exceptRegions ?? []).includes(region);
}

const FACTS_CACHE = new Map<string, RegionFacts>();

export function regionFacts(region: string): RegionFacts {
  const cached = FACTS_CACHE.get(region);
  if (cached) return cached;
  const rec = regionRecord(region);
  const cloudFront = CLOUDFRONT_BY_PARTITION[rec.partition];
  // CloudFront in China has no WAF integration (anchors §B.5), so CLOUDFRONT scope exists only in aws.
  const wafScopes: readonly WafScope[] = rec.partition === "aws" ? ["REGIONAL", "CLOUDFRONT"] : ["REGIONAL"];
  const facts: RegionFacts = Object.freeze({
    region,
    partition: rec.partition,
    displayName: rec.displayName,
    cloudFront,
    wafScopes: Object.freeze(wafScopes),
    publicRoute53: rec.partition !== "aws-us-gov",
    ecrPublic: rec.partition === "aws",
    bedrock: Object.freeze(
      rec.bedrockRuntime ? { mode: "in-region" as const } : { mode: "cross-partition" as const, via: "aws" as const },
    ),
    availabilityZoneCount: rec.availabilityZoneCount,
    fargateNotes: Object.freeze([...(rec.fargateNotes ?? [])]),
    vpcEndpointServices: Object.freeze(
      Object.keys(VPC_ENDPOINT_CATALOGUE).filter((svc) => endpointOffered(svc, region, rec)),
    ),
    optIn: rec.optIn,
    bedrockManagedPrompts: rec.bedrockPromptManagement,
  });
  FACTS_CACHE.set(region, facts);
  return facts;
}
