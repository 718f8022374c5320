import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { DataAwsIamServerCertificate } from "@cdktf/provider-aws/lib/data-aws-iam-server-certificate";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import type { CloudFrontSettings } from "@gw/config/types";
import { cloudFrontControlRegion, cloudFrontHostedZoneId, cloudFrontOriginFacingPrefixListName } from "@gw/partition";
import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { LoadBalancerCertificate } from "./certificate";
import { GatewayDistribution, type ViewerCertificate } from "./cloudfront";
import type { DistributionPlan } from "./distribution-plan";
import { AliasRecords, lookupHostedZone } from "./dns";
import { GatewayLoadBalancer, type LoadBalancerIngress } from "./load-balancer";
import { OriginSecret } from "./origin-secret";
import { WebAcl } from "../waf";
import { LogsKmsKey } from "../logs-key";
import { DistributionAccessLogs } from "./cloudfront-logs";

export interface GatewayEdgeProps {
  /** The scenario from planDistribution(); `plan.albCertificate` decides the ALB certificate (given, DNS-validated or self-signed). */
  readonly plan: DistributionPlan;
  readonly region: string;
  /** Name prefix (ResourceNames.prefix) for security groups, the web ACL and the origin secret. */
  readonly namePrefix: string;
  /** ALB and target group names (ResourceNames.alb / targetGroups.middleware). */
  readonly loadBalancerName: string;
  readonly targetGroupName: string;
  /** Default tags for the provider of the CloudFront web ACL (in cloudFrontControlRegion, us-east-1). */
  readonly tags: Readonly<Record<string, string>>;
  readonly vpcId: string;
  /** VPC CIDR: the only source an internal ALB accepts. */
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  /** Target port and readiness path. */
  readonly targetPort: number;
  readonly healthCheckPath: string;
  /** Path patterns generated from the middleware route table. */
  readonly routePatterns: readonly string[];
  /** ALB access-log bucket (hand-off `alb-log-bucket`). */
  readonly accessLogBucket: string;
  /** Account id (for the control region's logs key). */
  readonly accountId: string;
  /**
   * KMS key of log groups in `region` (hand-off `logs-kms-key-arn`); reused for the CloudFront logs when `region` is
   * the CloudFront control region, otherwise the edge creates a logs key there.
   */
  readonly logsKmsKeyArn: string;
  /** Retention of the CloudFront access logs and web ACL request logs. @default 30 */
  readonly logRetentionDays?: number;
  /** Regional web ACL to associate with the ALB (hand-off `waf-regional-arn`). */
  readonly regionalWebAclArn: string;
  readonly cloudFront: Pick<CloudFrontSettings, "priceClass" | "originReadTimeoutSeconds">;
  /** Private hosted zone id (hand-off `private-zone-id`) when the base stack created it. */
  readonly privateZoneId?: string;
  /** ALB idle timeout. Default 600 s. */
  readonly idleTimeoutSeconds?: number;
}

/**
 * Everything between the clients and the targets: ALB (+ certificate, WAF association, access logs), and per
 * scenario CloudFront with origin protection, security headers, its web ACL and access logs (both logged in the
 * CloudFront control region), and Route 53 aliases.
 *
 * Routing: LiteLLM listens on loopback only, so the ALB has one target group, the middleware, which serves its own
 * routes and proxies every other path to LiteLLM. The listener rules generated from the middleware route table
 * therefore forward to the same target as the default action; they keep the route table visible in the ALB
 * configuration and carry the origin-header condition behind CloudFront, where the default action is 403.
 */
export class GatewayEdge extends Construct {
  readonly loadBalancer: GatewayLoadBalancer;
  readonly distribution?: GatewayDistribution;
  /** https URL clients use. */
  readonly serviceUrl: string;

  private readonly zones = new Map<string, string>();
  private readonly vpcId: string;

