// Decides how the gateway is exposed (the four distribution scenarios) from the settings, and refuses the
// combinations that cannot work (CloudFront with a private ALB or without an origin name its certificate can match,
// aliases without a certificate, CloudFront in GovCloud, public Route 53 records in GovCloud). Pure: unit-tested
// without synth.
import { cloudFrontOrigin, loadBalancerCertificatePlan, type CloudFrontOrigin, type LoadBalancerCertificatePlan } from "@gw/config/load-balancer-tls";
import type { Settings } from "@gw/config/types";
import { hasCloudFrontOriginFacingPrefixList, parseArn, regionFacts } from "@gw/partition";

export interface DnsName {
  readonly fqdn: string;
  readonly zoneName: string;
}

export type CloudFrontCertificate =
  | { readonly kind: "default" }
  | { readonly kind: "acm"; readonly certificateArn: string }
  /** aws-cn: IAM server certificate, by id or by name (looked up at plan time). */
  | { readonly kind: "iam-id"; readonly certificateId: string }
  | { readonly kind: "iam-name"; readonly certificateName: string };

export type { CloudFrontOrigin, LoadBalancerCertificatePlan };

export type DistributionPlan = (
  /** (a) CloudFront default domain, or (b) custom domain on CloudFront. */
  | {
      readonly kind: "cloudfront";
      readonly customDomain?: DnsName;
      readonly certificate: CloudFrontCertificate;
      /** CLOUDFRONT-scope WAF (commercial partition only). */
      readonly webAcl: boolean;
      /** Restrict the ALB security group to CloudFront's origin-facing prefix list (commercial partition only). */
      readonly originFacingPrefixList: boolean;
      /** The name CloudFront connects to (never the ALB's own, which no certificate can match). */
      readonly origin: CloudFrontOrigin;
    }
  /** (c) internet-facing ALB, optionally with a public Route 53 alias. */
  | { readonly kind: "public-alb"; readonly dns?: DnsName }
  /** (d) internal ALB, optionally with a private hosted zone record. */
  | { readonly kind: "private-alb"; readonly dns?: DnsName; readonly zoneFromHandoff: boolean }
) & {
  /** Where the ALB certificate comes from (the settings loader warns when it is self-signed). */
  readonly albCertificate: LoadBalancerCertificatePlan;
};

export class DistributionPlanError extends Error {}

function dnsName(s: Settings, problems: string[]): DnsName | undefined {
  if (!s.dns.useRoute53) return undefined;
  if (!s.dns.hostedZoneName || !s.dns.recordLabel) {
    problems.push("USE_ROUTE53 + HOSTED_ZONE_NAME + RECORD_NAME: Route 53 needs both the zone name and the record name");
    return undefined;
  }
  return { fqdn: s.dns.fqdn ?? `${s.dns.recordLabel}.${s.dns.hostedZoneName}`, zoneName: s.dns.hostedZoneName };
}

function cloudFrontCertificate(s: Settings, custom: boolean, problems: string[]): CloudFrontCertificate {
  const given = s.dns.cloudFrontCertificateArn;
  const partition = regionFacts(s.region).partition;
  if (!custom) return { kind: "default" };
  if (!given) {
    problems.push(
      "CLOUDFRONT_CERTIFICATE_ARN: a custom domain on CloudFront needs its own certificate " +
        (partition === "aws-cn" ? "(an IAM server certificate with an ICP-recorded name)" : "(ACM, in us-east-1)"),
    );
    return { kind: "default" };
  }
  const parsed = parseArn(given);
  if (partition === "aws-cn") {
    if (!parsed) return { kind: "iam-id", certificateId: given };
    if (parsed.service !== "iam" || !parsed.resource.startsWith("server-certificate/")) {
      problems.push("CLOUDFRONT_CERTIFICATE_ARN: CloudFront in China needs an IAM server certificate (id or ARN), not ACM");
      return { kind: "default" };
    }
    return { kind: "iam-name", certificateName: parsed.resource.split("/").pop()! };
  }
  if (!parsed || parsed.service !== "acm" || parsed.region !== "us-east-1") {
    problems.push("CLOUDFRONT_CERTIFICATE_ARN: must be an ACM certificate ARN in us-east-1 (CloudFront reads certificates only there)");
    return { kind: "default" };
  }
  return { kind: "acm", certificateArn: given };
}

/** The distribution scenario for these settings; throws DistributionPlanError listing every problem. */
export function planDistribution(s: Settings): DistributionPlan {
  const facts = regionFacts(s.region);
  const problems: string[] = [];
  let plan: DistributionPlan | undefined;
  const dns = dnsName(s, problems);
  const albCertificate = loadBalancerCertificatePlan(s);
  if (s.cloudFront.enabled) {
    if (facts.cloudFront === "absent") problems.push(`USE_CLOUDFRONT: CloudFront does not exist in ${facts.partition} (${s.region}); set USE_CLOUDFRONT=false`);
    if (!s.network.publicLoadBalancer) {
      problems.push("USE_CLOUDFRONT + PUBLIC_LOAD_BALANCER: CloudFront cannot reach an internal load balancer; use a public one or disable CloudFront");
    }
    if (facts.cloudFront === "icp-required" && !dns) {
      problems.push("USE_CLOUDFRONT + USE_ROUTE53: CloudFront in China serves only an ICP-recorded custom domain (HOSTED_ZONE_NAME, RECORD_NAME)");
    }
    const certificate = cloudFrontCertificate(s, dns !== undefined, problems);
    const origin = cloudFrontOrigin(s);
    if (!origin) {
      problems.push(
        "USE_CLOUDFRONT + HOSTED_ZONE_NAME: CloudFront validates the origin's certificate against its DNS name, which can never be the load balancer's own; " +
          "set HOSTED_ZONE_NAME to a public zone, or CLOUDFRONT_ORIGIN_DOMAIN with CERTIFICATE_ARN",
      );
    } else {
      if (origin.kind === "given" && albCertificate.kind !== "given") {
        problems.push(`CLOUDFRONT_ORIGIN_DOMAIN + CERTIFICATE_ARN: the load balancer needs a certificate covering ${origin.domainName}`);
      }
      plan = {
        kind: "cloudfront",
        customDomain: dns,
        certificate,
        webAcl: facts.wafScopes.includes("CLOUDFRONT"),
        originFacingPrefixList: hasCloudFrontOriginFacingPrefixList(s.region),
        origin,
        albCertificate,
      };
    }
  } else if (s.network.publicLoadBalancer) {
    if (dns && !facts.publicRoute53) {
      problems.push(`USE_ROUTE53: ${s.region} has no public hosted zones; create the record in the commercial partition and set USE_ROUTE53=false`);
    }
    plan = { kind: "public-alb", dns, albCertificate };
  } else {
    plan = { kind: "private-alb", dns, zoneFromHandoff: s.dns.createPrivateHostedZone, albCertificate };
  }
  if (problems.length > 0 || !plan) throw new DistributionPlanError(problems.join("\n"));
  return plan;
}
