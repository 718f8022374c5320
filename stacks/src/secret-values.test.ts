// No secret value from the settings may reach synthesized Terraform JSON or the synth summary: operators keep
// `pnpm synth` output as a CI artifact. A .env full of distinct random secrets is synthesized for the whole region
// matrix (every optional stack on), in memory and through synth-cli in a child process.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Testing } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { loadSettings } from "@gw/config";
import { PROVIDER_KEY_NAMES } from "@gw/config/variables";
import { buildApp } from "./app";
import { formatSummaries, summarizeStack } from "./summary";
import { REGION_MATRIX } from "./region-matrix";
import { stackWarnings } from "@gw/constructs/warnings";

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, "..", "..", "node_modules", ".bin", "tsx");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const upper = (n: number) => Array.from(randomBytes(n), (b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[b % 32]).join("");

/** Every secret variable the settings read, each with a distinct random value. */
const SECRETS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(PROVIDER_KEY_NAMES.map((k) => [k, `sk-${k.toLowerCase()}-${hex(12)}`])),
  LANGSMITH_API_KEY: `lsv2-${hex(16)}`,
  LANGFUSE_SECRET_KEY: `sk-lf-${hex(16)}`,
  GLOBAL_BEDROCK_ACCESS_KEY_ID: `AKIA${upper(16)}`,
  GLOBAL_BEDROCK_SECRET_ACCESS_KEY: randomBytes(30).toString("base64"),
};

function projectDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "gw-secret-values-"));
  dirs.push(dir);
  const lines = [...Object.entries(SECRETS).map(([k, v]) => `${k}="${v}"`), "LANGFUSE_PUBLIC_KEY=pk-lf-public"];
  writeFileSync(join(dir, ".env"), `${lines.join("\n")}\n`);
  return dir;
}

/** Names of the secrets whose value occurs in `text`. */
function leaked(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const dir = projectDir();

describe.each(REGION_MATRIX)("secret values in %s", (region) => {
  const loaded = loadSettings({ env: { AWS_REGION: region }, cwd: dir });
  const { stacks } = buildApp(loaded, { env: {}, fakeLlm: true, bastion: true, localStateDir: dir });
  const texts = Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, Testing.synth(stack)]));

  it("are read from the .env (so the test would see them if they leaked)", () => {
    expect(loaded.settings.providerKeys).toEqual(PROVIDER_KEY_NAMES);
    expect(Object.keys(loaded.secrets).length).toBeGreaterThanOrEqual(PROVIDER_KEY_NAMES.length + 2);
    expect(Object.keys(stacks).sort()).toEqual(["base", "bastion", "ecs", "eks", "fake-llm"]);
  });

  it("appear in no stack's JSON, which references sensitive variables instead", () => {
    for (const [name, text] of Object.entries(texts)) expect(leaked(text), name).toEqual([]);
    const base = JSON.parse(texts.base!);
    expect(Object.values(base.variable).every((v) => (v as { sensitive?: boolean }).sensitive === true)).toBe(true);
  });

  it("appear in no summary line or warning", () => {
    const summaries = Object.entries(texts).map(([name, text]) => summarizeStack(name, JSON.parse(text)));
    const warnings = [...loaded.warnings, ...Object.values(stacks).flatMap((s) => stackWarnings(s))];
    expect(leaked(formatSummaries(summaries, warnings))).toEqual([]);
  });
});

describe("synth-cli with a .env of secrets", () => {
  it("prints and writes no secret value", async () => {
    const cwd = projectDir();
    const { stdout, stderr } = await promisify(execFile)(tsx, [join(here, "synth-cli.ts")], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: cwd, AWS_REGION: "cn-north-1", ENABLE_FAKE_LLM_STACK: "true", ENABLE_BASTION_STACK: "true" },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/^stack base: /m);
    expect(leaked(stdout + stderr)).toEqual([]);
    const files = filesUnder(join(cwd, "cdktf.out"));
    expect(files.filter((f) => f.endsWith("cdk.tf.json"))).toHaveLength(5);
    for (const f of files) expect(leaked(readFileSync(f, "utf8")), f).toEqual([]);
  });
});
