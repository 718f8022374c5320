// Conformance with the @gw/partition API in contracts/CONTRACTS.md: the typed bindings below fail type-checking if a
// signature drifts; the runtime checks fail if a name disappears.
import { describe, expect, it } from "vitest";
import * as api from "./index";
import type { AlbLogDelivery, CloudFrontAvailability, PartitionFacts, PartitionId, RegionFacts, ServicePrincipalName } from "./index";

const signatures: {
  partitionOf: (region: string) => PartitionId;
  partitionFacts: (p: PartitionId) => PartitionFacts;
  regionFacts: (region: string) => RegionFacts;
  regionCaveats: (region: string) => string[];
  arn: (region: string, service: string, resource: string, opts?: { account?: string; regionless?: boolean }) => string;
  arnPrefix: (region: string) => string;
  dnsSuffix: (region: string) => string;
  servicePrincipal: (service: ServicePrincipalName, region: string) => string;
  managedPolicyArn: (name: string, region: string) => string;
  vpcEndpointServiceName: (service: string, region: string) => string;
  albLogDelivery: (region: string) => AlbLogDelivery;
  ecrRegistryHost: (accountId: string, region: string) => string;
  serviceEndpoint: (service: string, region: string) => string;
  bedrockTargetRegions: (region: string, configured?: readonly string[]) => { partition: PartitionId; regions: readonly string[] };
  cloudFrontOriginFacingPrefixListName: () => string;
  cloudFrontHostedZoneId: (region: string) => string | undefined;
  isPartitionArn: (value: string) => boolean;
  parseArn: (value: string) => { partition: PartitionId; service: string; region: string; account: string; resource: string } | undefined;
  regionTableMarkdown: () => string;
} = {
  partitionOf: api.partitionOf,
  partitionFacts: api.partitionFacts,
  regionFacts: api.regionFacts,
  regionCaveats: api.regionCaveats,
  arn: api.arn,
  arnPrefix: api.arnPrefix,
  dnsSuffix: api.dnsSuffix,
  servicePrincipal: api.servicePrincipal,
  managedPolicyArn: api.managedPolicyArn,
  vpcEndpointServiceName: api.vpcEndpointServiceName,
  albLogDelivery: api.albLogDelivery,
  ecrRegistryHost: api.ecrRegistryHost,
  serviceEndpoint: api.serviceEndpoint,
  bedrockTargetRegions: api.bedrockTargetRegions,
  cloudFrontOriginFacingPrefixListName: api.cloudFrontOriginFacingPrefixListName,
  cloudFrontHostedZoneId: api.cloudFrontHostedZoneId,
  isPartitionArn: api.isPartitionArn,
  parseArn: api.parseArn,
  regionTableMarkdown: api.regionTableMarkdown,
};

const contractPrincipals: ServicePrincipalName[] = [
  "ec2", "ecs-tasks", "ecs", "logs", "s3", "vpc-flow-logs", "delivery.logs", "elasticloadbalancing",
  "logdelivery.elasticloadbalancing", "eks", "eks-pods", "rds", "monitoring.rds", "application-autoscaling",
  "cloudfront", "ssm", "bedrock", "sagemaker", "lambda",
];

describe("@gw/partition contract", () => {
  it("exports every function of the contract", () => {
    for (const [name, fn] of Object.entries(signatures)) expect(typeof fn, name).toBe("function");
  });

  it("exports the constants, the error class and every principal name", () => {
    expect(api.DEFAULT_REGION).toBe("us-east-1");
    expect(Array.isArray(api.SUPPORTED_REGIONS)).toBe(true);
    expect(new api.UnknownRegionError("x")).toBeInstanceOf(Error);
    for (const p of contractPrincipals) expect(api.SERVICE_PRINCIPAL_NAMES).toContain(p);
    const availability: CloudFrontAvailability[] = ["available", "icp-required", "absent"];
    expect(new Set(api.SUPPORTED_REGIONS.map((r) => api.regionFacts(r).cloudFront))).toEqual(new Set(availability));
  });
});
