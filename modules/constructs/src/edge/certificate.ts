import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { PrivateKey } from "@cdktf/provider-tls/lib/private-key";
import { SelfSignedCert } from "@cdktf/provider-tls/lib/self-signed-cert";
import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { ensureTlsProvider } from "./providers";

export interface LoadBalancerCertificateProps {
  /**
   * ACM certificate ARN in the deployment region. Default: undefined = a DNS-validated ACM certificate when
   * `dnsValidation` is given, else a generated self-signed one (synth warning).
   */
  readonly certificateArn?: string;
  /**
   * Public hosted zone in which ACM validates a certificate for `commonName` (records created here). Default none.
   */
  readonly dnsValidationZoneId?: string;
  /** Name of the setting that supplies certificateArn, for the warning (e.g. "CERTIFICATE_ARN"). */
  readonly setting: string;
  /** Common name / DNS name of the generated certificate. Default "gateway.internal". */
  readonly commonName?: string;
  /** Annotate a synth warning when generating. Default true (false when the settings loader already warns). */
  readonly warn?: boolean;
  /** Validity of the generated certificate in hours. Default 8760 (one year); renewed 30 days early on apply. */
  readonly validityHours?: number;
}

/**
 * The ALB certificate: the given ACM ARN; or, with a public zone, an ACM certificate for `commonName` validated
 * through Route 53; or a generated self-signed certificate imported into ACM. Clients must skip verification of a
 * self-signed certificate and CloudFront cannot use it as an HTTPS origin, hence the warning.
 */
export class LoadBalancerCertificate extends Construct {
  readonly certificateArn: string;
  readonly selfSigned: boolean;
  /** How the certificate was obtained. */
  readonly source: "given" | "dns-validated" | "self-signed";

  constructor(scope: Construct, id: string, props: LoadBalancerCertificateProps) {
    super(scope, id);
    if (props.certificateArn !== undefined && props.certificateArn !== "") {
      this.certificateArn = props.certificateArn;
      this.selfSigned = false;
      this.source = "given";
      return;
    }
    const commonName = props.commonName ?? "gateway.internal";
    if (props.dnsValidationZoneId !== undefined) {
      const requested = new AcmCertificate(this, "requested", {
        domainName: commonName,
        validationMethod: "DNS",
        lifecycle: { createBeforeDestroy: true },
      });
      const option = requested.domainValidationOptions.get(0);
      const record = new Route53Record(this, "validation-record", {
        zoneId: props.dnsValidationZoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
      });
      this.certificateArn = new AcmCertificateValidation(this, "validation", {
        certificateArn: requested.arn,
        validationRecordFqdns: [record.fqdn],
      }).certificateArn;
      this.selfSigned = false;
      this.source = "dns-validated";
      return;
    }
    ensureTlsProvider(this);
    const key = new PrivateKey(this, "key", { algorithm: "RSA", rsaBits: 2048 });
    const cert = new SelfSignedCert(this, "cert", {
      privateKeyPem: key.privateKeyPem,
      subject: [{ commonName, organization: "AI Gateway (self-signed)" }],
      dnsNames: [commonName],
      validityPeriodHours: props.validityHours ?? 8760,
      earlyRenewalHours: 720,
      allowedUses: ["key_encipherment", "digital_signature", "server_auth"],
    });
    const imported = new AcmCertificate(this, "imported", {
      privateKey: key.privateKeyPem,
      certificateBody: cert.certPem,
      lifecycle: { createBeforeDestroy: true },
    });
    this.certificateArn = imported.arn;
    this.selfSigned = true;
    this.source = "self-signed";
    if (props.warn === false) return;
    Annotations.of(this).addWarning(
      `${props.setting} is not set: the load balancer uses a generated self-signed certificate for "${commonName}". ` +
        `Clients must trust it explicitly and CloudFront cannot use it as an HTTPS origin; set ${props.setting} to an ACM certificate.`,
    );
  }
}
