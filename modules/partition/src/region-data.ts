import type { PartitionId } from "./partitions";

/**
 * Raw per-region facts. Sources (see README.md of this package for the full list):
 * - partitions, China and GovCloud specifics: shared/reference/anchors.md §B.1–§B.7
 * - ELB account ids: AWS ELB user guide "Enable access logs for your Application Load Balancer"
 *   (China/GovCloud ids also in anchors §B.3); regions opened since Jakarta (ap-southeast-3, December 2021) have no
 *   ELB account and use the log-delivery service principal instead (anchors §B.3, upstream-infra §2.9 P9)
 * - Bedrock runtime regions: Amazon Bedrock user guide "Regional availability by endpoints" (US, Canada, Europe, Asia
 *   Pacific tables) and "endpoints and quotas" (sa-east-1, af-south-1, both GovCloud regions). Middle East regions
 *   (me-central-1, me-south-1, il-central-1) and mx-central-1 are left out until confirmed there.
 * - Prompt management / Agents regions: Bedrock user guide "Supported Regions and models for Prompt management" and
 *   "Supported Regions for Amazon Bedrock Agents"
 * - AZ counts: AZs offered to new accounts (AWS global infrastructure pages; China: anchors §B.1)
 */
export interface RegionRecord {
  readonly partition: PartitionId;
  readonly displayName: string;
  readonly availabilityZoneCount: number;
  /** Region must be enabled in the account before use (regions launched after March 2019). */
  readonly optIn: boolean;
  /** ELB account for the legacy access-log bucket policy; absent = log-delivery service principal. */
  readonly elbAccountId?: string;
  /** Bedrock runtime served in this region (false only for China, reached cross-partition). */
  readonly bedrockRuntime: boolean;
  /** Bedrock Prompt management (`bedrock-agent` GetPrompt, used for managed prompts) offered in this region. */
  readonly bedrockPromptManagement: boolean;
  /** Bedrock Agents (`bedrock-agent-runtime`) offered in this region. */
  readonly bedrockAgents: boolean;
  readonly fargateNotes?: readonly string[];
  /** Region-specific caveats on top of the partition-wide ones. */
  readonly caveats?: readonly string[];
}

const commercial = (
  displayName: string,
  availabilityZoneCount: number,
  elbAccountId: string | undefined,
  opts: { optIn?: boolean; prompts?: boolean; agents?: boolean } = {},
): RegionRecord => ({
  partition: "aws",
  displayName,
  availabilityZoneCount,
  optIn: opts.optIn ?? false,
  ...(elbAccountId ? { elbAccountId } : {}),
  bedrockRuntime: true,
  bedrockPromptManagement: opts.prompts ?? false,
  bedrockAgents: opts.agents ?? false,
});

const PA = { prompts: true, agents: true } as const;
const P = { prompts: true } as const;
const OPT_IN = { optIn: true } as const;

