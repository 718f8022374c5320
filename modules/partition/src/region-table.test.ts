import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REGION_TABLE_END, REGION_TABLE_START, SUPPORTED_REGIONS, extractRegionTable, regionCaveats, regionTableMarkdown, replaceRegionTable } from "./index";
import { ROOT_README, runRegionTableCli } from "./region-table-cli";

const tmp = mkdtempSync(join(tmpdir(), "gw-region-table-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("regionTableMarkdown", () => {
  const table = regionTableMarkdown();
  const lines = table.split("\n");

  it("has a header, a separator and one row per supported region, all with 8 cells", () => {
    expect(lines[0]).toMatch(/^\| Region \| Name \| Partition \| CloudFront \| Public Route 53 \| ECR Public \| Bedrock \| Caveats \|$/);
    expect(lines).toHaveLength(SUPPORTED_REGIONS.length + 2);
    for (const line of lines) expect(line.replace(/\\\|/g, "").split("|").length - 2).toBe(8);
    SUPPORTED_REGIONS.forEach((r, i) => expect(lines[i + 2]!.startsWith(`| ${r} |`)).toBe(true));
  });

  it("renders the facts of each partition", () => {
    const row = (r: string) => lines.find((l) => l.startsWith(`| ${r} |`))!;
    expect(row("us-east-1")).toContain("| aws | yes | yes | yes | in region |");
    expect(row("cn-north-1")).toContain("| aws-cn | ICP domain + IAM cert | yes | no | via aws (global account) |");
    expect(row("us-gov-west-1")).toContain("| aws-us-gov | no | no | no | in region |");
    for (const r of SUPPORTED_REGIONS) for (const c of regionCaveats(r)) expect(row(r)).toContain(c.replace(/\|/g, "\\|"));
  });
});

describe("replaceRegionTable / extractRegionTable", () => {
  it("replaces only the text between the markers and round-trips", () => {
    const doc = `# T\n\nbefore\n${REGION_TABLE_START}\nold\n${REGION_TABLE_END}\nafter\n`;
    const out = replaceRegionTable(doc, "| new |")!;
    expect(out).toBe(`# T\n\nbefore\n${REGION_TABLE_START}\n| new |\n${REGION_TABLE_END}\nafter\n`);
    expect(extractRegionTable(out)).toBe("| new |");
    expect(replaceRegionTable(out, "| new |")).toBe(out);
  });

  it("returns undefined without markers or with markers out of order", () => {
    expect(replaceRegionTable("no markers")).toBeUndefined();
    expect(replaceRegionTable(`${REGION_TABLE_END}\n${REGION_TABLE_START}`)).toBeUndefined();
    expect(extractRegionTable("x")).toBeUndefined();
  });
});

describe("root README", () => {
  // The README is generated from the module: when it carries the markers, the table between them must be current.
  it("matches regionTableMarkdown() between the markers, when present", () => {
    const readme = existsSync(ROOT_README) ? readFileSync(ROOT_README, "utf8") : "";
    const current = extractRegionTable(readme);
    if (current === undefined) {
      expect(readme.includes(REGION_TABLE_START) || readme.includes(REGION_TABLE_END), "only one region-table marker in README.md").toBe(false);
      return;
    }
    expect(current, "README region table is stale: run `tsx modules/partition/src/region-table-cli.ts --write`").toBe(regionTableMarkdown());
  });
});

describe("region-table-cli", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
  };

  it("--write rewrites the table between the markers of the given file, idempotently", () => {
    const file = join(tmp, "README.md");
    writeFileSync(file, `# Doc\n${REGION_TABLE_START}\nstale\n${REGION_TABLE_END}\ntail\n`);
    const a = io();
    expect(runRegionTableCli(["--write", "--file", file], a.io)).toBe(0);
    expect(a.out.join("")).toMatch(/^updated: /);
    const written = readFileSync(file, "utf8");
    expect(extractRegionTable(written)).toBe(regionTableMarkdown());
    expect(written.endsWith(`${REGION_TABLE_END}\ntail\n`)).toBe(true);
    const b = io();
    expect(runRegionTableCli(["--write", "--file", file], b.io)).toBe(0);
    expect(b.out.join("")).toMatch(/^unchanged: /);
  });

  it("--write refuses a file without markers and leaves it untouched", () => {
    const file = join(tmp, "plain.md");
    writeFileSync(file, "# no markers\n");
    const c = io();
    expect(runRegionTableCli(["--write", "--file", file], c.io)).toBe(1);
    expect(c.err.join("")).toContain(REGION_TABLE_START);
    expect(readFileSync(file, "utf8")).toBe("# no markers\n");
  });

  it("rejects unknown arguments", () => {
    const d = io();
    expect(runRegionTableCli(["--bogus"], d.io)).toBe(2);
    expect(d.err.join("")).toMatch(/Unknown argument "--bogus"/);
  });

  it("prints the table when run as a program", () => {
    const tsx = join(ROOT_README, "..", "node_modules", ".bin", "tsx");
    const cli = join(ROOT_README, "..", "modules", "partition", "src", "region-table-cli.ts");
    const out = execFileSync(tsx, [cli], { encoding: "utf8", timeout: 30_000 });
    expect(out).toBe(`${regionTableMarkdown()}\n`);
  });
});
