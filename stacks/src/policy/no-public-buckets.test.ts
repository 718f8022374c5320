import { describe, expect, it } from "vitest";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { SecureBucket } from "@gw/constructs/storage/secure-bucket";
import { noPublicBuckets } from "./no-public-buckets";
import { synthConstructs } from "@gw/constructs/testing";
import { runPolicies } from "./index";
import { synthApp } from "../test-support";

describe("no-public-buckets", () => {
  it("passes on the synthesized us-gov-west-1 stacks", () => {
    const { stacks } = synthApp("us-gov-west-1");
    expect(runPolicies(stacks, [noPublicBuckets])).toEqual([]);
  });

  it("catches a bucket without a block and one with only two of the four settings", () => {
    const tf = synthConstructs((s) => {
      new S3Bucket(s, "open", { bucket: "open" });
      const half = new S3Bucket(s, "half", { bucket: "half" });
      new S3BucketPublicAccessBlock(s, "halfblock", { bucket: half.id, blockPublicAcls: true, blockPublicPolicy: true });
      new SecureBucket(s, "good", { bucketName: "good-bucket" });
    });
    const violations = noPublicBuckets.check("crafted", tf);
    expect(violations.map((v) => v.address).sort()).toEqual(["aws_s3_bucket.half", "aws_s3_bucket.open"]);
    expect(violations.find((v) => v.address === "aws_s3_bucket.half")!.message).toMatch(/ignore_public_acls, restrict_public_buckets/);
  });
});
