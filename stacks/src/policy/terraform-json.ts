// Helpers for reading synthesized Terraform JSON in policy rules.
import type { TerraformJson } from "./types";

export interface ResourceEntry {
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly config: Record<string, unknown>;
}

export function resourcesOf(tf: TerraformJson, type: string): ResourceEntry[] {
  return Object.entries(tf.resource?.[type] ?? {}).map(([name, config]) => ({ type, name, address: `${type}.${name}`, config }));
}

export function dataSourcesOf(tf: TerraformJson, type: string): ResourceEntry[] {
  return Object.entries(tf.data?.[type] ?? {}).map(([name, config]) => ({ type, name, address: `data.${type}.${name}`, config }));
}

/** Name of the `type` resource a value references (`${aws_s3_bucket.NAME.id}`), if any. */
export function referencedName(value: unknown, type: string): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = new RegExp(`^\\$\\{${type.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.([A-Za-z0-9_-]+)\\.[a-z_]+\\}$`).exec(value);
  return m?.[1];
}

/** Set of `type` resource names referenced by the `field` of every `subType` resource. */
export function referencedBy(tf: TerraformJson, subType: string, field: string, type: string): Map<string, ResourceEntry[]> {
  const out = new Map<string, ResourceEntry[]>();
  for (const r of resourcesOf(tf, subType)) {
    const name = referencedName(r.config[field], type);
    if (name === undefined) continue;
    out.set(name, [...(out.get(name) ?? []), r]);
  }
  return out;
}

/** True for true / "true" (Terraform accepts both for booleans). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export interface IamStatement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Parses a policy JSON string; undefined when it is not a JSON policy (e.g. an HCL expression). */
export function parsePolicy(policy: unknown): IamStatement[] | undefined {
  if (typeof policy !== "string") return undefined;
  try {
    const doc = JSON.parse(policy) as { Statement?: IamStatement | IamStatement[] };
    if (!doc || typeof doc !== "object" || doc.Statement === undefined) return undefined;
    return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  } catch {
    return undefined;
  }
}

export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
