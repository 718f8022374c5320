import { describe, expect, it } from "vitest";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SecureBucket } from "@gw/constructs/storage/secure-bucket";
import { encryptionAtRest } from "./encryption-at-rest";
import { synthConstructs } from "@gw/constructs/testing";
import { runPolicies } from "./index";
import { synthApp } from "../test-support";

describe("encryption-at-rest", () => {
  it("passes on the synthesized us-east-1 stacks", () => {
    const { stacks } = synthApp("us-east-1");
    expect(runPolicies(stacks, [encryptionAtRest])).toEqual([]);
  });

  it("catches unencrypted RDS, ElastiCache, S3, ECR and log groups", () => {
    const tf = synthConstructs((s) => {
      new S3Bucket(s, "plain", { bucket: "plain-bucket" });
      new SecureBucket(s, "good", { bucketName: "good-bucket" });
      new DbInstance(s, "db", { instanceClass: "db.t4g.small", engine: "postgres", storageEncrypted: false });
      new ElasticacheReplicationGroup(s, "redis", { replicationGroupId: "r", description: "r", atRestEncryptionEnabled: "false" });
      new EcrRepository(s, "repo", { name: "repo" });
      new CloudwatchLogGroup(s, "logs", { name: "/x", retentionInDays: 7 });
    });
    const found = encryptionAtRest.check("crafted", tf).map((v) => v.address.split(".")[0]);
    expect(found.sort()).toEqual(["aws_cloudwatch_log_group", "aws_db_instance", "aws_ecr_repository", "aws_elasticache_replication_group", "aws_s3_bucket"]);
  });
});
