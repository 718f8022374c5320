// Prints the README region table; with --write, rewrites README.md between the region-table markers.
// Usage: tsx modules/partition/src/region-table-cli.ts [--write] [--file <path>]
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { REGION_TABLE_END, REGION_TABLE_START, regionTableMarkdown, replaceRegionTable } from "./region-table";

export const ROOT_README = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "README.md");

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Runs the CLI; returns the process exit code. */
export function runRegionTableCli(argv: readonly string[], io: CliIo): number {
  let write = false;
  let file = ROOT_README;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--write") write = true;
    else if (arg === "--file" && argv[i + 1]) file = resolve(argv[++i]!);
    else {
      io.err(`Unknown argument "${arg}". Usage: region-table-cli [--write] [--file <path>]`);
      return 2;
    }
  }
  const table = regionTableMarkdown();
  if (!write) {
    io.out(`${table}\n`);
    return 0;
  }
  const before = readFileSync(file, "utf8");
  const after = replaceRegionTable(before, table);
  if (after === undefined) {
    io.err(`${file} has no "${REGION_TABLE_START}" ... "${REGION_TABLE_END}" markers: add them where the table belongs.`);
    return 1;
  }
  if (after !== before) writeFileSync(file, after);
  io.out(`${after === before ? "unchanged" : "updated"}: ${file}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = runRegionTableCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(`${t}\n`),
  });
}
