// An S3 bucket with the defaults every gateway bucket needs: encryption, all four public-access blocks, bucket-owner
// ownership (no ACLs), a TLS-only policy, optional versioning and expiry.
import { Construct } from "constructs";
import { Token } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { policyDocument, type PolicyStatement } from "../iam";
import { requireInteger } from "../validation";

export interface SecureBucketProps {
  /** Globally unique bucket name (3-63 lowercase letters, digits, dots, hyphens); may end in a token such as the account id. */
  readonly bucketName: string;
  /** Keep object versions. @default false */
  readonly versioned?: boolean;
  /** SSE-KMS key ARN. @default - SSE-S3 (AES256), which ALB access logs require */
  readonly kmsKeyArn?: string;
  /** Expire current objects after this many days. @default - never */
  readonly expirationDays?: number;
  /** Expire noncurrent versions after this many days (versioned buckets). @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Extra statements for the bucket policy (e.g. log delivery). The TLS-only deny is always added. @default [] */
  readonly extraPolicyStatements?: (bucketArn: string) => readonly PolicyStatement[];
  /** Delete objects on destroy. @default false */
  readonly forceDestroy?: boolean;
}

export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  /** Versioning resource (depend on it before writing objects). */
  readonly versioning?: S3BucketVersioningA;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    // Names with a token (an account-id suffix) are checked without the token part.
    const literal = Token.isUnresolved(props.bucketName) ? props.bucketName.replace(/\$\{[^}]*\}/g, "0") : props.bucketName;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(literal)) {
      throw new Error(`SecureBucket: bucketName must be 3-63 lowercase letters, digits, dots or hyphens (got "${props.bucketName}")`);
    }
    for (const [prop, v] of [
      ["expirationDays", props.expirationDays],
      ["noncurrentVersionExpirationDays", props.noncurrentVersionExpirationDays],
    ] as const) {
      if (v !== undefined) requireInteger("SecureBucket", prop, v, 1);
    }
    this.bucket = new S3Bucket(this, "Resource", { bucket: props.bucketName, forceDestroy: props.forceDestroy ?? false });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    const pab = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "Ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: "AES256" },
          bucketKeyEnabled: props.kmsKeyArn ? true : undefined,
        },
      ],
    });
    if (props.versioned) {
      this.versioning = new S3BucketVersioningA(this, "Versioning", {
        bucket: this.bucket.id,
        versioningConfiguration: { status: "Enabled" },
      });
    }
    const rules = [
      {
        id: "abort-incomplete-uploads",
        status: "Enabled",
        filter: [{ prefix: "" }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        ...(props.expirationDays ? { expiration: [{ days: props.expirationDays }] } : {}),
        ...(props.versioned
          ? { noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }] }
          : {}),
      },
    ];
    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: this.bucket.id,
      rule: rules,
      dependsOn: this.versioning ? [this.versioning] : undefined,
    });
    new S3BucketPolicy(this, "Policy", {
      bucket: this.bucket.id,
      policy: policyDocument([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucketArn, `${this.bucketArn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        ...(props.extraPolicyStatements?.(this.bucketArn) ?? []),
      ]),
      dependsOn: [pab],
    });
  }
}
