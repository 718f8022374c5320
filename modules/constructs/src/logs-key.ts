// Customer-managed KMS key for CloudWatch log groups (flow logs, RDS logs, container logs, EKS control plane).
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { accountRootArn, arn, dnsSuffix, servicePrincipal } from "@gw/partition";
import { policyDocument } from "./iam";
import { requireInteger } from "./validation";

export interface LogsKmsKeyProps {
  /** Region of the key and of the log groups it encrypts; decides the partition of ARNs and principals. */
  readonly region: string;
  /**
   * Provider the key is created with; must be in `region` (CloudWatch Logs only uses keys of its own region).
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  /** Account id (usually a DataAwsCallerIdentity token). */
  readonly accountId: string;
  /** Alias name without the "alias/" prefix. */
  readonly aliasName: string;
  /** Days before a deleted key is destroyed (7-30). @default 30 */
  readonly deletionWindowDays?: number;
}

/** CloudWatch Logs uses a regional service principal for KMS grants: logs.<region>.<dns suffix>. */
export function regionalLogsPrincipal(region: string): string {
  const global = servicePrincipal("logs", region);
  const suffix = dnsSuffix(region);
  if (!global.endsWith(suffix)) throw new Error(`regionalLogsPrincipal: unexpected logs principal for ${region}`);
  return `logs.${region}.${suffix}`;
}

export class LogsKmsKey extends Construct {
  readonly key: KmsKey;
  /** Key ARN to pass as kms_key_id of log groups. */
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: LogsKmsKeyProps) {
    super(scope, id);
    const deletionWindowDays = requireInteger("LogsKmsKey", "deletionWindowDays", props.deletionWindowDays ?? 30, 7, 30);
    if (!props.aliasName) throw new Error("LogsKmsKey: aliasName must not be empty");
    const root = accountRootArn(props.accountId, props.region);
    this.key = new KmsKey(this, "Resource", {
      provider: props.provider,
      description: `CloudWatch Logs encryption for ${props.aliasName}`,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy: policyDocument([
        {
          Sid: "AccountAdministersKeyThroughIam",
          Effect: "Allow",
          Principal: { AWS: root },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "CloudWatchLogsUsesKey",
          Effect: "Allow",
          Principal: { Service: regionalLogsPrincipal(props.region) },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnLike: {
              "kms:EncryptionContext:aws:logs:arn": arn(props.region, "logs", "log-group:*", { account: props.accountId }),
            },
          },
        },
      ]),
    });
    new KmsAlias(this, "Alias", { provider: props.provider, name: `alias/${props.aliasName}`, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
  }
}
