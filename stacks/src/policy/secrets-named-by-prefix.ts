// Every Secrets Manager secret is named by prefix: a deleted secret keeps its name for the recovery window, so a fixed
// name makes destroy-then-redeploy within that window fail.
import { policyRule } from "./rule";
import { resourcesOf } from "./terraform-json";

export const secretsNamedByPrefix = policyRule(
  "secrets-named-by-prefix",
  "aws_secretsmanager_secret uses name_prefix, never a fixed name",
  (tf, report) => {
    for (const r of resourcesOf(tf, "aws_secretsmanager_secret")) {
      if (r.config.name !== undefined || typeof r.config.name_prefix !== "string") {
        report(r.address, "set name_prefix instead of name (redeploys within the recovery window fail)");
      }
    }
  },
);