export const REGION_RECORDS: Readonly<Record<string, RegionRecord>> = {
  // --- commercial (aws): every region with a Bedrock runtime endpoint -----------------------------------------
  "us-east-1": commercial("US East (N. Virginia)", 6, "127311923021", PA),
  "us-east-2": commercial("US East (Ohio)", 3, "033677994240", P),
  "us-west-1": commercial("US West (N. California)", 2, "027434742980"),
  "us-west-2": commercial("US West (Oregon)", 4, "797873946194", PA),
  "ca-central-1": commercial("Canada (Central)", 3, "985666609251", PA),
  "ca-west-1": commercial("Canada West (Calgary)", 3, undefined, OPT_IN),
  "sa-east-1": commercial("South America (São Paulo)", 3, "507241528517", PA),
  "eu-central-1": commercial("Europe (Frankfurt)", 3, "054676820928", PA),
  "eu-central-2": commercial("Europe (Zurich)", 3, undefined, { ...PA, optIn: true }),
  "eu-west-1": commercial("Europe (Ireland)", 3, "156460612806", PA),
  "eu-west-2": commercial("Europe (London)", 3, "652711504416", PA),
  "eu-west-3": commercial("Europe (Paris)", 3, "009996457667", PA),
  "eu-north-1": commercial("Europe (Stockholm)", 3, "897822967062", P),
  "eu-south-1": commercial("Europe (Milan)", 3, "635631232127", { ...P, optIn: true }),
  "eu-south-2": commercial("Europe (Spain)", 3, undefined, { ...P, optIn: true }),
  "af-south-1": commercial("Africa (Cape Town)", 3, "098369216593", OPT_IN),
  "ap-east-2": commercial("Asia Pacific (Taipei)", 3, undefined, OPT_IN),
  "ap-northeast-1": commercial("Asia Pacific (Tokyo)", 3, "582318560864", PA),
  "ap-northeast-2": commercial("Asia Pacific (Seoul)", 4, "600734575887", PA),
  "ap-northeast-3": commercial("Asia Pacific (Osaka)", 3, "383597477331", P),
  "ap-south-1": commercial("Asia Pacific (Mumbai)", 3, "718504428378", PA),
  "ap-south-2": commercial("Asia Pacific (Hyderabad)", 3, undefined, { ...P, optIn: true }),
  "ap-southeast-1": commercial("Asia Pacific (Singapore)", 3, "114774131450", PA),
  "ap-southeast-2": commercial("Asia Pacific (Sydney)", 3, "783225319266", PA),
  "ap-southeast-3": commercial("Asia Pacific (Jakarta)", 3, undefined, OPT_IN),
  "ap-southeast-4": commercial("Asia Pacific (Melbourne)", 3, undefined, OPT_IN),
  "ap-southeast-5": commercial("Asia Pacific (Malaysia)", 3, undefined, OPT_IN),
  "ap-southeast-6": commercial("Asia Pacific (New Zealand)", 3, undefined, OPT_IN),
  "ap-southeast-7": commercial("Asia Pacific (Thailand)", 3, undefined, OPT_IN),

  // --- China (aws-cn): no Bedrock runtime; reached in global regions (anchors §B.7) ------------------------------
  "cn-north-1": {
    partition: "aws-cn",
    displayName: "China (Beijing)",
    availabilityZoneCount: 3,
    optIn: false,
    elbAccountId: "638102146993",
    bedrockRuntime: false,
    bedrockPromptManagement: false,
    bedrockAgents: false,
    fargateNotes: [
      "Fargate runs only in some availability zone IDs of cn-north-1: pick subnets by AZ ID (not AZ name) from the AWS Fargate Regions table.",
    ],
  },
  "cn-northwest-1": {
    partition: "aws-cn",
    displayName: "China (Ningxia)",
    availabilityZoneCount: 3,
    optIn: false,
    elbAccountId: "037604701340",
    bedrockRuntime: false,
    bedrockPromptManagement: false,
    bedrockAgents: false,
    caveats: [
      "RDS in Ningxia uses its own certificate authority (rds-ca-rsa2048-g1): Postgres TLS clients must trust the region's CA bundle.",
    ],
  },

  // --- GovCloud (aws-us-gov) ---------------------------------------------------------------------------------------
  "us-gov-west-1": {
    partition: "aws-us-gov",
    displayName: "AWS GovCloud (US-West)",
    availabilityZoneCount: 3,
    optIn: false,
    elbAccountId: "048591011584",
    bedrockRuntime: true,
    bedrockPromptManagement: true,
    bedrockAgents: true,
  },
  "us-gov-east-1": {
    partition: "aws-us-gov",
    displayName: "AWS GovCloud (US-East)",
    availabilityZoneCount: 3,
    optIn: false,
    elbAccountId: "190560391635",
    bedrockRuntime: true,
    bedrockPromptManagement: true,
    bedrockAgents: false,
  },
};
