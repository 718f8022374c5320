import { describe, expect, it } from "vitest";
import { accountRootArn, albLogDelivery } from "@gw/partition";
import { AlbLogBucket, ConfigBucket, albLogDeliveryStatement, configObjectKey } from "./buckets";
import { SecureBucket } from "./secure-bucket";
import { resources, single, synthConstructs } from "../testing";

const HASH = "ab".repeat(32);

describe("SecureBucket", () => {
  const tf = synthConstructs((s) => new SecureBucket(s, "B", { bucketName: "gw-test-bucket", expirationDays: 30 }));

  it("blocks public access four ways and enforces bucket-owner ownership", () => {
    expect(single(tf, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(single(tf, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
    expect(single(tf, "aws_s3_bucket").force_destroy).toBe(false);
  });

  it("encrypts by default and denies non-TLS requests", () => {
    expect(single(tf, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
    const policy = JSON.parse(single(tf, "aws_s3_bucket_policy").policy);
    expect(policy.Statement[0]).toMatchObject({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("expires objects when asked and is unversioned by default", () => {
    const rule = single(tf, "aws_s3_bucket_lifecycle_configuration").rule[0];
    expect(rule.expiration).toEqual([{ days: 30 }]);
    expect(resources(tf, "aws_s3_bucket_versioning")).toHaveLength(0);
  });

  it("names the offending prop", () => {
    expect(() => synthConstructs((s) => new SecureBucket(s, "B", { bucketName: "Bad_Name" }))).toThrow(/bucketName/);
    expect(() => synthConstructs((s) => new SecureBucket(s, "B", { bucketName: "ok-name", expirationDays: -1 }))).toThrow(/expirationDays/);
  });
});

describe("ConfigBucket", () => {
  it("is versioned and stores the rendered config under a key containing the hash", () => {
    const tf = synthConstructs((s) => new ConfigBucket(s, "C", { bucketName: "gw-config", configYaml: "model_list: []\n", configHash: HASH }));
    expect(single(tf, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    const obj = single(tf, "aws_s3_object");
    expect(obj.key).toBe(configObjectKey(HASH));
    expect(obj.key).toContain(HASH.slice(0, 16));
    expect(obj.content).toBe("model_list: []\n");
  });
  it("rejects a non-hex hash and an empty config", () => {
    expect(() => configObjectKey("not-a-hash")).toThrow(/configHash/);
    expect(() => synthConstructs((s) => new ConfigBucket(s, "C", { bucketName: "gw-config", configYaml: " ", configHash: HASH }))).toThrow(/configYaml/);
  });
});

describe("AlbLogBucket", () => {
  for (const region of ["us-east-1", "eu-central-2", "cn-north-1", "us-gov-west-1"]) {
    it(`lets the ${region} log delivery principal write objects`, () => {
      const tf = synthConstructs((s) => new AlbLogBucket(s, "A", { region, bucketName: "gw-alb-logs" }));
      const statements = JSON.parse(single(tf, "aws_s3_bucket_policy").policy).Statement;
      const delivery = albLogDelivery(region);
      const expected = delivery.kind === "elb-account" ? { AWS: accountRootArn(delivery.accountId, region) } : { Service: delivery.principal };
      expect(statements[1]).toMatchObject({ Effect: "Allow", Action: "s3:PutObject", Principal: expected });
      expect(single(tf, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
    });
  }
  it("uses both delivery kinds across the matrix", () => {
    const kinds = new Set(["us-east-1", "eu-central-2"].map((r) => (albLogDeliveryStatement(r, "b").Principal as object & { AWS?: string }).AWS ? "elb-account" : "service-principal"));
    expect(kinds).toEqual(new Set(["elb-account", "service-principal"]));
  });
});
