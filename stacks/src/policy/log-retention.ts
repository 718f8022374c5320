// Every CloudWatch log group has a finite retention.
import type { PolicyRule, Violation } from "./types";
import { resourcesOf } from "./terraform-json";

const id = "log-retention";

export const logRetention: PolicyRule = {
  id,
  description: "CloudWatch log groups set retention_in_days (never-expire is not allowed)",
  check(stack, tf) {
    const out: Violation[] = [];
    for (const r of resourcesOf(tf, "aws_cloudwatch_log_group")) {
      const days = r.config.retention_in_days;
      const ok = (typeof days === "number" && days > 0) || (typeof days === "string" && /^\$\{|^[1-9]\d*$/.test(days));
      if (!ok) out.push({ rule: id, stack, address: r.address, message: "retention_in_days is not set to a positive number" });
    }
    return out;
  },
};
