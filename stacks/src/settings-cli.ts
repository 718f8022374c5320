// Loads settings for a command-line entry point: every problem is printed and the process exits with 1 before
// anything is synthesized.
import { loadSettings, SettingsError } from "@gw/config";
import type { LoadedSettings } from "@gw/config/types";

export function loadSettingsOrExit(
  env: Record<string, string | undefined> = process.env,
  opts: { readonly printWarnings?: boolean } = {},
): LoadedSettings {
  try {
    const loaded = loadSettings({ env });
    if (opts.printWarnings ?? true) for (const w of loaded.warnings) console.warn(`warning: ${w}`);
    return loaded;
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(`Invalid settings: ${err.problems.length} problem(s); nothing was synthesized.`);
      for (const p of err.problems) console.error(`  - ${p.variable}: ${p.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/** Prints a construction error (for example an invalid LiteLLM config) without a stack trace and exits with 1. */
export function exitOnBuildError(err: unknown): never {
  console.error(`Synthesis stopped: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
