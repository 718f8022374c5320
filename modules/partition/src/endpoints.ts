import { PARTITION_BASICS, type PartitionId } from "./partitions";
import { partitionOf, regionFacts, regionRecord } from "./regions";
import { VPC_ENDPOINT_CATALOGUE, type VpcEndpointType } from "./vpc-endpoint-data";
import { assertAccount } from "./arn";

/** DNS suffix of the region's partition (`amazonaws.com` or `amazonaws.com.cn`). */
export function dnsSuffix(region: string): string {
  return PARTITION_BASICS[partitionOf(region)].dnsSuffix;
}

export class UnavailableEndpointServiceError extends Error {
  constructor(service: string, region: string, available: readonly string[]) {
    super(
      `VPC endpoint service "${service}" is not offered in ${region} (or unknown to @gw/partition). ` +
        `Available there: ${available.join(", ")}.`,
    );
    this.name = "UnavailableEndpointServiceError";
  }
}

/** Default endpoint type of a catalogued service (s3 is a Gateway endpoint, the rest Interface). */
export function vpcEndpointType(service: string): VpcEndpointType {
  const entry = VPC_ENDPOINT_CATALOGUE[service];
  if (!entry) throw new Error(`Unknown VPC endpoint service "${service}". Known: ${Object.keys(VPC_ENDPOINT_CATALOGUE).join(", ")}.`);
  return entry.type;
}

/**
 * Endpoint service name for `aws_vpc_endpoint.service_name`: `com.amazonaws.<region>.<svc>`, or in China
 * `cn.com.amazonaws.<region>.<svc>` for the interface endpoints of services listed with that prefix. Gateway
 * endpoints keep the plain prefix everywhere. Throws for services not offered in the region, so stacks only create
 * endpoints that exist.
 */
export function vpcEndpointServiceName(service: string, region: string, opts: { type?: VpcEndpointType } = {}): string {
  const facts = regionFacts(region);
  if (!facts.vpcEndpointServices.includes(service)) {
    throw new UnavailableEndpointServiceError(service, region, facts.vpcEndpointServices);
  }
  const entry = VPC_ENDPOINT_CATALOGUE[service]!;
  const type = opts.type ?? entry.type;
  // Only some China interface services carry the partition's own prefix; all others use the commercial one.
  const owner: PartitionId = facts.partition === "aws-cn" && type === "Interface" && entry.cnPrefix ? "aws-cn" : "aws";
  return `${PARTITION_BASICS[owner].reverseDnsPrefix}.${region}.${service}`;
}

/** Private ECR registry host `<acct>.dkr.ecr.<region>.<dnsSuffix>`. */
export function ecrRegistryHost(accountId: string, region: string): string {
  assertAccount(accountId, "ecrRegistryHost");
  return `${accountId}.dkr.ecr.${region}.${dnsSuffix(region)}`;
}

/** Regional HTTPS endpoint of a service, e.g. `serviceEndpoint("bedrock-runtime", "us-west-2")`. */
export function serviceEndpoint(service: string, region: string): string {
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(service)) throw new Error(`serviceEndpoint(): invalid service "${service}".`);
  return `https://${service}.${region}.${dnsSuffix(region)}`;
}

/** Name of the AWS-managed prefix list of CloudFront origin-facing addresses (commercial partition). */
export function cloudFrontOriginFacingPrefixListName(): string {
  return `${PARTITION_BASICS.aws.reverseDnsPrefix}.global.cloudfront.origin-facing`;
}

/** Whether the CloudFront origin-facing managed prefix list exists in the region (only in aws; upstream-infra P13). */
export function hasCloudFrontOriginFacingPrefixList(region: string): boolean {
  return regionFacts(region).cloudFront === "available";
}

/**
 * Route 53 hosted zone id to use as alias target for CloudFront distributions in the region's partition
 * (AWS Route 53 AliasTarget docs; China: anchors §B.4). Undefined in GovCloud, which has no CloudFront.
 */
const CLOUDFRONT_ZONE: Readonly<Record<PartitionId, string | undefined>> = {
  aws: "Z2FDTNDATAQYW2",
  "aws-cn": "Z3RFFRIM2A3IF5",
  "aws-us-gov": undefined,
};

export function cloudFrontHostedZoneId(region: string): string | undefined {
  return CLOUDFRONT_ZONE[regionRecord(region).partition];
}

/**
 * Region where CloudFront's regional companions must live: CLOUDFRONT-scope WAF web ACLs and ACM viewer certificates
 * are created in us-east-1 in the commercial partition. Undefined where CloudFront has no such scope (China uses IAM
 * server certificates and has no CloudFront WAF; GovCloud has no CloudFront).
 */
export function cloudFrontControlRegion(region: string): string | undefined {
  return regionFacts(region).wafScopes.includes("CLOUDFRONT") ? "us-east-1" : undefined;
}
