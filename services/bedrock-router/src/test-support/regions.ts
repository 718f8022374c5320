/**
 * Fake Bedrock regions for tests and the benchmark: fake-llm instances labelled with region names, plus a "down"
 * region whose port is closed. Credentials are static fake keys so the real SDK signs requests (SigV4).
 */
import { startFakeLlm, type ErrorRule, type FakeLlm, type FakeLlmOptions } from "@gw/fake-llm";
import type { CredentialRegistry } from "../credentials";
import type { TargetSpec } from "../types";
import { freeLoopbackPort } from "./ports";

export const FAKE_CREDENTIALS: CredentialRegistry = {
  fake: { type: "static", accessKeyId: "AKIDFAKEROUTER", secretAccessKey: "fake-secret-for-tests" },
};

export const MODEL_ID = "anthropic.claude-3-5-sonnet-20241022-v2:0";

/** fake-llm error rule: every Bedrock call answered with 429 ThrottlingException. */
export const THROTTLE_ALL: ErrorRule = { route: "bedrock", status: 429, rate: 1, errorType: "ThrottlingException" };

/** A region that answers every Bedrock call with 429 ThrottlingException. */
export function startThrottlingRegion(region: string, opts: FakeLlmOptions = {}): Promise<FakeLlm> {
  return startFakeLlm({ ...opts, region, errors: [THROTTLE_ALL] });
}

export function startHealthyRegion(region: string, opts: FakeLlmOptions = {}): Promise<FakeLlm> {
  return startFakeLlm({ ...opts, region });
}

/** A loopback URL nobody listens on (connection refused). */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freeLoopbackPort()}`;
}

/** A target pointing at a fake region, signed with the fake credentials. */
export function fakeTarget(region: string, url: string, extra: Partial<TargetSpec> = {}): TargetSpec {
  return { region, endpoint: url, credentials: "fake", ...extra };
}

/** Bedrock calls a fake region received (all four operations), from its counters. */
export function bedrockCalls(fake: FakeLlm): number {
  const c = fake.counters();
  return (c.converse ?? 0) + (c["converse-stream"] ?? 0) + (c.invoke ?? 0) + (c["invoke-with-response-stream"] ?? 0);
}

export function userMessage(text: string) {
  return [{ role: "user" as const, content: [{ text }] }];
}

/** Deterministic PRNG (mulberry32) so weighted-spread counts are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
