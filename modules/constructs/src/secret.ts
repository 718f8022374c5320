// One Secrets Manager secret with an optional version, and a recovery window (no immediate deletion).
import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";

export interface GatewaySecretProps {
  /** Secret name. */
  readonly name: string;
  /** What the secret holds (never the value). */
  readonly description: string;
  /** Secret string (may be a token). @default - no version; the operator puts the value */
  readonly value?: string;
  /** Days a deleted secret can be restored (7-30). @default 7 */
  readonly recoveryWindowDays?: number;
}

export class GatewaySecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: GatewaySecretProps) {
    super(scope, id);
    const recovery = props.recoveryWindowDays ?? 7;
    if (!Number.isInteger(recovery) || recovery < 7 || recovery > 30) {
      throw new Error(`GatewaySecret(${props.name}): recoveryWindowDays must be an integer from 7 to 30 (got ${recovery})`);
    }
    if (!props.name) throw new Error("GatewaySecret: name must not be empty");
    this.secret = new SecretsmanagerSecret(this, "Resource", {
      name: props.name,
      description: props.description,
      recoveryWindowInDays: recovery,
    });
    if (props.value !== undefined) {
      new SecretsmanagerSecretVersion(this, "Value", { secretId: this.secret.id, secretString: props.value });
    }
    this.arn = this.secret.arn;
  }
}
