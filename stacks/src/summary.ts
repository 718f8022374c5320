// Per-stack summary of synthesized Terraform JSON: resource counts by type, data sources, region and partition.
import { partitionOf, regionCaveats } from "@gw/partition";

export interface StackSummary {
  readonly stack: string;
  readonly region: string;
  readonly partition: string;
  readonly resourceCount: number;
  readonly resourcesByType: Readonly<Record<string, number>>;
  readonly dataSourceCount: number;
  readonly outputs: readonly string[];
  readonly backend: string;
}

type TfJson = {
  provider?: { aws?: { region?: string }[] };
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  output?: Record<string, unknown>;
  terraform?: { backend?: Record<string, unknown> };
};

export function summarizeStack(stack: string, json: TfJson): StackSummary {
  const region = json.provider?.aws?.[0]?.region ?? "unknown";
  const byType: Record<string, number> = {};
  for (const [type, instances] of Object.entries(json.resource ?? {})) byType[type] = Object.keys(instances).length;
  const dataSourceCount = Object.values(json.data ?? {}).reduce((n, v) => n + Object.keys(v).length, 0);
  let partition = "unknown";
  try {
    partition = partitionOf(region);
  } catch {
    /* region from a hand-written file: leave unknown */
  }
  return {
    stack,
    region,
    partition,
    resourceCount: Object.values(byType).reduce((a, b) => a + b, 0),
    resourcesByType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))),
    dataSourceCount,
    outputs: Object.keys(json.output ?? {}).sort(),
    backend: Object.keys(json.terraform?.backend ?? {})[0] ?? "local",
  };
}

export function formatSummaries(summaries: readonly StackSummary[], warnings: readonly string[] = []): string {
  const lines: string[] = [];
  for (const s of summaries) {
    lines.push(`stack ${s.stack}: ${s.resourceCount} resources, ${s.dataSourceCount} data sources, backend ${s.backend}, ${s.region} (${s.partition})`);
    const width = Math.max(0, ...Object.keys(s.resourcesByType).map((t) => t.length));
    for (const [type, n] of Object.entries(s.resourcesByType)) lines.push(`  ${type.padEnd(width)}  ${String(n).padStart(3)}`);
    if (s.outputs.length > 0) lines.push(`  outputs: ${s.outputs.join(", ")}`);
    lines.push("");
  }
  const region = summaries[0]?.region;
  const caveats = region && region !== "unknown" ? regionCaveats(region) : [];
  // Settings warnings repeat the region caveats as "<region>: <caveat>"; show each caveat once.
  const prefixed = new Set(caveats.map((c) => `${region}: ${c}`));
  const all = [...new Set([...caveats, ...warnings.filter((w) => !prefixed.has(w))])];
  if (all.length > 0) {
    lines.push("caveats and warnings:");
    for (const w of all) lines.push(`  - ${w}`);
  } else {
    lines.push("caveats and warnings: none");
  }
  return lines.join("\n");
}
