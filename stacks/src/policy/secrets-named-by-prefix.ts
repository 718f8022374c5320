// Every Secrets Manager secret is named by prefix: a deleted secret keeps its name for the recovery window, so a fixed
// name makes destroy-then-redeploy within that window fail.
import type { PolicyRule, Violation } from "./types";
import { resourcesOf } from "./terraform-json";

const id = "secrets-named-by-prefix";

export const secretsNamedByPrefix: PolicyRule = {
  id,
  description: "aws_secretsmanager_secret uses name_prefix, never a fixed name",
  check(stack, tf) {
    const out: Violation[] = [];
    for (const r of resourcesOf(tf, "aws_secretsmanager_secret")) {
      if (r.config.name !== undefined || typeof r.config.name_prefix !== "string") {
        out.push({ rule: id, stack, address: r.address, message: "set name_prefix instead of name (redeploys within the recovery window fail)" });
      }
    }
    return out;
  },
};
