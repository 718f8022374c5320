// Every bucket has a policy that denies requests without TLS (aws:SecureTransport = false).
import { policyRule } from "./rule";
import { asList, parsePolicy, referencedBy, resourcesOf } from "./terraform-json";

function deniesInsecureTransport(policy: unknown): boolean {
  return (parsePolicy(policy) ?? []).some((s) => {
    if (s.Effect !== "Deny") return false;
    const actions = asList(s.Action);
    if (!actions.includes("s3:*") && !actions.includes("*")) return false;
    const value = s.Condition?.Bool?.["aws:SecureTransport"];
    return value === "false" || value === false;
  });
}

export const tlsOnlyBuckets = policyRule(
  "tls-only-buckets",
  "S3 bucket policies deny every request made without TLS",
  (tf, report) => {
    const policies = referencedBy(tf, "aws_s3_bucket_policy", "bucket", "aws_s3_bucket");
    for (const r of resourcesOf(tf, "aws_s3_bucket")) {
      const attached = policies.get(r.name) ?? [];
      if (!attached.some((p) => deniesInsecureTransport(p.config.policy))) {
        report(r.address, "no bucket policy denying aws:SecureTransport=false for s3:*");
      }
    }
  },
);
