// No string in a synthesized aws-cn or aws-us-gov stack may carry another partition's ARN prefix or DNS suffix.
// Forbidden strings are built from @gw/partition, never written here.
import { describe, expect, it } from "vitest";
import {
  arnPrefix,
  bedrockTargetRegions,
  dnsSuffix,
  partitionOf,
  SERVICE_PRINCIPAL_NAMES,
  serviceEndpoint,
  servicePrincipal,
  SUPPORTED_REGIONS,
} from "@gw/partition";
import { allStrings, synthApp } from "./test-support";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One sample region per partition, to derive the other partitions' prefixes and suffixes. */
const partitionSamples = new Map(SUPPORTED_REGIONS.map((r) => [partitionOf(r), r] as const));

/** Patterns that must not occur in a stack of `region`'s partition. */
function forbiddenPatterns(region: string): RegExp[] {
  const own = partitionOf(region);
  const ownSuffix = dnsSuffix(region);
  const out: RegExp[] = [];
  for (const [partition, sample] of partitionSamples) {
    if (partition === own) continue;
    out.push(new RegExp(escape(`${arnPrefix(sample)}:`)));
    const other = dnsSuffix(sample);
    if (other === ownSuffix) continue;
    // A suffix that is a prefix of ours (the commercial suffix inside the China one) leaks only when not followed by the rest.
    out.push(
      ownSuffix.startsWith(other)
        ? new RegExp(`${escape(other)}(?!${escape(ownSuffix.slice(other.length))})`)
        : new RegExp(escape(other)),
    );
  }
  return out;
}

const BEDROCK_SERVICES = ["bedrock", "bedrock-runtime", "bedrock-agent", "bedrock-agent-runtime"];

/**
 * Strings that legitimately name another partition: service principals (global-suffixed in aws-cn for most
 * services) and, where Bedrock is reached across partitions, the Bedrock endpoints of the target regions.
 */
function allowedForeignNames(region: string, configuredBedrockRegions: readonly string[]): string[] {
  const principals = SERVICE_PRINCIPAL_NAMES.map((name) => servicePrincipal(name, region));
  const target = bedrockTargetRegions(region, configuredBedrockRegions);
  const endpoints =
    target.partition === partitionOf(region) ? [] : target.regions.flatMap((r) => BEDROCK_SERVICES.map((svc) => serviceEndpoint(svc, r)));
  // Longest first, so an endpoint is removed before a principal it may contain.
  return [...principals, ...endpoints].sort((a, b) => b.length - a.length);
}

function withoutAllowed(value: string, allowed: readonly string[]): string {
  let v = value;
  for (const name of allowed) v = v.split(name).join("<allowed>");
  return v;
}

describe.each(["cn-north-1", "cn-northwest-1", "us-gov-west-1"])("partition leaks in %s", (region) => {
  const { stacks, loaded } = synthApp(region, {}, { fakeLlm: true, bastion: true });
  const patterns = forbiddenPatterns(region);
  const allowed = allowedForeignNames(region, loaded.settings.chinaBedrock.globalRegions);

  it("derives at least one forbidden ARN prefix and one DNS suffix rule", () => {
    expect(patterns.length).toBeGreaterThanOrEqual(3);
  });

  it.each(Object.keys(stacks))("stack %s carries no foreign ARN prefix or DNS suffix", (name) => {
    const strings = allStrings(stacks[name]);
    const leaks = strings.filter((s) => patterns.some((p) => p.test(withoutAllowed(s, allowed))));
    expect(leaks).toEqual([]);
  });

  it("does carry its own partition's ARNs (the scan sees real values)", () => {
    const own = `${arnPrefix(region)}:`;
    expect(Object.values(stacks).flatMap((tf) => allStrings(tf)).some((s) => s.includes(own))).toBe(true);
  });

  it("catches a planted commercial ARN and a foreign suffix", () => {
    const commercial = partitionSamples.get("aws")!;
    const planted = [`${arnPrefix(commercial)}:iam::aws:policy/x`, `https://sts.${region}.${dnsSuffix(partitionSamples.get(partitionOf(region) === "aws-cn" ? "aws-us-gov" : "aws-cn")!)}`];
    for (const p of planted) expect(patterns.some((re) => re.test(withoutAllowed(p, allowed)))).toBe(true);
  });
});
