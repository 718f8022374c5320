import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { POLICY_RULES, formatViolations, runPolicies } from "./index";

describe("runPolicies", () => {
  it("runs every rule (one per file) over every stack and reports each violation", () => {
    expect(POLICY_RULES.map((r) => r.id).sort()).toEqual(
      [
        "encryption-at-rest",
        "log-retention",
        "no-plaintext-forwarding-listener",
        "no-public-buckets",
        "no-secrets-in-task-env",
        "no-wildcard-iam-actions",
        "secret-values-from-expressions",
        "secrets-named-by-prefix",
        "security-group-rule-descriptions",
        "tls-only-buckets",
      ],
    );
    const bad = Testing.synthScope((s) => new S3Bucket(s, "bare", { bucket: "bare" }));
    const violations = runPolicies({ one: bad, two: JSON.parse(bad) });
    expect(violations.map((v) => `${v.stack}/${v.rule}`).sort()).toEqual([
      "one/encryption-at-rest",
      "one/no-public-buckets",
      "one/tls-only-buckets",
      "two/encryption-at-rest",
      "two/no-public-buckets",
      "two/tls-only-buckets",
    ]);
    expect(formatViolations(violations)).toContain("[no-public-buckets] one: aws_s3_bucket.bare: no aws_s3_bucket_public_access_block");
  });
});
