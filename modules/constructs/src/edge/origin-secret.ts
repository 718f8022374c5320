import { Password } from "@cdktf/provider-random/lib/password";
import { Construct } from "constructs";
import { GatewaySecret } from "../secret";
import { ensureRandomProvider } from "./providers";
import { requireInteger } from "../validation";

/** Header CloudFront adds to every origin request and the ALB requires. */
export const ORIGIN_SECRET_HEADER = "X-Origin-Verify";

export interface OriginSecretProps {
  /**
   * Secrets Manager name prefix of the stored value, e.g. "<prefix>/cloudfront-origin-secret" (a unique suffix is
   * appended, so a redeploy within the recovery window of a destroyed secret does not collide).
   */
  readonly secretNamePrefix: string;
  /** Length of the generated value. Default 48 (alphanumeric, so the ALB header condition matches it literally). */
  readonly length?: number;
}

/**
 * The shared CloudFront -> ALB origin secret: generated once, kept in Secrets Manager (for rotation tooling and
 * audits) and referenced by the distribution and the listener rules. It is never a Terraform output.
 */
export class OriginSecret extends Construct {
  readonly headerName = ORIGIN_SECRET_HEADER;
  /** Terraform reference to the value (a token; never printed). */
  readonly value: string;
  readonly secretArn: string;

  constructor(scope: Construct, id: string, props: OriginSecretProps) {
    super(scope, id);
    ensureRandomProvider(this);
    const length = requireInteger("OriginSecret", "length", props.length ?? 48, 32, 128);
    this.value = new Password(this, "value", { length, special: false }).result;
    this.secretArn = new GatewaySecret(this, "secret", {
      namePrefix: props.secretNamePrefix,
      description: `Value of the ${ORIGIN_SECRET_HEADER} header CloudFront sends to the load balancer`,
      value: this.value,
    }).arn;
  }
}
