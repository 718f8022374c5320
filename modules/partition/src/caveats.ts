import { regionFacts, regionRecord } from "./regions";
import { DEFAULT_CHINA_BEDROCK_REGIONS } from "./bedrock";
import type { PartitionId } from "./partitions";

/** Partition-wide caveats (anchors §B.4–§B.7). */
const PARTITION_CAVEATS: Readonly<Record<PartitionId, readonly string[]>> = {
  aws: [],
  "aws-cn": [
    "Serving a website or API from mainland China needs an ICP filing for the domain; CloudFront additionally needs an ICP-recorded alternate domain name.",
    "CloudFront cannot serve the default *.cloudfront.cn domain and does not support ACM: use an ICP-recorded custom domain with a certificate uploaded to IAM, or expose the load balancer directly (the default).",
    "WAF offers only the REGIONAL scope (no CloudFront-scope web ACLs).",
    `Amazon Bedrock runtime has no endpoint in China: models are called in global regions (default ${DEFAULT_CHINA_BEDROCK_REGIONS.join(", ")}) with credentials of a separate global-partition account stored in Secrets Manager; traffic crosses the border, so expect higher latency.`,
    "Bedrock Prompt management does not exist in China either: a managed-prompt model id must be a prompt ARN of the global partition, read with the global-partition account's credentials, so that account needs bedrock:GetPrompt on it.",
    "ECR Public and public registries are not reliably reachable: mirror the LiteLLM and middleware images into private ECR.",
    "Elastic Load Balancing interface VPC endpoints are not supported.",
    "Route 53 cannot alias records to resources outside China and does not register domains.",
  ],
  "aws-us-gov": [
    "CloudFront does not exist in GovCloud: expose the load balancer directly (or run CloudFront from a commercial account).",
    "Route 53 has no public hosted zones in GovCloud: public DNS must be hosted in the commercial partition.",
    "ECR Public (public.ecr.aws) is not reachable from tasks: mirror images into private ECR.",
    "Bedrock model access is granted through the linked commercial account, and some models are only callable through inference profiles.",
  ],
};

/** Human sentences describing what differs in the region; used as synth warnings and in the README region table. */
export function regionCaveats(region: string): string[] {
  const rec = regionRecord(region);
  const facts = regionFacts(region);
  const out = [...PARTITION_CAVEATS[rec.partition]];
  if (rec.optIn) out.push(`${region} is an opt-in region: enable it for the account before deploying.`);
  if (facts.bedrock.mode === "in-region" && !facts.bedrockManagedPrompts) {
    out.push("Bedrock Prompt management is not offered here, so managed-prompt ARNs cannot be used as model ids.");
  }
  out.push(...(rec.caveats ?? []), ...facts.fargateNotes);
  return out;
}
