// `pnpm config:render [--region <region>] [--env-file <path>]`: prints the rendered LiteLLM config for the region
// (AWS_REGION, or --region) on stdout, and its sha256 plus any warnings on stderr. Invalid settings or catalogs: the
// problem list on stderr and exit code 1.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, SettingsError } from "./errors";
import { renderLiteLLMConfig } from "./render";
import { loadSettings } from "./settings";

export function runRenderCli(argv: readonly string[], io: { out: (s: string) => void; err: (s: string) => void }, env: NodeJS.ProcessEnv = process.env): number {
  const args = [...argv];
  const overrides: Record<string, string> = {};
  let envFile: string | undefined;
  while (args.length > 0) {
    const a = args.shift()!;
    const value = (): string | undefined => (a.includes("=") ? a.slice(a.indexOf("=") + 1) : args.shift());
    if (a === "--region" || a.startsWith("--region=")) {
      const v = value();
      if (!v) return usage(io, "--region needs a value");
      overrides.AWS_REGION = v;
    } else if (a === "--env-file" || a.startsWith("--env-file=")) {
      envFile = value();
      if (!envFile) return usage(io, "--env-file needs a value");
    } else if (a === "--help" || a === "-h") {
      return usage(io);
    } else {
      return usage(io, `unknown argument ${a}`);
    }
  }
  try {
    const loaded = loadSettings({ env: { ...env, ...overrides }, ...(envFile ? { envFile } : {}) });
    const rendered = renderLiteLLMConfig(loaded.settings);
    io.out(rendered.yaml);
    for (const w of [...loaded.warnings, ...rendered.warnings]) io.err(`warning: ${w}\n`);
    io.err(`sha256:${rendered.hash}\n`);
    return 0;
  } catch (e) {
    if (e instanceof SettingsError || e instanceof ConfigError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function usage(io: { err: (s: string) => void }, problem?: string): number {
  if (problem) io.err(`${problem}\n`);
  io.err("usage: pnpm config:render [--region <region>] [--env-file <path>]\n");
  return problem ? 2 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = runRenderCli(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
}
