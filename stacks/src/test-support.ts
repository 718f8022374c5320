// Shared by the stacks tests: settings for a region and the synthesized JSON of every stack of the app.
import { Testing } from "cdktf";
import { loadSettings } from "@gw/config";
import type { LoadedSettings } from "@gw/config/types";
import { buildApp } from "./app";
import { stackWarnings } from "./warnings";

export const REGION_MATRIX = ["us-east-1", "eu-central-2", "cn-north-1", "cn-northwest-1", "us-gov-west-1"] as const;

export type StackJson = Record<string, any>;

export interface SynthesizedApp {
  readonly loaded: LoadedSettings;
  /** Stack name -> parsed Terraform JSON. */
  readonly stacks: Readonly<Record<string, StackJson>>;
  /** Stack name -> construct warnings. */
  readonly warnings: Readonly<Record<string, readonly string[]>>;
}

/** Settings from `env` only (no .env file), with AWS_REGION = region. */
export function settingsFor(region: string, env: Record<string, string> = {}): LoadedSettings {
  return loadSettings({ env: { AWS_REGION: region, ...env }, envFile: false });
}

/** Builds and synthesizes the whole app in memory (nothing written to disk). */
export function synthApp(region: string, env: Record<string, string> = {}, options: { fakeLlm?: boolean; bastion?: boolean } = {}): SynthesizedApp {
  const loaded = settingsFor(region, env);
  const { stacks } = buildApp(loaded, { env: {}, localStateDir: "/tmp/gw-state", ...options });
  return {
    loaded,
    stacks: Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, JSON.parse(Testing.synth(stack))])),
    warnings: Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, stackWarnings(stack)])),
  };
}

export function resourcesOf(tf: StackJson, type: string): Record<string, any>[] {
  return Object.values(tf.resource?.[type] ?? {});
}

export function dataOf(tf: StackJson, type: string): Record<string, any>[] {
  return Object.values(tf.data?.[type] ?? {});
}

/** Every string anywhere in a JSON value. */
export function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) allStrings(v, out);
  return out;
}
