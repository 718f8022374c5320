/**
 * Model id per target. With cross-region inference on, a target's geography prefix turns "anthropic.claude-..." into
 * the inference-profile id "us.anthropic.claude-...". The result depends only on the caller's id and that target:
 * no prefix leaks from a previous target, and an already-prefixed id is re-prefixed, never double-prefixed.
 */
import { isPartitionArn } from "@gw/partition";

/** Geography prefixes of system-defined inference profiles. */
export const PROFILE_PREFIXES: readonly string[] = ["us", "eu", "apac", "global", "us-gov", "jp", "au", "ca"];

/** The id without any known geography prefix ("us.anthropic.x" -> "anthropic.x"). ARNs are returned unchanged. */
export function baseModelId(modelId: string): string {
  if (isPartitionArn(modelId)) return modelId;
  const dot = modelId.indexOf(".");
  if (dot > 0 && PROFILE_PREFIXES.includes(modelId.slice(0, dot))) return modelId.slice(dot + 1);
  return modelId;
}

/**
 * The id to send to `target`:
 * - ARNs (application inference profiles, provisioned throughput, prompts) are never rewritten;
 * - cross-region inference off: the caller's id as given;
 * - on: "<prefix>.<base id>" for a target with a prefix, the base id for a target without one.
 */
export function resolveModelId(modelId: string, target: { readonly profilePrefix?: string }, crossRegionInference: boolean): string {
  if (!crossRegionInference || isPartitionArn(modelId)) return modelId;
  const base = baseModelId(modelId);
  return target.profilePrefix ? `${target.profilePrefix}.${base}` : base;
}
