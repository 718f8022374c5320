// Test helpers shared by the constructs and stacks tests: settings fixtures from an explicit environment (never the
// developer's .env), synthesize-and-parse for construct trees and whole stacks, and readers of the parsed JSON.
import { App, Testing, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { LoadedSettings } from "@gw/config/types";
import { loadSettings } from "@gw/config/settings";

export interface SynthesizedJson {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly output?: Record<string, any>;
  readonly variable?: Record<string, Record<string, any>>;
  readonly terraform?: Record<string, any>;
  readonly provider?: Record<string, any>;
}

/** A stack's JSON with the sections tests read always present (empty when the stack has none). */
export type SynthesizedStackJson = SynthesizedJson & Required<Pick<SynthesizedJson, "resource" | "data" | "output" | "provider">>;

/** Validated settings for `env` only (AWS_REGION defaults to us-east-1); no .env file is read. */
export function settingsFor(env: Readonly<Record<string, string>> = {}): LoadedSettings {
  return loadSettings({ env: { AWS_REGION: "us-east-1", ...env }, envFile: false });
}

/** Synthesizes the constructs `build` adds to a throwaway stack. */
export function synthConstructs(build: (scope: Construct) => void): SynthesizedJson {
  return JSON.parse(Testing.synthScope(build)) as SynthesizedJson;
}

/** Builds a stack in a fresh test app; returns it with its Terraform JSON (parsed and as text). */
export function synthStack<T extends TerraformStack>(create: (app: App) => T): { stack: T; json: SynthesizedStackJson; text: string } {
  const stack = create(Testing.app());
  const text = Testing.synth(stack);
  const parsed = JSON.parse(text) as SynthesizedJson;
  return { stack, text, json: { ...parsed, resource: parsed.resource ?? {}, data: parsed.data ?? {}, output: parsed.output ?? {}, provider: parsed.provider ?? {} } };
}

/** Resource configs of one type, in synthesis order. */
export function resources(tf: SynthesizedJson, type: string): Record<string, any>[] {
  return Object.values(tf.resource?.[type] ?? {});
}

/** Resources of one type as [logical name, config] pairs, in synthesis order. */
export function resourceEntries(tf: SynthesizedJson, type: string): [string, Record<string, any>][] {
  return Object.entries(tf.resource?.[type] ?? {});
}

export function dataSources(tf: SynthesizedJson, type: string): Record<string, any>[] {
  return Object.values(tf.data?.[type] ?? {});
}

/** The only resource of a type; fails when there is not exactly one. */
export function single(tf: SynthesizedJson, type: string): Record<string, any> {
  const all = resources(tf, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}
