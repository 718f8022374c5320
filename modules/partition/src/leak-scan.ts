import { REGION_RECORDS } from "./region-data";
import { REGION_TABLE_END, REGION_TABLE_START } from "./region-table";
import { cloudFrontHostedZoneId } from "./endpoints";
import { SUPPORTED_REGIONS } from "./regions";

/**
 * Finds AWS names outside @gw/partition (STANDARDS.md: only the partition module may contain them). Pure functions
 * here; the repository walk lives in no-aws-names-outside-partition.test.ts.
 */
export interface LeakRule {
  readonly id: string;
  readonly description: string;
  /** Returns true when the line leaks. */
  readonly test: (line: string) => boolean;
}

export interface Leak {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly text: string;
}

const TWELVE_DIGITS = /(?<![\d.])\d{12}(?![\d.])/;
/** A UUID's last group can be twelve digits; it is not an account id. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Words that make a 12-digit literal an account id rather than an unrelated number. */
const ACCOUNT_CONTEXT = /arn|principal|account|iam::|:root|\.dkr\.|["']AWS["']|\bAWS\s*:|elb|owner/i;

/** Constants that are AWS names wherever they appear: ELB account ids and CloudFront alias zone ids. */
const KNOWN_AWS_CONSTANTS: readonly string[] = [
  ...new Set([
    ...Object.values(REGION_RECORDS).flatMap((r) => (r.elbAccountId ? [r.elbAccountId] : [])),
    ...SUPPORTED_REGIONS.flatMap((r) => {
      const zone = cloudFrontHostedZoneId(r);
      return zone ? [zone] : [];
    }),
  ]),
];

export const LEAK_RULES: readonly LeakRule[] = [
  { id: "arn-prefix", description: "ARN prefix (use arn()/arnPrefix())", test: (l) => /arn:aws/.test(l) },
  {
    id: "dns-suffix",
    description: "AWS DNS suffix, service principal or endpoint host (use dnsSuffix()/servicePrincipal()/serviceEndpoint())",
    test: (l) => /amazonaws\.com/i.test(l),
  },
  {
    id: "endpoint-service-name",
    description: "VPC endpoint service or managed prefix-list name (use vpcEndpointServiceName())",
    test: (l) => /\bcom\.amazonaws\./.test(l),
  },
  {
    id: "account-id",
    description: "12-digit account id in an ARN/principal/account context (use @gw/partition functions or EXAMPLE_ACCOUNT_ID)",
    test: (l) => TWELVE_DIGITS.test(l.replace(UUID, "")) && ACCOUNT_CONTEXT.test(l),
  },
  {
    id: "aws-constant",
    description: "ELB account id or CloudFront hosted zone id (use albLogDelivery()/cloudFrontHostedZoneId())",
    test: (l) => KNOWN_AWS_CONSTANTS.some((c) => l.includes(c)),
  },
];

/** Paths never scanned: the partition module itself, dependencies, generated output and lock files. */
export function isExcludedPath(path: string): boolean {
  const p = path.replace(/\\/g, "/");
  if (p.startsWith("modules/partition/")) return true;
  const segments = p.split("/");
  if (segments.some((s) => ["node_modules", "cdktf.out", ".terraform", "dist", "coverage", ".gen", ".git"].includes(s))) return true;
  const base = segments[segments.length - 1]!;
  return ["pnpm-lock.yaml", "package-lock.json", "yarn.lock", "npm-shrinkwrap.json", ".terraform.lock.hcl"].includes(base);
}

/**
 * Blanks the generated region table of the root README (it is rendered from this module and tested to match), keeping
 * line numbers intact.
 */
export function maskGeneratedSections(path: string, text: string): string {
  if (path !== "README.md") return text;
  const start = text.indexOf(REGION_TABLE_START);
  const end = text.indexOf(REGION_TABLE_END);
  if (start < 0 || end < start) return text;
  const inner = text.slice(start, end).replace(/[^\n]/g, "");
  return text.slice(0, start) + inner + text.slice(end);
}

export function scanText(path: string, text: string): Leak[] {
  const leaks: Leak[] = [];
  const lines = maskGeneratedSections(path, text).split("\n");
  lines.forEach((line, i) => {
    for (const rule of LEAK_RULES) {
      if (rule.test(line)) leaks.push({ file: path, line: i + 1, rule: rule.id, text: line.trim().slice(0, 160) });
    }
  });
  return leaks;
}

export function formatLeaks(leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.file}:${l.line} [${l.rule}] ${l.text}`).join("\n");
}
