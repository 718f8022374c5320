// Test helpers for the ecs / bastion / fake-llm stacks: settings from an explicit environment (never the
// developer's), and synthesized Terraform JSON of one stack.
import type { LoadedSettings } from "@gw/config/types";
import { App, Testing, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { REGION_MATRIX, settingsFor as settingsForRegion } from "../test-support";

export { REGION_MATRIX };

/** Validated settings for `env` (AWS_REGION defaults to us-east-1); no .env file is read. */
export function settingsFor(env: Record<string, string> = {}): LoadedSettings {
  return settingsForRegion(env.AWS_REGION ?? "us-east-1", env);
}

export interface SynthesizedStack {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: unknown; sensitive?: boolean }>;
  readonly provider: Record<string, Record<string, unknown>[]>;
}

/** Builds a stack in a fresh app and returns its Terraform JSON plus the app (for annotations). */
export function synthStack<T extends TerraformStack>(
  create: (app: Construct) => T,
): { stack: T; json: SynthesizedStack; text: string } {
  const app: App = Testing.app();
  const stack = create(app);
  const text = Testing.synth(stack);
  const parsed = JSON.parse(text) as Partial<SynthesizedStack>;
  return {
    stack,
    text,
    json: { resource: parsed.resource ?? {}, data: parsed.data ?? {}, output: parsed.output ?? {}, provider: parsed.provider ?? {} },
  };
}

/** All resources of one type, as [name, config] pairs. */
export function resourcesOf(json: SynthesizedStack, type: string): [string, Record<string, unknown>][] {
  return Object.entries(json.resource[type] ?? {});
}

/** The single resource of a type; fails the test when there are none or several. */
export function onlyResource(json: SynthesizedStack, type: string): Record<string, unknown> {
  const all = resourcesOf(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]![1];
}
