// Every CloudWatch log group has a finite retention.
import { policyRule } from "./rule";
import { resourcesOf } from "./terraform-json";

export const logRetention = policyRule(
  "log-retention",
  "CloudWatch log groups set retention_in_days (never-expire is not allowed)",
  (tf, report) => {
    for (const r of resourcesOf(tf, "aws_cloudwatch_log_group")) {
      const days = r.config.retention_in_days;
      const ok = (typeof days === "number" && days > 0) || (typeof days === "string" && /^\$\{|^[1-9]\d*$/.test(days));
      if (!ok) report(r.address, "retention_in_days is not set to a positive number");
    }
  },
);
