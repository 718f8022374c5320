// Shared by the stacks tests: the synthesized JSON of every stack of the app. The region matrix is in
// region-matrix.ts; settings fixtures, single-stack synthesis and JSON readers come from @gw/constructs/testing.
import { Testing } from "cdktf";
import type { LoadedSettings } from "@gw/config/types";
import { settingsFor } from "@gw/constructs/testing";
import { stackWarnings } from "@gw/constructs/warnings";
import { buildApp } from "./app";

/** Directory the tests give buildApp for local state files (nothing is written there at synth). */
export const TEST_STATE_DIR = "/tmp/gw-state";

export type StackJson = Record<string, any>;

export interface SynthesizedApp {
  readonly loaded: LoadedSettings;
  /** Stack name -> parsed Terraform JSON. */
  readonly stacks: Readonly<Record<string, StackJson>>;
  /** Stack name -> construct warnings. */
  readonly warnings: Readonly<Record<string, readonly string[]>>;
}

/** Builds and synthesizes the whole app in memory (nothing written to disk). */
export function synthApp(region: string, env: Record<string, string> = {}, options: { fakeLlm?: boolean; bastion?: boolean } = {}): SynthesizedApp {
  const loaded = settingsFor({ AWS_REGION: region, ...env });
  const { stacks } = buildApp(loaded, { env: {}, localStateDir: TEST_STATE_DIR, ...options });
  return {
    loaded,
    stacks: Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, JSON.parse(Testing.synth(stack))])),
    warnings: Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, stackWarnings(stack)])),
  };
}

/** Every string anywhere in a JSON value. */
export function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) allStrings(v, out);
  return out;
}
