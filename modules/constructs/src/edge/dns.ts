import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct } from "constructs";

export interface AliasTarget {
  readonly dnsName: string;
  /** Hosted zone id of the target (ALB canonical zone, or CloudFront's from cloudFrontHostedZoneId()). */
  readonly zoneId: string;
}

export interface AliasRecordsProps {
  /** Hosted zone id the records go into. */
  readonly zoneId: string;
  /** Fully qualified record name. */
  readonly name: string;
  readonly target: AliasTarget;
  /** Also create an AAAA alias (targets with IPv6, e.g. CloudFront). Default false. */
  readonly ipv6?: boolean;
  /** Route 53 evaluates the target's health. Default true for ALBs; CloudFront aliases must use false. */
  readonly evaluateTargetHealth?: boolean;
}

/** A (and optionally AAAA) alias records for one name. */
export class AliasRecords extends Construct {
  readonly records: Route53Record[];

  constructor(scope: Construct, id: string, props: AliasRecordsProps) {
    super(scope, id);
    const types = props.ipv6 ? ["A", "AAAA"] : ["A"];
    this.records = types.map(
      (type) =>
        new Route53Record(this, type.toLowerCase(), {
          zoneId: props.zoneId,
          name: props.name,
          type,
          alias: { name: props.target.dnsName, zoneId: props.target.zoneId, evaluateTargetHealth: props.evaluateTargetHealth ?? true },
        }),
    );
  }
}

export interface HostedZoneLookupProps {
  /** Zone name without trailing dot. */
  readonly zoneName: string;
  /** Look up a private zone (attached to vpcId). Default false. */
  readonly privateZone?: boolean;
  readonly vpcId?: string;
}

/** Looks up an existing hosted zone by name. */
export function lookupHostedZone(scope: Construct, id: string, props: HostedZoneLookupProps): DataAwsRoute53Zone {
  return new DataAwsRoute53Zone(scope, id, {
    name: props.zoneName,
    privateZone: props.privateZone ?? false,
    ...(props.privateZone && props.vpcId ? { vpcId: props.vpcId } : {}),
  });
}