  constructor(scope: Construct, id: string, props: GatewayEdgeProps) {
    super(scope, id);
    this.vpcId = props.vpcId;
    const plan = props.plan;
    const cf = plan.kind === "cloudfront" ? plan : undefined;
    const publicDns = plan.kind === "public-alb" ? plan.dns : undefined;
    const privateDns = plan.kind === "private-alb" ? plan.dns : undefined;

    const albCertificate = plan.albCertificate;
    const certificate = new LoadBalancerCertificate(this, "certificate", {
      certificateArn: albCertificate.kind === "given" ? albCertificate.certificateArn : undefined,
      setting: "CERTIFICATE_ARN",
      commonName: albCertificate.kind === "given" ? undefined : albCertificate.kind === "dns-validated" ? albCertificate.domainName : albCertificate.commonName,
      dnsValidationZoneId: albCertificate.kind === "dns-validated" ? this.zoneId(albCertificate.zoneName, false) : undefined,
      // loadSettings() warns when the plan is self-signed (loadBalancerCertificatePlan decides it for both).
      warn: false,
    });

    let ingress: LoadBalancerIngress;
    if (cf?.originFacingPrefixList) {
      const pl = new DataAwsEc2ManagedPrefixList(this, "cloudfront-origin-facing", { name: cloudFrontOriginFacingPrefixListName() });
      ingress = { kind: "prefix-list", prefixListId: pl.id };
    } else if (plan.kind === "private-alb") {
      ingress = { kind: "cidr", ipv4: [props.vpcCidr] };
    } else {
      ingress = { kind: "cidr", ipv4: ["0.0.0.0/0"] };
    }

    const originSecret = cf ? new OriginSecret(this, "origin-secret", { secretNamePrefix: `${props.namePrefix}/cloudfront-origin-secret` }) : undefined;

    this.loadBalancer = new GatewayLoadBalancer(this, "alb", {
      baseName: props.namePrefix,
      loadBalancerName: props.loadBalancerName,
      targetGroupName: props.targetGroupName,
      internal: plan.kind === "private-alb",
      vpcId: props.vpcId,
      subnetIds: plan.kind === "private-alb" ? props.privateSubnetIds : props.publicSubnetIds,
      certificateArn: certificate.certificateArn,
      ingress,
      // Behind CloudFront nothing legitimate arrives on :80, so that port is not opened at all.
      httpRedirect: !cf,
      targetPort: props.targetPort,
      healthCheckPath: props.healthCheckPath,
      routePatterns: props.routePatterns,
      unmatched: "forward",
      originHeader: originSecret ? { name: originSecret.headerName, value: originSecret.value } : undefined,
      accessLogBucket: props.accessLogBucket,
      accessLogPrefix: `${props.namePrefix}-alb`,
      idleTimeoutSeconds: props.idleTimeoutSeconds,
    });
    const lb = this.loadBalancer.lb;
    const albTarget = { dnsName: lb.dnsName, zoneId: lb.zoneId };
    new Wafv2WebAclAssociation(this, "regional-waf", { resourceArn: lb.arn, webAclArn: props.regionalWebAclArn });

    if (cf && originSecret) {
      // CloudFront validates the ALB certificate against this name; the plan never makes it the ALB's own name.
      const originDomainName = cf.origin.domainName;
      if (cf.origin.kind === "zone-record") {
        new AliasRecords(this, "origin-record", { zoneId: this.zoneId(cf.origin.zoneName, false), name: originDomainName, target: albTarget });
        if (certificate.source === "given") {
          Annotations.of(this).addWarning(`CloudFront connects to ${originDomainName}: the certificate in CERTIFICATE_ARN must be valid for that name.`);
        }
      } else {
        Annotations.of(this).addWarning(
          `CloudFront connects to ${originDomainName} (CLOUDFRONT_ORIGIN_DOMAIN): point that name at the load balancer (output alb_dns_name); ` +
            "the certificate in CERTIFICATE_ARN must be valid for it.",
        );
      }
      // CloudFront's web ACL, log delivery and their log groups live in the control region (us-east-1); log groups
      // only use KMS keys of their own region.
      const controlRegion = cloudFrontControlRegion(props.region);
      const control = controlRegion ? this.controlRegionLogging(controlRegion, props) : undefined;
      if (!control) {
        Annotations.of(this).addWarning(
          `CloudFront access logs are not configured in ${props.region}: this partition has no CloudFront control region for log delivery.`,
        );
      }
      let webAclArn: string | undefined;
      if (cf.webAcl && control) {
        webAclArn = new WebAcl(this, "cloudfront-waf", {
          region: props.region,
          name: `${props.namePrefix}-cloudfront`,
          scope: "CLOUDFRONT",
          provider: control.provider,
          logRetentionDays: props.logRetentionDays,
          logsKmsKeyArn: control.logsKmsKeyArn,
        }).arn;
      }
      const c = cf.certificate;
      const viewerCertificate: ViewerCertificate =
        c.kind === "iam-name"
          ? { kind: "iam", certificateId: new DataAwsIamServerCertificate(this, "viewer-certificate", { name: c.certificateName }).id }
          : c.kind === "iam-id"
            ? { kind: "iam", certificateId: c.certificateId }
            : c;
      this.distribution = new GatewayDistribution(this, "cloudfront", {
        originDomainName,
        originHeader: { name: originSecret.headerName, value: originSecret.value },
        settings: props.cloudFront,
        aliases: cf.customDomain ? [cf.customDomain.fqdn] : [],
        viewerCertificate,
        webAclArn,
        comment: `${props.namePrefix} gateway`,
        securityHeadersPolicyName: `${props.namePrefix}-security-headers`,
      });
      const d = this.distribution.distribution;
      if (control) {
        new DistributionAccessLogs(this, "cloudfront-logs", {
          distributionArn: d.arn,
          name: `${props.namePrefix}-cloudfront`,
          provider: control.provider,
          retentionDays: props.logRetentionDays,
          kmsKeyArn: control.logsKmsKeyArn,
        });
      }
      if (cf.customDomain) {
        const zoneId = cloudFrontHostedZoneId(props.region);
        if (!zoneId) throw new Error(`no CloudFront alias zone in ${props.region}`);
        new AliasRecords(this, "record", {
          zoneId: this.zoneId(cf.customDomain.zoneName, false),
          name: cf.customDomain.fqdn,
          target: { dnsName: d.domainName, zoneId },
          ipv6: true,
          evaluateTargetHealth: false,
        });
        this.serviceUrl = `https://${cf.customDomain.fqdn}`;
      } else {
        this.serviceUrl = `https://${d.domainName}`;
      }
      return;
    }

    const dns = publicDns ?? privateDns;
    if (dns) {
      const zoneId =
        plan.kind === "private-alb" && plan.zoneFromHandoff && props.privateZoneId
          ? props.privateZoneId
          : this.zoneId(dns.zoneName, plan.kind === "private-alb");
      new AliasRecords(this, "record", { zoneId, name: dns.fqdn, target: albTarget });
      this.serviceUrl = `https://${dns.fqdn}`;
    } else {
      this.serviceUrl = `https://${lb.dnsName}`;
    }
  }

