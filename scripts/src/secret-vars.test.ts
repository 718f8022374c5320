// `secret-vars` in a child process: its output, evaluated by a real shell, yields TF_VAR_* values that decode to
// exactly the secrets of the .env, shell- and HCL-escaped; nothing else is printed.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, "..", "..", "node_modules", ".bin", "tsx");
const script = join(here, "secret-vars.ts");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Decodes the `{"K" = "V", ...}` HCL objects secret-vars prints (JSON string literals with `$${` / `%%{`). */
function decodeHclMap(text: string): Record<string, string> {
  expect(text).toMatch(/^\{("(?:[^"\\]|\\.)*" = "(?:[^"\\]|\\.)*"(, )?)*\}$/);
  const strings = [...text.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((m) => (JSON.parse(m[0]) as string).replace(/([$%])\1\{/g, "$1{"));
  const out: Record<string, string> = {};
  for (let i = 0; i < strings.length; i += 2) out[strings[i]!] = strings[i + 1]!;
  return out;
}

async function evalSecretVars(dotenv: string): Promise<{ vars: Record<string, string>; stdout: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "gw-secret-vars-"));
  dirs.push(cwd);
  writeFileSync(join(cwd, ".env"), dotenv);
  const { stdout } = await promisify(execFile)(tsx, [script], { cwd, env: { PATH: process.env.PATH ?? "", HOME: cwd }, timeout: 60_000 });
  // The documented use: eval in a shell, then Terraform reads TF_VAR_* from the environment.
  const child = execFile("bash", ["-c", 'eval "$(cat)" && env -0'], { cwd, env: { PATH: process.env.PATH ?? "" }, timeout: 10_000 });
  child.stdin!.end(stdout);
  let envOut = "";
  child.stdout!.on("data", (d) => (envOut += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(code).toBe(0);
  const vars = Object.fromEntries(
    envOut
      .split("\0")
      .filter((l) => l.startsWith("TF_VAR_"))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { vars, stdout };
}

describe("secret-vars", () => {
  it("prints export lines whose values are the .env secrets, surviving quotes and template markers", async () => {
    const { vars, stdout } = await evalSecretVars(
      [
        "AWS_REGION=cn-north-1",
        "OPENAI_API_KEY='sk-a${b}%{c}\\d'",
        `ANTHROPIC_API_KEY="sk-it's \\"quoted\\""`,
        "LANGSMITH_API_KEY=ls-unit-value",
        "GLOBAL_BEDROCK_ACCESS_KEY_ID=AKIAUNITTEST12345678",
        "GLOBAL_BEDROCK_SECRET_ACCESS_KEY=global/secret+value",
        "LOG_RETENTION_DAYS=30",
      ].join("\n"),
    );
    expect(stdout.trim().split("\n").every((l) => l.startsWith("export TF_VAR_"))).toBe(true);
    expect(Object.keys(vars).sort()).toEqual(["TF_VAR_global_bedrock_credentials", "TF_VAR_observability_keys", "TF_VAR_provider_keys"]);
    expect(decodeHclMap(vars.TF_VAR_provider_keys!)).toEqual({ ANTHROPIC_API_KEY: `sk-it's "quoted"`, OPENAI_API_KEY: "sk-a${b}%{c}\\d" });
    expect(vars.TF_VAR_provider_keys).toContain("$${b}%%{c}");
    expect(decodeHclMap(vars.TF_VAR_observability_keys!)).toEqual({ LANGSMITH_API_KEY: "ls-unit-value" });
    expect(decodeHclMap(vars.TF_VAR_global_bedrock_credentials!)).toEqual({
      GLOBAL_BEDROCK_ACCESS_KEY_ID: "AKIAUNITTEST12345678",
      GLOBAL_BEDROCK_SECRET_ACCESS_KEY: "global/secret+value",
    });
  });

  it("prints empty maps and no global credentials outside China when no secret is set", async () => {
    const { vars } = await evalSecretVars("AWS_REGION=us-east-1\n");
    expect(vars).toEqual({ TF_VAR_provider_keys: "{}", TF_VAR_observability_keys: "{}" });
  });
});
