// Builds policy rules: a rule's check reports each violation it finds by address and message; the rule id and the
// stack name are added here, once.
import type { PolicyRule, TerraformJson, Violation } from "./types";

/** Reports one violation at a Terraform address. */
export type Report = (address: string, message: string) => void;

/** Violations `find` reports, attributed to `rule` in `stack`. */
export function collectViolations(rule: string, stack: string, find: (report: Report) => void): Violation[] {
  const out: Violation[] = [];
  find((address, message) => out.push({ rule, stack, address, message }));
  return out;
}

/** A policy rule from its id (the file name), a description and a check over one stack's JSON. */
export function policyRule(id: string, description: string, find: (tf: TerraformJson, report: Report) => void): PolicyRule {
  return { id, description, check: (stack, tf) => collectViolations(id, stack, (report) => find(tf, report)) };
}
