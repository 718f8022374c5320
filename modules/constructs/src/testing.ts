// Test helpers: synthesize a construct tree in a throwaway stack and read resources from the JSON.
import { Testing } from "cdktf";
import type { Construct } from "constructs";

export interface SynthesizedJson {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly output?: Record<string, unknown>;
  readonly variable?: Record<string, Record<string, any>>;
  readonly terraform?: Record<string, any>;
  readonly provider?: Record<string, any>;
}

export function synthConstructs(build: (scope: Construct) => void): SynthesizedJson {
  return JSON.parse(Testing.synthScope(build)) as SynthesizedJson;
}

/** Resource configs of one type, in synthesis order. */
export function resources(tf: SynthesizedJson, type: string): Record<string, any>[] {
  return Object.values(tf.resource?.[type] ?? {});
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
