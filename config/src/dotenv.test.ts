import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDotenv } from "./dotenv";
import { SettingsError } from "./errors";
import { loadSettings } from "./settings";

describe("parseDotenv", () => {
  it("reads KEY=VALUE with quotes, comments, export prefix and escapes", () => {
    const text = [
      "# comment",
      "",
      "PLAIN=value",
      "export EXPORTED=yes",
      "SPACED = padded value  ",
      'DOUBLE="two words # not a comment"',
      "SINGLE='literal \\n $HOME'",
      'ESCAPED="line1\\nline2 \\"quoted\\""',
      "INLINE=value # trailing comment",
      "EMPTY=",
      'MULTI="first',
      'second"',
      "URL=https://example.com/a#b",
      "PLAIN=override",
    ].join("\n");
    const { entries, errors } = parseDotenv(text);
    expect(errors).toEqual([]);
    const map = Object.fromEntries(entries.map((e) => [e.key, e.value]));
    expect(map).toEqual({
      PLAIN: "override",
      EXPORTED: "yes",
      SPACED: "padded value",
      DOUBLE: "two words # not a comment",
      SINGLE: "literal \\n $HOME",
      ESCAPED: 'line1\nline2 "quoted"',
      INLINE: "value",
      EMPTY: "",
      MULTI: "first\nsecond",
      URL: "https://example.com/a#b",
    });
    expect(entries.find((e) => e.key === "EXPORTED")?.line).toBe(4);
  });

  it("reports malformed lines with their numbers", () => {
    const { errors } = parseDotenv(['GOOD=1', "no equals sign", "1BAD=x", 'OPEN="never closed', ].join("\n"));
    expect(errors).toEqual([
      "line 2: expected KEY=VALUE",
      'line 3: "1BAD" is not a valid variable name',
      "line 4: OPEN has an unterminated double quote",
    ]);
    expect(parseDotenv("A='x' trailing").errors).toEqual(["line 1: unexpected text after the closing quote of A"]);
  });

  it("handles CRLF line endings and a byte-order mark", () => {
    const { entries } = parseDotenv("\uFEFFA=1\r\nB=2\r\n");
    expect(entries.map((e) => [e.key, e.value])).toEqual([["A", "1"], ["B", "2"]]);
  });
});

describe("loadSettings with a .env file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gw-config-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads .env from cwd; the environment wins", () => {
    writeFileSync(join(dir, ".env"), "AWS_REGION=eu-central-1\nDEPLOYMENT_NAME=from-file\nexport MAX_CAPACITY=6\n");
    const { settings } = loadSettings({ cwd: dir, env: { DEPLOYMENT_NAME: "from-env" } });
    expect(settings.region).toBe("eu-central-1");
    expect(settings.deploymentName).toBe("from-env");
    expect(settings.capacity.max).toBe(6);
  });

  it("warns about unknown names with a suggestion", () => {
    writeFileSync(join(dir, ".env"), "USE_CLOUDFONT=false\nSOMETHING_ELSE=1\n");
    const { warnings } = loadSettings({ cwd: dir, env: {} });
    expect(warnings).toContain(".env line 1: USE_CLOUDFONT is not a known setting and is ignored (did you mean USE_CLOUDFRONT?).");
    expect(warnings.some((w) => w.startsWith(".env line 2: SOMETHING_ELSE is not a known setting and is ignored."))).toBe(true);
  });

  it("reports malformed lines and a missing explicit file together with other problems", () => {
    writeFileSync(join(dir, "bad.env"), "MIN_CAPACITY=zero\nthis is not valid\n");
    const err = (() => {
      try {
        loadSettings({ cwd: dir, envFile: "bad.env", env: {} });
      } catch (e) {
        return e as SettingsError;
      }
    })();
    expect(err).toBeInstanceOf(SettingsError);
    expect(err!.problems.map((p) => p.variable)).toEqual([".env", "MIN_CAPACITY"]);
    expect(() => loadSettings({ cwd: dir, envFile: "missing.env", env: {} })).toThrow(/missing\.env does not exist/);
  });

  it("no .env file and envFile:false are both fine", () => {
    expect(loadSettings({ cwd: dir, env: {} }).settings.region).toBe("us-east-1");
    writeFileSync(join(dir, ".env"), "AWS_REGION=eu-west-1\n");
    expect(loadSettings({ cwd: dir, env: {}, envFile: false }).settings.region).toBe("us-east-1");
  });
});
