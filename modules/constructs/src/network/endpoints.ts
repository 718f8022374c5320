// VPC endpoints: the S3 gateway endpoint plus interface endpoints for the services the gateway calls, limited to the
// services the region offers (names from @gw/partition, which knows the cn.com.amazonaws exceptions).
import { Construct } from "constructs";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { regionFacts, vpcEndpointServiceName } from "@gw/partition";

/** Interface endpoints a private gateway needs (images, logs, secrets, SSM, STS, model runtimes). */
export const DEFAULT_INTERFACE_ENDPOINT_SERVICES: readonly string[] = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "secretsmanager",
  "ssm",
  "sts",
  "bedrock-runtime",
  "sagemaker.runtime",
];

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
  }
}
