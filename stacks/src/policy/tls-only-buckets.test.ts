import { describe, expect, it } from "vitest";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { SecureBucket } from "@gw/constructs/storage/secure-bucket";
import { tlsOnlyBuckets } from "./tls-only-buckets";
import { synthConstructs } from "@gw/constructs/testing";
import { runPolicies } from "./index";
import { synthApp } from "../test-support";

describe("tls-only-buckets", () => {
  it("passes on the synthesized cn-north-1 stacks", () => {
    const { stacks } = synthApp("cn-north-1");
    expect(runPolicies(stacks, [tlsOnlyBuckets])).toEqual([]);
  });

  it("catches a bucket without a policy and one whose policy allows plain HTTP", () => {
    const tf = synthConstructs((s) => {
      new S3Bucket(s, "nopolicy", { bucket: "no-policy" });
      const weak = new S3Bucket(s, "weak", { bucket: "weak" });
      new S3BucketPolicy(s, "weakpolicy", {
        bucket: weak.id,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" }] }),
      });
      new SecureBucket(s, "good", { bucketName: "good-bucket" });
    });
    expect(tlsOnlyBuckets.check("crafted", tf).map((v) => v.address).sort()).toEqual(["aws_s3_bucket.nopolicy", "aws_s3_bucket.weak"]);
  });
});
