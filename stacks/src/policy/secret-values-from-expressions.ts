// A secret version's value comes from an expression (random provider, resource attribute, sensitive variable), never
// from a literal in the synthesized JSON; every variable it reads is declared sensitive.
import { policyRule } from "./rule";
import { resourcesOf } from "./terraform-json";

/** The one literal allowed: an empty JSON object. */
const EMPTY_JSON = "{}";

export const secretValuesFromExpressions = policyRule(
  "secret-values-from-expressions",
  "aws_secretsmanager_secret_version.secret_string is an expression; the variables it reads are sensitive",
  (tf, report) => {
    for (const r of resourcesOf(tf, "aws_secretsmanager_secret_version")) {
      const value = r.config.secret_string;
      if (value === undefined) continue;
      if (typeof value !== "string" || (!value.includes("${") && value !== EMPTY_JSON)) {
        report(r.address, "secret_string is a literal: take it from a sensitive variable or a generated value");
        continue;
      }
      for (const [, name] of value.matchAll(/\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
        if (tf.variable?.[name!]?.sensitive !== true) {
          report(r.address, `secret_string reads var.${name}, which is not declared sensitive`);
        }
      }
    }
  },
);
