// A small .env parser (KEY=VALUE, quotes, comments, `export ` prefix). Kept in-house: the format the older
// implementation used is a shell `source`, and we need precise line numbers in error messages.
import { existsSync, readFileSync } from "node:fs";

export interface DotenvEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

export interface DotenvResult {
  readonly entries: readonly DotenvEntry[];
  /** Lines that are not `KEY=VALUE`, as "line N: why". */
  readonly errors: readonly string[];
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\", $: "$" };

/**
 * Parses dotenv text. Double-quoted values support \n \r \t \" \\ escapes and may span lines; single-quoted values
 * are literal; unquoted values end at ` #` (inline comment) and are trimmed. Later keys override earlier ones.
 */
export function parseDotenv(text: string): DotenvResult {
  const entries: DotenvEntry[] = [];
  const errors: string[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("export ")) line = line.slice(7).trimStart();
    const eq = line.indexOf("=");
    if (eq <= 0) {
      errors.push(`line ${lineNo}: expected KEY=VALUE`);
      continue;
    }
    const key = line.slice(0, eq).trim();
    if (!KEY_RE.test(key)) {
      errors.push(`line ${lineNo}: "${key}" is not a valid variable name`);
      continue;
    }
    let rest = line.slice(eq + 1).trimStart();
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // Collect continuation lines until the closing quote (multi-line values such as PEM blocks).
      let body = rest.slice(1);
      let close = findClosingQuote(body, quote);
      while (close < 0 && i + 1 < lines.length) {
        i++;
        body += "\n" + lines[i]!;
        close = findClosingQuote(body, quote);
      }
      if (close < 0) {
        errors.push(`line ${lineNo}: ${key} has an unterminated ${quote === '"' ? "double" : "single"} quote`);
        continue;
      }
      const after = body.slice(close + 1).trim();
      if (after !== "" && !after.startsWith("#")) {
        errors.push(`line ${lineNo}: unexpected text after the closing quote of ${key}`);
        continue;
      }
      const raw = body.slice(0, close);
      const value = quote === '"' ? raw.replace(/\\(.)/g, (m, c: string) => ESCAPES[c] ?? m) : raw;
      entries.push({ key, value, line: lineNo });
    } else {
      const hash = rest.search(/\s#/);
      if (hash >= 0) rest = rest.slice(0, hash);
      entries.push({ key, value: rest.trim(), line: lineNo });
    }
  }
  return { entries, errors };
}

function findClosingQuote(body: string, quote: string): number {
  for (let j = 0; j < body.length; j++) {
    if (quote === '"' && body[j] === "\\") {
      j++;
      continue;
    }
    if (body[j] === quote) return j;
  }
  return -1;
}

/** Reads and parses a .env file; undefined when the file does not exist. */
export function readDotenvFile(path: string): DotenvResult | undefined {
  if (!existsSync(path)) return undefined;
  return parseDotenv(readFileSync(path, "utf8"));
}
