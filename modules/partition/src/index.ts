// @gw/partition: the only package that knows AWS naming (ARNs, DNS suffixes, principals, endpoints, account ids).
export { type PartitionId, type PartitionFacts, PARTITION_IDS, isPartitionId } from "./partitions";
export {
  DEFAULT_REGION,
  SUPPORTED_REGIONS,
  UnknownRegionError,
  isSupportedRegion,
  partitionOf,
  partitionFacts,
  regionFacts,
  type CloudFrontAvailability,
  type WafScope,
  type BedrockAvailability,
  type RegionFacts,
} from "./regions";
export { regionCaveats } from "./caveats";
export {
  arn,
  arnInAnyRegion,
  arnPrefix,
  accountRootArn,
  managedPolicyArn,
  eksAccessPolicyArn,
  isAccountId,
  isPartitionArn,
  parseArn,
  EXAMPLE_ACCOUNT_ID,
} from "./arn";
export {
  type ServicePrincipalName,
  SERVICE_PRINCIPAL_NAMES,
  servicePrincipal,
  eksOidcAudience,
} from "./principals";
export {
  dnsSuffix,
  vpcEndpointServiceName,
  vpcEndpointType,
  UnavailableEndpointServiceError,
  ecrRegistryHost,
  serviceEndpoint,
  cloudFrontOriginFacingPrefixListName,
  hasCloudFrontOriginFacingPrefixList,
  cloudFrontHostedZoneId,
  cloudFrontControlRegion,
} from "./endpoints";
export { type VpcEndpointType } from "./vpc-endpoint-data";
export { type AlbLogDelivery, albLogDelivery } from "./alb-logs";
export { bedrockTargetRegions, DEFAULT_CHINA_BEDROCK_REGIONS } from "./bedrock";
export { regionTableMarkdown, REGION_TABLE_START, REGION_TABLE_END, replaceRegionTable, extractRegionTable } from "./region-table";
