// The DNS name CloudFront reaches the load balancer by, and where the load balancer's certificate comes from.
// Decided here only: loadSettings() warns from these answers and the edge constructs build from them.
import { regionFacts } from "@gw/partition";
import type { Settings } from "./types";

/**
 * The name CloudFront connects to. CloudFront validates the origin's certificate against the origin's DNS name, and
 * no certificate can match the load balancer's own name, so the origin is always another name pointing at it.
 */
export type CloudFrontOrigin =
  /** `<record or deployment name>-origin.<HOSTED_ZONE_NAME>`: an alias record the stack creates in the public zone. */
  | { readonly kind: "zone-record"; readonly domainName: string; readonly zoneName: string }
  /** CLOUDFRONT_ORIGIN_DOMAIN: pointed at the load balancer by the operator and covered by CERTIFICATE_ARN. */
  | { readonly kind: "given"; readonly domainName: string };

/** Where the load balancer's certificate comes from. */
export type LoadBalancerCertificatePlan =
  /** CERTIFICATE_ARN. */
  | { readonly kind: "given"; readonly certificateArn: string }
  /** An ACM certificate for `domainName`, validated through a record in the public zone `zoneName`. */
  | { readonly kind: "dns-validated"; readonly domainName: string; readonly zoneName: string }
  /** A generated self-signed certificate (clients must trust it explicitly; CloudFront cannot use it). */
  | { readonly kind: "self-signed"; readonly commonName: string };

/** CloudFront's origin name, or undefined when CloudFront is off (or, for settings loadSettings() refuses, has none). */
export function cloudFrontOrigin(s: Settings): CloudFrontOrigin | undefined {
  if (!s.cloudFront.enabled) return undefined;
  if (s.cloudFront.originDomain) return { kind: "given", domainName: s.cloudFront.originDomain };
  const zoneName = s.dns.hostedZoneName;
  if (!zoneName || !regionFacts(s.region).publicRoute53) return undefined;
  return { kind: "zone-record", domainName: `${s.dns.recordLabel ?? s.deploymentName}-origin.${zoneName}`, zoneName };
}

/**
 * CERTIFICATE_ARN when given; otherwise a DNS-validated ACM certificate when the load balancer's name lives in a
 * public zone (CloudFront's origin record, or the Route 53 record of a public load balancer); otherwise self-signed.
 */
export function loadBalancerCertificatePlan(s: Settings): LoadBalancerCertificatePlan {
  if (s.dns.albCertificateArn) return { kind: "given", certificateArn: s.dns.albCertificateArn };
  const origin = cloudFrontOrigin(s);
  if (origin?.kind === "zone-record") return { kind: "dns-validated", domainName: origin.domainName, zoneName: origin.zoneName };
  const { useRoute53, hostedZoneName, fqdn } = s.dns;
  const publicRecord = !s.cloudFront.enabled && s.network.publicLoadBalancer && useRoute53 && regionFacts(s.region).publicRoute53;
  if (publicRecord && hostedZoneName && fqdn) return { kind: "dns-validated", domainName: fqdn, zoneName: hostedZoneName };
  return { kind: "self-signed", commonName: useRoute53 && fqdn ? fqdn : "gateway.internal" };
}
