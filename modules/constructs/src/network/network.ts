// The gateway VPC: a new one across N AZs, or an existing one classified by the Tier tag.
//
// Subnet-classification rule for an existing VPC (the only one used anywhere): a subnet is private when it carries
// the tag Tier=private and public when it carries Tier=public. Untagged subnets are ignored.
import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsRouteTables } from "@cdktf/provider-aws/lib/data-aws-route-tables";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { regionFacts } from "@gw/partition";
import { VpcFlowLogs } from "./flow-logs";

/** Tag key and values of the subnet-classification rule for an existing VPC. */
export const SUBNET_TIER_TAG = "Tier";
export const SUBNET_TIERS = { private: "private", public: "public" } as const;

export interface GatewayNetworkProps {
  /** Deployment region. */
  readonly region: string;
  /** Prefix of resource Name tags and of the flow-log role name. */
  readonly namePrefix: string;
  /** Existing VPC id. @default - a new VPC is created */
  readonly existingVpcId?: string;
  /** CIDR of a new VPC (/16 to /24). @default "10.0.0.0/16" */
  readonly cidr?: string;
  /** Availability zones of a new VPC (2 to 3, and at most the region's AZ count). @default 2 */
  readonly azCount?: number;
  /** No NAT gateways: private subnets have no default route (VPC endpoints only). @default false */
  readonly outboundDisabled?: boolean;
  /** NAT gateways of a new VPC: one per AZ (no single point of failure) or a single one. @default "per-az" */
  readonly natGateways?: "per-az" | "single";
  /** Flow-log group name (new VPC only). @default - `/vpc/<namePrefix>/flow-logs` */
  readonly flowLogGroupName?: string;
  /** Flow-log retention in days. @default 30 */
  readonly flowLogRetentionDays?: number;
  /** KMS key for the flow-log group. @default - CloudWatch Logs service-owned encryption */
  readonly logsKmsKeyArn?: string;
  /** Account id for the flow-log role's source-account condition. @default - no condition */
  readonly accountId?: string;
  /**
   * Existing VPC only: the plan fails unless at least two subnets carry Tier=public (turn off when nothing needs
   * public subnets, e.g. an internal load balancer). Two Tier=private subnets are always required.
   * @default true
   */
  readonly requirePublicSubnets?: boolean;
}

/**
 * Zone-name letters a new VPC may use: a closed set (us-east-1, the largest region, has a-f), so zones AWS adds
 * under later letters never enter the list the subnets are placed from.
 */
export const ZONE_NAME_LETTERS = ["a", "b", "c", "d", "e", "f"] as const;

/** Subnets of each tier an existing VPC must have: RDS subnet groups and load balancers span two AZs. */
export const MIN_SUBNETS_PER_TIER = 2;

