// The gateway's buckets: LiteLLM config (versioned, content-addressed object), LiteLLM callback logs, ALB access logs.
import { Construct } from "constructs";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { accountRootArn, albLogDelivery } from "@gw/partition";
import type { PolicyStatement } from "../iam";
import { SecureBucket } from "./secure-bucket";

export interface ConfigBucketProps {
  readonly bucketName: string;
  /** Rendered LiteLLM config YAML. */
  readonly configYaml: string;
  /** sha256 hex of configYaml; part of the object key, so a config change is a new object and rolls the service. */
  readonly configHash: string;
  /** Key prefix. @default "litellm/" */
  readonly keyPrefix?: string;
}

/** Object key of a rendered config: `<prefix>config-<first 16 hex of hash>.yaml`. */
export function configObjectKey(configHash: string, keyPrefix = "litellm/"): string {
  if (!/^[0-9a-f]{16,64}$/.test(configHash)) throw new Error(`configObjectKey: configHash must be lowercase hex (got "${configHash}")`);
  return `${keyPrefix}config-${configHash.slice(0, 16)}.yaml`;
}

export class ConfigBucket extends Construct {
  readonly bucket: SecureBucket;
  readonly objectKey: string;

  constructor(scope: Construct, id: string, props: ConfigBucketProps) {
    super(scope, id);
    if (!props.configYaml.trim()) throw new Error("ConfigBucket: configYaml must not be empty");
    this.bucket = new SecureBucket(this, "Bucket", { bucketName: props.bucketName, versioned: true });
    this.objectKey = configObjectKey(props.configHash, props.keyPrefix);
    new S3Object(this, "Config", {
      bucket: this.bucket.bucket.id,
      key: this.objectKey,
      content: props.configYaml,
      contentType: "application/yaml",
      dependsOn: this.bucket.versioning ? [this.bucket.versioning] : undefined,
    });
  }
}

export interface AlbLogBucketProps {
  readonly region: string;
  readonly bucketName: string;
  /** Expire access logs after this many days. @default 90 */
  readonly expirationDays?: number;
}

/** Bucket policy statement letting the region's ELB log delivery write into `bucketArn/*`. */
export function albLogDeliveryStatement(region: string, bucketArn: string): PolicyStatement {
  const delivery = albLogDelivery(region);
  return {
    Sid: "AlbAccessLogDelivery",
    Effect: "Allow",
    Principal:
      delivery.kind === "elb-account"
        ? { AWS: accountRootArn(delivery.accountId, region) }
        : { Service: delivery.principal },
    Action: "s3:PutObject",
    Resource: `${bucketArn}/*`,
  };
}

export class AlbLogBucket extends Construct {
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: AlbLogBucketProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, "Bucket", {
      bucketName: props.bucketName,
      expirationDays: props.expirationDays ?? 90,
      extraPolicyStatements: (bucketArn) => [albLogDeliveryStatement(props.region, bucketArn)],
    });
  }
}
