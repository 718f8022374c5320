// VPC endpoints: the S3 gateway endpoint plus interface endpoints for the services the gateway calls, limited to the
// services the region offers (names from @gw/partition, which knows the cn.com.amazonaws exceptions).
import { Construct } from "constructs";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { regionFacts, vpcEndpointServiceName } from "@gw/partition";

/**
 * AWS services the gateway's containers call, and who calls them. In no-egress mode a service without an endpoint
 * is unreachable, so each one the region offers gets an endpoint and each one it does not offer becomes a warning.
 */
export const WORKLOAD_ENDPOINT_SERVICES: Readonly<Record<string, string>> = {
  s3: "LiteLLM reads its config object and writes S3 callback logs; ECR image layers",
  "ecr.api": "ECS/EKS pull the LiteLLM and middleware images",
  "ecr.dkr": "ECS/EKS pull the LiteLLM and middleware images",
  logs: "container logs",
  secretsmanager: "task secrets (master key, database URL, provider keys)",
  ssm: "hand-off parameters and SSM-sourced settings",
  sts: "IAM role credentials for the SDKs",
  "bedrock-runtime": "LiteLLM's Bedrock models",
  "bedrock-agent": "the middleware's managed prompts (Bedrock Prompt management GetPrompt)",
};

/** Interface endpoints created by default: the workload's plus SageMaker runtime (LiteLLM SageMaker models). */
export const DEFAULT_INTERFACE_ENDPOINT_SERVICES: readonly string[] = [
  ...Object.keys(WORKLOAD_ENDPOINT_SERVICES).filter((s) => s !== "s3"),
  "sagemaker.runtime",
];

/** Workload services (WORKLOAD_ENDPOINT_SERVICES) the region offers no VPC endpoint for. */
export function workloadServicesWithoutEndpoint(region: string): string[] {
  const offered = new Set(regionFacts(region).vpcEndpointServices);
  return Object.keys(WORKLOAD_ENDPOINT_SERVICES).filter((s) => !offered.has(s));
}

export interface VpcEndpointsProps {
  readonly region: string;
  readonly namePrefix: string;
  readonly vpcId: string;
  /** CIDR allowed to reach the interface endpoints on 443. */
  readonly vpcCidr: string;
  /** Subnets for the interface endpoints (one per AZ). */
  readonly subnetIds: string[];
  /** Route tables for the S3 gateway endpoint. */
  readonly routeTableIds: string[];
  /**
   * Interface endpoint services (short names). Each must be offered in the region.
   * @default - DEFAULT_INTERFACE_ENDPOINT_SERVICES filtered to the ones the region offers
   */
  readonly interfaceServices?: readonly string[];
  /** Create the S3 gateway endpoint. @default true */
  readonly s3Gateway?: boolean;
}

export class VpcEndpoints extends Construct {
  readonly securityGroup: SecurityGroup;
  /** Interface endpoints by short service name. */
  readonly interfaceEndpoints: Readonly<Record<string, VpcEndpoint>>;
  readonly s3Gateway?: VpcEndpoint;
  /** Workload services (WORKLOAD_ENDPOINT_SERVICES) that got no endpoint because the region does not offer one. */
  readonly unavailableWorkloadServices: readonly string[];

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const offered = new Set(regionFacts(props.region).vpcEndpointServices);
    const services = props.interfaceServices ?? DEFAULT_INTERFACE_ENDPOINT_SERVICES.filter((s) => offered.has(s));
    const missing = services.filter((s) => !offered.has(s));
    if (missing.length > 0) {
      throw new Error(`VpcEndpoints: interfaceServices not offered in ${props.region}: ${missing.join(", ")}`);
    }
    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: `${props.namePrefix}-vpc-endpoints`,
      description: "HTTPS from the VPC to interface endpoints",
      vpcId: props.vpcId,
      tags: { Name: `${props.namePrefix}-vpc-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, "HttpsFromVpc", {
      securityGroupId: this.securityGroup.id,
      cidrIpv4: props.vpcCidr,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS from the VPC",
    });
    if ((props.s3Gateway ?? true) && offered.has("s3")) {
      this.s3Gateway = new VpcEndpoint(this, "S3", {
        vpcId: props.vpcId,
        serviceName: vpcEndpointServiceName("s3", props.region),
        vpcEndpointType: "Gateway",
        routeTableIds: props.routeTableIds,
        tags: { Name: `${props.namePrefix}-s3` },
      });
    }
    const endpoints: Record<string, VpcEndpoint> = {};
    for (const service of services) {
      endpoints[service] = new VpcEndpoint(this, `Interface-${service}`, {
        vpcId: props.vpcId,
        serviceName: vpcEndpointServiceName(service, props.region),
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: props.subnetIds,
        securityGroupIds: [this.securityGroup.id],
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    }
    this.interfaceEndpoints = endpoints;
    this.unavailableWorkloadServices = workloadServicesWithoutEndpoint(props.region);
  }
}