export class GatewayNetwork extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Private subnet ids (a list token for an existing VPC). */
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  /** Route tables of the private subnets (for the S3 gateway endpoint). */
  readonly privateRouteTableIds: string[];
  /** True when this construct created the VPC. */
  readonly created: boolean;
  readonly flowLogs?: VpcFlowLogs;

  constructor(scope: Construct, id: string, props: GatewayNetworkProps) {
    super(scope, id);
    if (!props.namePrefix) throw new Error("GatewayNetwork: namePrefix must not be empty");
    if (props.existingVpcId !== undefined) {
      if (!/^vpc-[0-9a-f]{8,17}$/.test(props.existingVpcId)) {
        throw new Error(`GatewayNetwork: existingVpcId must look like vpc-0123abcd (got "${props.existingVpcId}")`);
      }
      this.created = false;
      const vpc = new DataAwsVpc(this, "Existing", { id: props.existingVpcId });
      // A postcondition stops the plan with a clear message instead of handing an empty subnet list downstream.
      const tier = (value: string, required: boolean) =>
        new DataAwsSubnets(this, `${value}-subnets`, {
          filter: [
            { name: "vpc-id", values: [props.existingVpcId!] },
            { name: `tag:${SUBNET_TIER_TAG}`, values: [value] },
          ],
          lifecycle: required
            ? {
                postcondition: [
                  {
                    condition: `\${length(self.ids) >= ${MIN_SUBNETS_PER_TIER}}`,
                    errorMessage:
                      `VPC ${props.existingVpcId} needs at least ${MIN_SUBNETS_PER_TIER} subnets (in different availability zones) ` +
                      `tagged ${SUBNET_TIER_TAG}=${value}; tag them and plan again.`,
                  },
                ],
              }
            : undefined,
        });
      const priv = tier(SUBNET_TIERS.private, true);
      const pub = tier(SUBNET_TIERS.public, props.requirePublicSubnets ?? true);
      const routeTables = new DataAwsRouteTables(this, "PrivateRouteTables", {
        vpcId: props.existingVpcId,
        filter: [{ name: "association.subnet-id", values: Token.asList(priv.ids) }],
      });
      this.vpcId = vpc.id;
      this.vpcCidr = vpc.cidrBlock;
      this.privateSubnetIds = Token.asList(priv.ids);
      this.publicSubnetIds = Token.asList(pub.ids);
      this.privateRouteTableIds = Token.asList(routeTables.ids);
      return;
    }

    const cidr = props.cidr ?? "10.0.0.0/16";
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) < 16 || Number(m[5]) > 24) {
      throw new Error(`GatewayNetwork: cidr must be an IPv4 CIDR from /16 to /24 (got "${cidr}")`);
    }
    const azCount = props.azCount ?? 2;
    const regionAzs = regionFacts(props.region).availabilityZoneCount;
    if (!Number.isInteger(azCount) || azCount < 2 || azCount > 3 || azCount > regionAzs) {
      throw new Error(`GatewayNetwork: azCount must be 2 or 3 and at most ${regionAzs} in ${props.region} (got ${azCount})`);
    }
    this.created = true;
    const name = props.namePrefix;
    const vpc = new Vpc(this, "Resource", {
      cidrBlock: cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name },
    });
    // The default security group is left without rules so nothing can use it by accident.
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", { vpcId: vpc.id, ingress: [], egress: [] });
    // Zone selection that never moves a subnet. Positions in the zone list used to decide placement, and the list
    // was filtered on state=available: an impaired zone dropped out and every later subnet was replaced (with the
    // database, cache and NAT in it). Now the list is closed by zone name (ZONE_NAME_LETTERS, default zones only) and
    // not filtered on state; subnets are pinned by zone id (the physical zone) from zone_ids, which the provider
    // orders like names, so existing subnets keep their zone; and ignore_changes keeps the zone chosen at creation
    // even if the list changes later (a zone retired, or added under a free letter before the ones in use).
    const azs = new DataAwsAvailabilityZones(this, "Azs", {
      filter: [
        { name: "opt-in-status", values: ["opt-in-not-required"] },
        { name: "zone-name", values: ZONE_NAME_LETTERS.map((letter) => `${props.region}${letter}`) },
      ],
      lifecycle: {
        postcondition: [
          {
            condition: `\${length(self.zone_ids) >= ${azCount}}`,
            errorMessage: `${props.region} offers this account fewer than ${azCount} availability zones (azCount); lower it.`,
          },
        ],
      },
    });
    const igw = new InternetGateway(this, "Igw", { vpcId: vpc.id, tags: { Name: name } });
    const publicRt = new RouteTable(this, "PublicRouteTable", { vpcId: vpc.id, tags: { Name: `${name}-public` } });
    new Route(this, "PublicDefaultRoute", {
      routeTableId: publicRt.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });

    // Private subnets get the first three quarters (/+2 each), public ones /+4 blocks in the last quarter.
    const publicSubnets: Subnet[] = [];
    const privateSubnets: Subnet[] = [];
    for (let i = 0; i < azCount; i++) {
      const zone = { availabilityZoneId: Fn.element(azs.zoneIds, i), lifecycle: { ignoreChanges: ["availability_zone_id", "availability_zone"] } };
      const pub = new Subnet(this, `Public${i}`, {
        vpcId: vpc.id,
        ...zone,
        cidrBlock: Fn.cidrsubnet(cidr, 4, 12 + i),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-${i}`, [SUBNET_TIER_TAG]: SUBNET_TIERS.public },
      });
      new RouteTableAssociation(this, `PublicAssoc${i}`, { subnetId: pub.id, routeTableId: publicRt.id });
      publicSubnets.push(pub);
      privateSubnets.push(
        new Subnet(this, `Private${i}`, {
          vpcId: vpc.id,
          ...zone,
          cidrBlock: Fn.cidrsubnet(cidr, 2, i),
          tags: { Name: `${name}-private-${i}`, [SUBNET_TIER_TAG]: SUBNET_TIERS.private },
        }),
      );
    }

    const privateRts: RouteTable[] = [];
    if (props.outboundDisabled) {
      const rt = new RouteTable(this, "PrivateRouteTable", { vpcId: vpc.id, tags: { Name: `${name}-private-isolated` } });
      privateSubnets.forEach((s, i) => new RouteTableAssociation(this, `PrivateAssoc${i}`, { subnetId: s.id, routeTableId: rt.id }));
      privateRts.push(rt);
    } else {
      const natCount = (props.natGateways ?? "per-az") === "per-az" ? azCount : 1;
      const nats: NatGateway[] = [];
      for (let i = 0; i < natCount; i++) {
        const eip = new Eip(this, `NatEip${i}`, { domain: "vpc", tags: { Name: `${name}-nat-${i}` } });
        nats.push(
          new NatGateway(this, `Nat${i}`, {
            allocationId: eip.id,
            subnetId: publicSubnets[i].id,
            tags: { Name: `${name}-nat-${i}` },
            dependsOn: [igw],
          }),
        );
      }
      privateSubnets.forEach((s, i) => {
        const rt = new RouteTable(this, `PrivateRouteTable${i}`, { vpcId: vpc.id, tags: { Name: `${name}-private-${i}` } });
        new Route(this, `PrivateDefaultRoute${i}`, {
          routeTableId: rt.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: nats[Math.min(i, nats.length - 1)].id,
        });
        new RouteTableAssociation(this, `PrivateAssoc${i}`, { subnetId: s.id, routeTableId: rt.id });
        privateRts.push(rt);
      });
    }

    this.flowLogs = new VpcFlowLogs(this, "FlowLogs", {
      region: props.region,
      vpcId: vpc.id,
      logGroupName: props.flowLogGroupName ?? `/vpc/${name}/flow-logs`,
      roleName: `${name}-vpc-flow-logs`,
      retentionDays: props.flowLogRetentionDays,
      kmsKeyArn: props.logsKmsKeyArn,
      accountId: props.accountId,
    });
    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateRouteTableIds = privateRts.map((rt) => rt.id);
  }
}
