import { SUPPORTED_REGIONS, regionFacts } from "./regions";
import { regionCaveats } from "./caveats";

export const REGION_TABLE_START = "<!-- region-table:start -->";
export const REGION_TABLE_END = "<!-- region-table:end -->";

const CLOUDFRONT_LABEL = { available: "yes", "icp-required": "ICP domain + IAM cert", absent: "no" } as const;

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The README region table, generated from the module's data (one row per supported region). */
export function regionTableMarkdown(): string {
  const rows = SUPPORTED_REGIONS.map((region) => {
    const f = regionFacts(region);
    const bedrock = f.bedrock.mode === "in-region" ? "in region" : `via ${f.bedrock.via} (global account)`;
    const caveats = regionCaveats(region);
    return `| ${region} | ${cell(f.displayName)} | ${f.partition} | ${CLOUDFRONT_LABEL[f.cloudFront]} | ${f.publicRoute53 ? "yes" : "no"} | ${
      f.ecrPublic ? "yes" : "no"
    } | ${bedrock} | ${caveats.length === 0 ? "" : caveats.map(cell).join("<br>")} |`;
  });
  return [
    "| Region | Name | Partition | CloudFront | Public Route 53 | ECR Public | Bedrock | Caveats |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/**
 * Replaces the text between the region-table markers with the generated table. Returns undefined when the markers are
 * missing or out of order.
 */
export function replaceRegionTable(document: string, table: string = regionTableMarkdown()): string | undefined {
  const start = document.indexOf(REGION_TABLE_START);
  const end = document.indexOf(REGION_TABLE_END);
  if (start < 0 || end < 0 || end < start) return undefined;
  return `${document.slice(0, start + REGION_TABLE_START.length)}\n${table}\n${document.slice(end)}`;
}

/** The text between the markers (trimmed), or undefined without markers. */
export function extractRegionTable(document: string): string | undefined {
  const start = document.indexOf(REGION_TABLE_START);
  const end = document.indexOf(REGION_TABLE_END);
  if (start < 0 || end < 0 || end < start) return undefined;
  return document.slice(start + REGION_TABLE_START.length, end).trim();
}
