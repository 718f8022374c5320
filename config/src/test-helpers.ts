// Shared helpers for this package's tests (not part of the public API).
import { arn } from "@gw/partition";
import { SettingsError } from "./errors";
import { loadSettings } from "./settings";
import type { LoadedSettings, SettingsProblem } from "./types";

/** A syntactically valid account id for ARNs in tests (built, not written, so no account id appears in sources). */
export const TEST_ACCOUNT = "0".repeat(12);

export function load(env: Record<string, string>): LoadedSettings {
  return loadSettings({ env, envFile: false });
}

/** The problems loadSettings reports for env ([] when valid). */
export function problemsFor(env: Record<string, string>): SettingsProblem[] {
  try {
    load(env);
    return [];
  } catch (e) {
    if (e instanceof SettingsError) return [...e.problems];
    throw e;
  }
}

export function variablesOf(env: Record<string, string>): string[] {
  return problemsFor(env).map((p) => p.variable);
}

export function acmArn(region: string, id = "11111111-2222-3333-4444-555555555555"): string {
  return arn(region, "acm", `certificate/${id}`, { account: TEST_ACCOUNT });
}
