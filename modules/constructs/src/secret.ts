// One Secrets Manager secret with an optional version, and a recovery window (no immediate deletion).
//
// Secrets are named by prefix: Secrets Manager keeps a deleted secret's name reserved for the whole recovery window,
// so a fixed name makes destroy-then-redeploy within that window fail. Consumers find secrets by ARN (the SSM
// hand-off), never by name.
import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { requireInteger } from "./validation";

export interface GatewaySecretProps {
  /** Name prefix; Terraform appends `-` and a unique suffix (`name_prefix`). */
  readonly namePrefix: string;
  /** What the secret holds (never the value). */
  readonly description: string;
  /** Secret string (a token or Terraform expression; never a literal secret value). @default - no version; the operator puts the value */
  readonly value?: string;
  /** Days a deleted secret can be restored (7-30). @default 7 */
  readonly recoveryWindowDays?: number;
}

/** Characters Secrets Manager accepts in a name. */
const NAME_RE = /^[A-Za-z0-9/_+=.@-]+$/;

export class GatewaySecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: GatewaySecretProps) {
    super(scope, id);
    const prefix = props.namePrefix;
    if (!prefix || !NAME_RE.test(prefix)) {
      throw new Error(`GatewaySecret(${id}): namePrefix must be non-empty and use only A-Z a-z 0-9 / _ + = . @ - (got "${prefix}")`);
    }
    // 512 characters at most, and name_prefix adds "-" plus 26 characters.
    if (prefix.length > 512 - 27) {
      throw new Error(`GatewaySecret(${id}): namePrefix must be at most ${512 - 27} characters (got ${prefix.length})`);
    }
    const recovery = requireInteger(`GatewaySecret(${prefix})`, "recoveryWindowDays", props.recoveryWindowDays ?? 7, 7, 30);
    this.secret = new SecretsmanagerSecret(this, "Resource", {
      namePrefix: `${prefix}-`,
      description: props.description,
      recoveryWindowInDays: recovery,
    });
    if (props.value !== undefined) {
      new SecretsmanagerSecretVersion(this, "Value", { secretId: this.secret.id, secretString: props.value });
    }
    this.arn = this.secret.arn;
  }
}
