// `pnpm --filter @gw/config readme [--check]`: writes the generated tables (variables, catalogs) into README.md,
// or with --check exits 1 when README.md is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CATALOG_TABLE_END, CATALOG_TABLE_START, catalogMarkdown } from "./catalog";
import { VARIABLES_TABLE_END, VARIABLES_TABLE_START, variablesMarkdown } from "./variables";

export const README_PATH = fileURLToPath(new URL("../README.md", import.meta.url));

function replaceBetween(text: string, start: string, end: string, body: string): string {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md lacks the markers ${start} … ${end}`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** README text with both generated tables brought up to date. */
export function updatedReadme(text: string): string {
  return replaceBetween(replaceBetween(text, VARIABLES_TABLE_START, VARIABLES_TABLE_END, variablesMarkdown()), CATALOG_TABLE_START, CATALOG_TABLE_END, catalogMarkdown());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const current = readFileSync(README_PATH, "utf8");
  const next = updatedReadme(current);
  if (process.argv.includes("--check")) {
    if (next !== current) {
      process.stderr.write("config/README.md is out of date: run pnpm --filter @gw/config readme\n");
      process.exitCode = 1;
    }
  } else if (next !== current) {
    writeFileSync(README_PATH, next);
  }
}
