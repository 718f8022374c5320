// Every bucket has a public access block with all four settings on.
import { policyRule } from "./rule";
import { isTrue, referencedBy, resourcesOf } from "./terraform-json";

export const PUBLIC_ACCESS_BLOCK_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

export const noPublicBuckets = policyRule(
  "no-public-buckets",
  "S3 buckets block public ACLs and policies (all four public-access-block settings)",
  (tf, report) => {
    const blocks = referencedBy(tf, "aws_s3_bucket_public_access_block", "bucket", "aws_s3_bucket");
    for (const r of resourcesOf(tf, "aws_s3_bucket")) {
      const pabs = blocks.get(r.name) ?? [];
      if (pabs.length === 0) {
        report(r.address, "no aws_s3_bucket_public_access_block");
        continue;
      }
      const off = PUBLIC_ACCESS_BLOCK_FLAGS.filter((f) => !pabs.some((p) => isTrue(p.config[f])));
      if (off.length > 0) report(r.address, `public access block misses ${off.join(", ")}`);
    }
  },
);
