import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import { DataAwsCloudfrontCachePolicy } from "@cdktf/provider-aws/lib/data-aws-cloudfront-cache-policy";
import { DataAwsCloudfrontOriginRequestPolicy } from "@cdktf/provider-aws/lib/data-aws-cloudfront-origin-request-policy";
import type { CloudFrontSettings } from "@gw/config/types";
import { Construct } from "constructs";
import { requireInteger } from "../validation";

/** AWS-managed CloudFront policies, looked up by name (ids differ between partitions). */
export const CACHING_DISABLED_POLICY = "Managed-CachingDisabled";
export const ALL_VIEWER_EXCEPT_HOST_POLICY = "Managed-AllViewerExceptHostHeader";

/** HSTS max-age: two years, the value HSTS preload lists ask for. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

export type ViewerCertificate =
  /** The distribution's own *.cloudfront.net name and certificate (commercial partition only). */
  | { readonly kind: "default" }
  /** ACM certificate in us-east-1 for the aliases. */
  | { readonly kind: "acm"; readonly certificateArn: string }
  /** IAM server certificate id (aws-cn: CloudFront there does not use ACM). */
  | { readonly kind: "iam"; readonly certificateId: string };

export interface GatewayDistributionProps {
  /** DNS name CloudFront connects to over HTTPS; the ALB certificate must be valid for it. */
  readonly originDomainName: string;
  /** Header CloudFront adds to every origin request (origin protection). */
  readonly originHeader: { readonly name: string; readonly value: string };
  /** Price class and origin read timeout (seconds) from the settings. */
  readonly settings: Pick<CloudFrontSettings, "priceClass" | "originReadTimeoutSeconds">;
  /** Alternate domain names; need an "acm" or "iam" certificate. Default none. */
  readonly aliases?: readonly string[];
  readonly viewerCertificate: ViewerCertificate;
  /** CLOUDFRONT-scope web ACL ARN. Default none (aws-cn has no CloudFront WAF). */
  readonly webAclArn?: string;
  readonly comment?: string;
  /**
   * Name of the response headers policy that adds the security headers (HSTS, nosniff, frame and referrer policy)
   * to every response; unique in the account (1-128 letters, digits, "_" or "-").
   */
  readonly securityHeadersPolicyName: string;
}

/**
 * CloudFront in front of the ALB: HTTPS-only to the origin (TLS 1.2), secret origin header, caching disabled and
 * every viewer header but Host forwarded (API traffic), a long origin read timeout for LLM calls, and security headers
 * on every response (the admin UI is served through the same distribution).
 */
export class GatewayDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly securityHeadersPolicy: CloudfrontResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: GatewayDistributionProps) {
    super(scope, id);
    const aliases = props.aliases ?? [];
    if (aliases.length > 0 && props.viewerCertificate.kind === "default") {
      throw new Error("viewerCertificate: aliases need a certificate (CLOUDFRONT_CERTIFICATE_ARN); the default certificate only covers *.cloudfront.net");
    }
    const readTimeout = requireInteger("GatewayDistribution", "originReadTimeoutSeconds", props.settings.originReadTimeoutSeconds, 1, 180);

    if (!/^[A-Za-z0-9_-]{1,128}$/.test(props.securityHeadersPolicyName)) {
      throw new Error(`GatewayDistribution: securityHeadersPolicyName must be 1-128 letters, digits, "_" or "-" (got "${props.securityHeadersPolicyName}")`);
    }
    // override: the headers replace whatever the origin sends, so LiteLLM's UI cannot weaken them. HSTS `preload`
    // only has an effect once the owner of the apex domain submits it to the browsers' preload list.
    this.securityHeadersPolicy = new CloudfrontResponseHeadersPolicy(this, "security-headers", {
      name: props.securityHeadersPolicyName,
      comment: "HSTS, nosniff, no framing, referrer policy",
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
      },
    });
    const cachePolicy = new DataAwsCloudfrontCachePolicy(this, "caching-disabled", { name: CACHING_DISABLED_POLICY });
    const originRequestPolicy = new DataAwsCloudfrontOriginRequestPolicy(this, "all-viewer-except-host", {
      name: ALL_VIEWER_EXCEPT_HOST_POLICY,
    });
    const vc = props.viewerCertificate;
    const viewerCertificate =
      vc.kind === "default"
        ? { cloudfrontDefaultCertificate: true }
        : vc.kind === "acm"
          ? { acmCertificateArn: vc.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }
          : { iamCertificateId: vc.certificateId, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" };

    this.distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: props.comment,
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass: props.settings.priceClass,
      aliases: aliases.length > 0 ? [...aliases] : undefined,
      webAclId: props.webAclArn,
      origin: [
        {
          originId: "alb",
          domainName: props.originDomainName,
          customHeader: [{ name: props.originHeader.name, value: props.originHeader.value }],
          customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
            originReadTimeout: readTimeout,
            originKeepaliveTimeout: 60,
          },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: "alb",
        // Browsers (admin UI) typing http:// get a redirect; nothing is ever served over plain HTTP.
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
        cachedMethods: ["GET", "HEAD"],
        cachePolicyId: cachePolicy.id,
        originRequestPolicyId: originRequestPolicy.id,
        // Every cache behaviour (today only this default one) carries the security headers.
        responseHeadersPolicyId: this.securityHeadersPolicy.id,
        // Streams (SSE, event-stream) must not be buffered for compression.
        compress: false,
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate,
    });
  }
}
