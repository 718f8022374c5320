import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { DataAwsCloudfrontCachePolicy } from "@cdktf/provider-aws/lib/data-aws-cloudfront-cache-policy";
import { DataAwsCloudfrontOriginRequestPolicy } from "@cdktf/provider-aws/lib/data-aws-cloudfront-origin-request-policy";
import type { CloudFrontSettings } from "@gw/config/types";
import { Construct } from "constructs";
import { requireInteger } from "../validation";

/** AWS-managed CloudFront policies, looked up by name (ids differ between partitions). */
export const CACHING_DISABLED_POLICY = "Managed-CachingDisabled";
export const ALL_VIEWER_EXCEPT_HOST_POLICY = "Managed-AllViewerExceptHostHeader";

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
}

/**
 * CloudFront in front of the ALB: HTTPS-only to the origin (TLS 1.2), secret origin header, caching disabled and
 * every viewer header but Host forwarded (API traffic), a long origin read timeout for LLM calls.
 */
export class GatewayDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: GatewayDistributionProps) {
    super(scope, id);
    const aliases = props.aliases ?? [];
    if (aliases.length > 0 && props.viewerCertificate.kind === "default") {
      throw new Error("viewerCertificate: aliases need a certificate (CLOUDFRONT_CERTIFICATE_ARN); the default certificate only covers *.cloudfront.net");
    }
    const readTimeout = requireInteger("GatewayDistribution", "originReadTimeoutSeconds", props.settings.originReadTimeoutSeconds, 1, 180);

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
        // Streams (SSE, event-stream) must not be buffered for compression.
        compress: false,
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate,
    });
  }
}
