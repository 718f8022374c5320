// Data at rest is encrypted: RDS storage, ElastiCache at rest, S3 default encryption, ECR repositories (AES256 or
// KMS), CloudWatch log groups with a customer-managed KMS key.
import { policyRule } from "./rule";
import { asList, isTrue, referencedBy, resourcesOf } from "./terraform-json";

export const encryptionAtRest = policyRule(
  "encryption-at-rest",
  "RDS, ElastiCache, S3, ECR and CloudWatch log groups are encrypted at rest",
  (tf, v) => {
    for (const type of ["aws_db_instance", "aws_rds_cluster"]) {
      for (const r of resourcesOf(tf, type)) if (!isTrue(r.config.storage_encrypted)) v(r.address, "storage_encrypted is not true");
    }
    for (const r of resourcesOf(tf, "aws_elasticache_replication_group")) {
      if (!isTrue(r.config.at_rest_encryption_enabled)) v(r.address, "at_rest_encryption_enabled is not true");
    }
    const sse = referencedBy(tf, "aws_s3_bucket_server_side_encryption_configuration", "bucket", "aws_s3_bucket");
    for (const r of resourcesOf(tf, "aws_s3_bucket")) {
      const configs = sse.get(r.name) ?? [];
      const algorithms = configs.flatMap((c) =>
        asList(c.config.rule as Record<string, unknown>[] | undefined).flatMap((rule) =>
          asList(rule.apply_server_side_encryption_by_default as Record<string, unknown> | Record<string, unknown>[] | undefined).map(
            (d) => d.sse_algorithm,
          ),
        ),
      );
      if (!algorithms.some((a) => a === "AES256" || a === "aws:kms" || a === "aws:kms:dsse")) {
        v(r.address, "no server-side encryption configuration with AES256 or aws:kms");
      }
    }
    for (const r of resourcesOf(tf, "aws_ecr_repository")) {
      const types = asList(r.config.encryption_configuration as Record<string, unknown>[] | undefined).map((e) => e.encryption_type);
      if (!types.some((t) => t === "AES256" || t === "KMS")) v(r.address, "encryption_configuration must set encryption_type AES256 or KMS");
    }
    for (const r of resourcesOf(tf, "aws_cloudwatch_log_group")) {
      if (typeof r.config.kms_key_id !== "string" || r.config.kms_key_id === "") v(r.address, "kms_key_id is not set");
    }
  },
);