  /** Provider in the CloudFront control region and a logs KMS key there (the hand-off key when it is that region). */
  private controlRegionLogging(controlRegion: string, props: GatewayEdgeProps): { provider: AwsProvider; logsKmsKeyArn: string } {
    const provider = new AwsProvider(this, controlRegion, {
      alias: controlRegion.replace(/-/g, "_"),
      region: controlRegion,
      defaultTags: [{ tags: { ...props.tags } }],
    });
    const logsKmsKeyArn =
      controlRegion === props.region
        ? props.logsKmsKeyArn
        : new LogsKmsKey(this, "control-region-logs-key", {
            region: controlRegion,
            provider,
            accountId: props.accountId,
            aliasName: `${props.namePrefix}-edge-logs`,
          }).keyArn;
    return { provider, logsKmsKeyArn };
  }

  /** Id of a hosted zone looked up by name, one data source per zone. */
  private zoneId(zoneName: string, privateZone: boolean): string {
    const key = `${privateZone ? "private" : "public"}:${zoneName}`;
    let id = this.zones.get(key);
    if (id === undefined) {
      id = lookupHostedZone(this, `zone-${this.zones.size + 1}`, { zoneName, privateZone, vpcId: this.vpcId }).zoneId;
      this.zones.set(key, id);
    }
    return id;
  }
}
