// Every bucket has a policy that denies requests without TLS (aws:SecureTransport = false).
import type { PolicyRule, Violation } from "./types";
import { asList, parsePolicy, referencedBy, resourcesOf } from "./terraform-json";

const id = "tls-only-buckets";

function deniesInsecureTransport(policy: unknown): boolean {
  return (parsePolicy(policy) ?? []).some((s) => {
    if (s.Effect !== "Deny") return false;
    const actions = asList(s.Action);
    if (!actions.includes("s3:*") && !actions.includes("*")) return false;
    const value = s.Condition?.Bool?.["aws:SecureTransport"];
    return value === "false" || value === false;
  });
}

export const tlsOnlyBuckets: PolicyRule = {
  id,
  description: "S3 bucket policies deny every request made without TLS",
  check(stack, tf) {
    const out: Violation[] = [];
    const policies = referencedBy(tf, "aws_s3_bucket_policy", "bucket", "aws_s3_bucket");
    for (const r of resourcesOf(tf, "aws_s3_bucket")) {
      const attached = policies.get(r.name) ?? [];
      if (!attached.some((p) => deniesInsecureTransport(p.config.policy))) {
        out.push({ rule: id, stack, address: r.address, message: "no bucket policy denying aws:SecureTransport=false for s3:*" });
      }
    }
    return out;
  },
};
