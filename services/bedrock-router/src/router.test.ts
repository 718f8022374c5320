import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeLlm } from "@gw/fake-llm";
import { BedrockRouter, type BedrockRouterOptions } from "./router";
import {
  AllTargetsFailedError,
  DeadlineExceededError,
  NonRetryableError,
  RequestAbortedError,
  RouterConfigError,
  StreamInterruptedError,
} from "./errors";
import type { CooldownStore } from "./cooldown";
import type { RouterEvent } from "./types";
import {
  bedrockCalls,
  closedPortUrl,
  FAKE_CREDENTIALS,
  fakeTarget,
  MODEL_ID,
  seededRandom,
  startHealthyRegion,
  startThrottlingRegion,
  THROTTLE_ALL,
  userMessage,
} from "./test-support/regions";

let throttling: FakeLlm;
let healthy: FakeLlm;
let healthy2: FakeLlm;
let downUrl: string;
const routers: BedrockRouter[] = [];

function router(opts: Omit<BedrockRouterOptions, "credentials"> & Partial<Pick<BedrockRouterOptions, "credentials">>): BedrockRouter {
  const r = new BedrockRouter({ credentials: FAKE_CREDENTIALS, ...opts, settings: { backoffBaseMs: 5, backoffMaxMs: 20, ...opts.settings } });
  routers.push(r);
  return r;
}

/** throttling us-west-2, down us-east-1, healthy eu-west-3, in that order. */
function standardTargets() {
  return [fakeTarget("us-west-2", throttling.url), fakeTarget("us-east-1", downUrl), fakeTarget("eu-west-3", healthy.url)];
}

function text(output: { output?: { message?: { content?: { text?: string }[] } } }): string {
  return output.output?.message?.content?.map((c) => c.text ?? "").join("") ?? "";
}

beforeAll(async () => {
  [throttling, healthy, healthy2] = await Promise.all([
    startThrottlingRegion("us-west-2"),
    startHealthyRegion("eu-west-3"),
    startHealthyRegion("ap-northeast-1"),
  ]);
  downUrl = await closedPortUrl();
});

afterAll(async () => {
  await Promise.all([throttling, healthy, healthy2].map((f) => f?.close()));
});

beforeEach(() => {
  for (const f of [throttling, healthy, healthy2]) f.reset();
  for (const f of [healthy, healthy2]) f.setOptions({ latencyMs: 0, errors: [], tokensPerSecond: 0, responseTokens: undefined });
});

afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.close()));
});

describe("failover", () => {
  it("moves past a throttling and a down region in list order, cools both, and skips them next time", async () => {
    const r = router({ targets: standardTargets() });
    const first = await r.converse({ modelId: MODEL_ID, messages: userMessage("route me") });
    expect(first.servedBy).toMatchObject({ targetId: "eu-west-3", region: "eu-west-3", partition: "aws", modelId: MODEL_ID });
    expect(text(first.output)).toBe("fake reply from eu-west-3: route me");
    expect(first.attempts.map((a) => [a.targetId, a.errorName, a.failureClass])).toEqual([
      ["us-west-2", "ThrottlingException", "throttling"],
      ["us-east-1", "ECONNREFUSED", "connection"],
    ]);
    for (const a of first.attempts) expect(a.durationMs).toBeGreaterThanOrEqual(0);
    expect([...(await r.cooldowns()).keys()].sort()).toEqual(["us-east-1", "us-west-2"]);

    const second = await r.converse({ modelId: MODEL_ID, messages: userMessage("again") });
    expect(second.servedBy.targetId).toBe("eu-west-3");
    expect(second.attempts).toEqual([]);
    expect(bedrockCalls(throttling)).toBe(1);
    expect(bedrockCalls(healthy)).toBe(2);
  });

  it("throws AllTargetsFailedError with every attempt when no target can serve", async () => {
    const r = router({ targets: [fakeTarget("us-west-2", throttling.url), fakeTarget("us-east-1", downUrl)] });
    const err = await r.converse({ modelId: MODEL_ID, messages: userMessage("x") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllTargetsFailedError);
    expect((err as AllTargetsFailedError).code).toBe("BR_ERR_ALL_TARGETS_FAILED");
    expect((err as AllTargetsFailedError).attempts.map((a) => a.targetId)).toEqual(["us-west-2", "us-east-1"]);
  });

  it.each([
    [400, "ValidationException"],
    [403, "AccessDeniedException"],
    [404, "ResourceNotFoundException"],
  ])("returns %s %s at once without trying other targets or cooling anything", async (status, errorType) => {
    const r = router({ targets: [fakeTarget("eu-west-3", healthy.url), fakeTarget("ap-northeast-1", healthy2.url)] });
    healthy.failNext("converse", 1, status, errorType);
    const err = await r.converse({ modelId: MODEL_ID, messages: userMessage("bad") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    const e = err as NonRetryableError;
    expect(e.errorName).toBe(errorType);
    expect((e.cause as Error).name).toBe(errorType);
    expect(e.target.targetId).toBe("eu-west-3");
    expect(e.attempts).toHaveLength(1);
    expect(e.attempts[0]?.failureClass).toBe("client");
    expect(bedrockCalls(healthy2)).toBe(0);
    expect((await r.cooldowns()).size).toBe(0);
  });

  it("recovers a target once its cooldown has passed on the injected clock", async () => {
    let now = 1_000_000;
    const r = router({
      targets: [fakeTarget("us-west-2", throttling.url, { primary: true }), fakeTarget("eu-west-3", healthy.url)],
      settings: { cooldownMs: 10_000 },
      now: () => now,
    });
    expect((await r.converse({ modelId: MODEL_ID, messages: userMessage("a") })).servedBy.targetId).toBe("eu-west-3");
    expect(await r.cooldowns()).toEqual(new Map([["us-west-2", 1_010_000]]));
    now += 9_999;
    expect((await r.converse({ modelId: MODEL_ID, messages: userMessage("b") })).attempts).toEqual([]);
    expect(bedrockCalls(throttling)).toBe(1);

    throttling.setOptions({ errors: [] });
    try {
      now += 1;
      const recovered = await r.converse({ modelId: MODEL_ID, messages: userMessage("c") });
      expect(recovered.servedBy.targetId).toBe("us-west-2");
      expect(text(recovered.output)).toBe("fake reply from us-west-2: c");
      expect(bedrockCalls(throttling)).toBe(2);
    } finally {
      throttling.setOptions({ errors: [THROTTLE_ALL] });
    }
  });

  it("when every target cools down, tries them soonest-ending first by default, or fails at once with 'fail'", async () => {
    let now = 5_000;
    const targets = [fakeTarget("eu-west-3", healthy.url), fakeTarget("ap-northeast-1", healthy2.url)];
    const initialCooldowns = { "eu-west-3": 60_000, "ap-northeast-1": 30_000 };
    const failing = router({ targets, initialCooldowns, now: () => now, settings: { whenAllCoolingDown: "fail" } });
    const err = await failing.converse({ modelId: MODEL_ID, messages: userMessage("x") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllTargetsFailedError);
    expect((err as AllTargetsFailedError).reason).toBe("all-cooling-down");

    const probing = router({ targets, initialCooldowns, now: () => now });
    const served = await probing.converse({ modelId: MODEL_ID, messages: userMessage("x") });
    expect(served.servedBy.targetId).toBe("ap-northeast-1");
    // Serving proves the target healthy again: its cooldown is cleared, the other one stays.
    expect([...(await probing.cooldowns()).keys()]).toEqual(["eu-west-3"]);
    expect(bedrockCalls(healthy)).toBe(0);
  });

  it("keeps serving when the cooldown store fails (fail-open) and reports the store error", async () => {
    const events: RouterEvent[] = [];
    const broken: CooldownStore = {
      get: async () => Promise.reject(new Error("store down")),
      coolDown: async () => Promise.reject(new Error("store down")),
      clear: async () => undefined,
      close: async () => undefined,
    };
    const r = router({ targets: standardTargets(), cooldownStore: broken, onEvent: (e) => events.push(e) });
    const res = await r.converse({ modelId: MODEL_ID, messages: userMessage("x") });
    expect(res.servedBy.targetId).toBe("eu-west-3");
    expect(events.filter((e) => e.type === "store-error").map((e) => (e as { operation: string }).operation)).toContain("coolDown");
  });
});

describe("settings", () => {
  it("spreads first attempts over primaries by weight and never sends them to non-primaries", async () => {
    const healthy3 = await startHealthyRegion("eu-central-1");
    try {
      const r = router({
        targets: [
          fakeTarget("eu-west-3", healthy.url, { primary: true, weight: 3 }),
          fakeTarget("ap-northeast-1", healthy2.url, { primary: true, weight: 1 }),
          fakeTarget("eu-central-1", healthy3.url),
        ],
        random: seededRandom(42),
      });
      for (let i = 0; i < 200; i++) await r.converse({ modelId: MODEL_ID, messages: userMessage(`n${i}`) });
      const heavy = bedrockCalls(healthy);
      const light = bedrockCalls(healthy2);
      expect(heavy + light).toBe(200);
      expect(bedrockCalls(healthy3)).toBe(0);
      // Expected 150/50; bounds are several standard deviations wide.
      expect(heavy).toBeGreaterThan(125);
      expect(heavy).toBeLessThan(175);

      healthy.reset();
      healthy2.reset();
      const ordered = router({
        targets: [fakeTarget("ap-northeast-1", healthy2.url, { primary: true }), fakeTarget("eu-west-3", healthy.url, { primary: true })],
        settings: { spreadPrimaries: false },
      });
      for (let i = 0; i < 20; i++) await ordered.converse({ modelId: MODEL_ID, messages: userMessage("o") });
      expect(bedrockCalls(healthy2)).toBe(20);
      expect(bedrockCalls(healthy)).toBe(0);
    } finally {
      await healthy3.close();
    }
  });

  it("puts primaries before earlier non-primary targets", async () => {
    const r = router({ targets: [fakeTarget("ap-northeast-1", healthy2.url), fakeTarget("eu-west-3", healthy.url, { primary: true })] });
    expect((await r.converse({ modelId: MODEL_ID, messages: userMessage("p") })).servedBy.targetId).toBe("eu-west-3");
  });

  it("retries within one region (attemptsPerTarget) before moving on, and does not cool a region that recovered", async () => {
    const r = router({
      targets: [fakeTarget("eu-west-3", healthy.url), fakeTarget("ap-northeast-1", healthy2.url)],
      settings: { attemptsPerTarget: 3 },
    });
    healthy.failNext("converse", 2, 503, "ServiceUnavailableException");
    const res = await r.converse({ modelId: MODEL_ID, messages: userMessage("retry") });
    expect(res.servedBy.targetId).toBe("eu-west-3");
    expect(res.attempts.map((a) => `${a.targetId}:${a.errorName}`)).toEqual([
      "eu-west-3:ServiceUnavailableException",
      "eu-west-3:ServiceUnavailableException",
    ]);
    expect(bedrockCalls(healthy2)).toBe(0);
    expect((await r.cooldowns()).size).toBe(0);
  });

  it("caps the total attempts with maxAttempts across regions", async () => {
    const r = router({
      targets: [fakeTarget("us-west-2", throttling.url), fakeTarget("eu-west-3", healthy.url)],
      settings: { attemptsPerTarget: 3, maxAttempts: 2 },
    });
    const err = (await r.converse({ modelId: MODEL_ID, messages: userMessage("x") }).catch((e: unknown) => e)) as AllTargetsFailedError;
    expect(err).toBeInstanceOf(AllTargetsFailedError);
    expect(err.attempts.map((a) => a.targetId)).toEqual(["us-west-2", "us-west-2"]);
    expect(bedrockCalls(healthy)).toBe(0);
  });

  it("keeps every attempt in the first region when multiRegion is off", async () => {
    const r = router({ targets: standardTargets(), settings: { multiRegion: false, maxAttempts: 3 } });
    const err = (await r.converse({ modelId: MODEL_ID, messages: userMessage("x") }).catch((e: unknown) => e)) as AllTargetsFailedError;
    expect(err).toBeInstanceOf(AllTargetsFailedError);
    expect(err.attempts.map((a) => a.targetId)).toEqual(["us-west-2", "us-west-2", "us-west-2"]);
    expect(bedrockCalls(throttling)).toBe(3);
    expect(bedrockCalls(healthy)).toBe(0);
  });

  it("passes the SDK input through unchanged apart from modelId (guardrails, response field paths, request fields)", async () => {
    const r = router({ targets: [fakeTarget("eu-west-3", healthy.url)] });
    const input = {
      modelId: MODEL_ID,
      messages: userMessage("fields"),
      system: [{ text: "be brief" }],
      guardrailConfig: { guardrailIdentifier: "gr-1", guardrailVersion: "1" },
      additionalModelRequestFields: { top_k: 5 },
      additionalModelResponseFieldPaths: ["/stop_sequence"],
    };
    await r.converse(input);
    const { modelId: _omit, ...rest } = input;
    expect(healthy.lastRequests()[0]?.body).toEqual(rest);
  });

  it("serves concurrent calls on one shared router", async () => {
    const r = router({ targets: standardTargets() });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => r.converse({ modelId: MODEL_ID, messages: userMessage(`c${i}`) })));
    results.forEach((res, i) => {
      expect(res.servedBy.targetId).toBe("eu-west-3");
      expect(text(res.output)).toBe(`fake reply from eu-west-3: c${i}`);
      expect(res.attempts.length).toBeLessThanOrEqual(2);
    });
    expect(bedrockCalls(healthy)).toBe(20);
  });

  it("sends inference-profile ids per target when cross-region inference is on, with no stale or double prefix", async () => {
    const r = router({
      targets: [
        fakeTarget("us-west-2", throttling.url, { profilePrefix: "us" }),
        fakeTarget("eu-west-3", healthy.url, { profilePrefix: "eu" }),
      ],
      settings: { crossRegionInference: true },
    });
    const res = await r.converse({ modelId: `us.${MODEL_ID}`, messages: userMessage("geo") });
    expect(res.servedBy.modelId).toBe(`eu.${MODEL_ID}`);
    const sent = (f: FakeLlm) => f.lastRequests().map((q) => decodeURIComponent(q.path));
    expect(sent(throttling)).toEqual([`/model/us.${MODEL_ID}/converse`]);
    expect(sent(healthy)).toEqual([`/model/eu.${MODEL_ID}/converse`]);

    healthy.reset();
    const noPrefix = router({ targets: [fakeTarget("eu-west-3", healthy.url)], settings: { crossRegionInference: true } });
    await noPrefix.converse({ modelId: `us.${MODEL_ID}`, messages: userMessage("geo") });
    expect(sent(healthy)).toEqual([`/model/${MODEL_ID}/converse`]);
  });
});

describe("deadline and cancellation", () => {
  it("stops at the overall deadline with a DeadlineExceededError and cools nothing", async () => {
    healthy.setOptions({ latencyMs: 3_000 });
    const r = router({ targets: [fakeTarget("eu-west-3", healthy.url), fakeTarget("ap-northeast-1", healthy2.url)], settings: { deadlineMs: 300 } });
    const started = Date.now();
    const err = await r.converse({ modelId: MODEL_ID, messages: userMessage("slow") }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err as DeadlineExceededError).attempts.map((a) => a.failureClass)).toEqual(["deadline"]);
    expect((await r.cooldowns()).size).toBe(0);
  });

  it("treats a per-attempt response timeout as a target failure and fails over", async () => {
    healthy.setOptions({ latencyMs: 3_000 });
    const r = router({
      targets: [fakeTarget("eu-west-3", healthy.url), fakeTarget("ap-northeast-1", healthy2.url)],
      settings: { responseTimeoutMs: 600 },
    });
    const res = await r.converse({ modelId: MODEL_ID, messages: userMessage("t") });
    expect(res.servedBy.targetId).toBe("ap-northeast-1");
    expect(res.attempts.map((a) => [a.errorName, a.failureClass])).toEqual([["TimeoutError", "timeout"]]);
    expect([...(await r.cooldowns()).keys()]).toEqual(["eu-west-3"]);
  });

  it("honours the caller's AbortSignal", async () => {
    healthy.setOptions({ latencyMs: 2_000 });
    const r = router({ targets: [fakeTarget("eu-west-3", healthy.url)] });
    const err = await r.converse({ modelId: MODEL_ID, messages: userMessage("x") }, { abortSignal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestAbortedError);
  });
});

describe("streaming", () => {
  async function collect(stream: AsyncIterable<{ contentBlockDelta?: { delta?: { text?: string } } }> | undefined) {
    let out = "";
    for await (const ev of stream ?? []) out += ev.contentBlockDelta?.delta?.text ?? "";
    return out;
  }

  it("fails over ConverseStream before the first event: HTTP throttling, then an exception as the first frame", async () => {
    healthy.failNext("converse-stream", 1, 503, "ServiceUnavailableException", { afterChunks: 0 });
    const r = router({ targets: [...standardTargets(), fakeTarget("ap-northeast-1", healthy2.url)] });
    const res = await r.converseStream({ modelId: MODEL_ID, messages: userMessage("stream me") });
    expect(res.servedBy.targetId).toBe("ap-northeast-1");
    expect(res.attempts.map((a) => [a.targetId, a.errorName])).toEqual([
      ["us-west-2", "ThrottlingException"],
      ["us-east-1", "ECONNREFUSED"],
      ["eu-west-3", "ServiceUnavailableException"],
    ]);
    expect(await collect(res.output.stream)).toBe("fake reply from ap-northeast-1: stream me");
  });

  it("surfaces a mid-stream error as StreamInterruptedError naming the target, never as short text", async () => {
    healthy.failNext("converse-stream", 1, 500, "InternalServerException", { afterChunks: 2 });
    const r = router({ targets: [fakeTarget("eu-west-3", healthy.url), fakeTarget("ap-northeast-1", healthy2.url)] });
    const res = await r.converseStream({ modelId: MODEL_ID, messages: userMessage("break") });
    let received = "";
    const err = await (async () => {
      for await (const ev of res.output.stream ?? []) received += ev.contentBlockDelta?.delta?.text ?? "";
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamInterruptedError);
    const e = err as StreamInterruptedError;
    expect(e.target.targetId).toBe("eu-west-3");
    expect(e.errorName).toBe("InternalServerException");
    expect(e.eventsDelivered).toBeGreaterThan(0);
    expect(received.length).toBeGreaterThan(0);
    expect(bedrockCalls(healthy2)).toBe(0); // no silent switch to another region
    expect([...(await r.cooldowns()).keys()]).toEqual(["eu-west-3"]);
  });

  it("releases the connection when the consumer stops early, and a caller abort mid-stream is RequestAbortedError", async () => {
    healthy.setOptions({ tokensPerSecond: 20, responseTokens: 200 });
    const r = router({ targets: [fakeTarget("eu-west-3", healthy.url)] });
    const res = await r.converseStream({ modelId: MODEL_ID, messages: userMessage("long") });
    let seen = 0;
    for await (const ev of res.output.stream ?? []) if (ev.contentBlockDelta && ++seen === 2) break;
    expect(seen).toBe(2);

    const abort = new AbortController();
    const aborted = await r.converseStream({ modelId: MODEL_ID, messages: userMessage("long") }, { abortSignal: abort.signal });
    const err = await (async () => {
      for await (const ev of aborted.output.stream ?? []) if (ev.contentBlockDelta) abort.abort();
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestAbortedError);
    expect((await r.cooldowns()).size).toBe(0);
  });

  it("routes InvokeModel and InvokeModelWithResponseStream with failover", async () => {
    const r = router({ targets: standardTargets() });
    const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 50, messages: [{ role: "user", content: "invoke me" }] });
    const inv = await r.invokeModel({ modelId: MODEL_ID, body, contentType: "application/json", accept: "application/json" });
    expect(inv.servedBy.targetId).toBe("eu-west-3");
    expect(new TextDecoder().decode(inv.output.body)).toContain("fake reply from eu-west-3");

    const streamed = await r.invokeModelWithResponseStream({ modelId: MODEL_ID, body, contentType: "application/json" });
    expect(streamed.servedBy.targetId).toBe("eu-west-3");
    let chunks = 0;
    let joined = "";
    for await (const ev of streamed.output.body ?? []) {
      if (ev.chunk?.bytes) {
        chunks++;
        joined += new TextDecoder().decode(ev.chunk.bytes);
      }
    }
    expect(chunks).toBeGreaterThan(1);
    expect(joined).toContain("eu-west-3");
  });

  it("fails over InvokeModelWithResponseStream when the stream breaks before any content", async () => {
    healthy.failNext("invoke-with-response-stream", 1, 503, "ServiceUnavailableException", { afterChunks: 0 });
    const r = router({ targets: [fakeTarget("eu-west-3", healthy.url), fakeTarget("ap-northeast-1", healthy2.url)] });
    const res = await r.invokeModelWithResponseStream({ modelId: MODEL_ID, body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }), contentType: "application/json" });
    expect(res.servedBy.targetId).toBe("ap-northeast-1");
    expect(res.attempts.map((a) => a.errorName)).toEqual(["ServiceUnavailableException"]);
    const types: string[] = [];
    for await (const ev of res.output.body ?? []) types.push((JSON.parse(new TextDecoder().decode(ev.chunk?.bytes)) as { type: string }).type);
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
  });

  it("surfaces a mid-stream InvokeModelWithResponseStream error", async () => {
    healthy.failNext("invoke-with-response-stream", 1, 429, "ThrottlingException", { afterChunks: 1 });
    const r = router({ targets: [fakeTarget("eu-west-3", healthy.url)] });
    const res = await r.invokeModelWithResponseStream({ modelId: MODEL_ID, body: JSON.stringify({ messages: [] }), contentType: "application/json" });
    const err = await (async () => {
      for await (const _ of res.output.body ?? []) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamInterruptedError);
    expect((err as StreamInterruptedError).errorName).toBe("ThrottlingException");
  });
});

describe("credentials and partitions", () => {
  function captureAuthorization(headers: string[]): BedrockRouterOptions["configureClient"] {
    return (client) => {
      client.middlewareStack.add(
        (next) => async (args) => {
          const h = (args.request as { headers: Record<string, string> }).headers;
          headers.push(h.authorization ?? h.Authorization ?? "");
          return next(args);
        },
        { step: "deserialize", name: "captureAuthorization" },
      );
    };
  }

  it("lets a China application reach a global region with a global account's credentials from the environment", async () => {
    const headers: string[] = [];
    const r = router({
      homeRegion: "cn-north-1",
      targets: [{ region: "eu-west-3", endpoint: healthy.url, credentials: "global" }],
      credentials: { global: { type: "env", prefix: "GLOBAL_BEDROCK" } },
      env: { GLOBAL_BEDROCK_ACCESS_KEY_ID: "AKIDGLOBALACCOUNT", GLOBAL_BEDROCK_SECRET_ACCESS_KEY: "global-secret" },
      configureClient: captureAuthorization(headers),
    });
    const res = await r.converse({ modelId: MODEL_ID, messages: userMessage("from china") });
    expect(res.servedBy).toMatchObject({ region: "eu-west-3", partition: "aws" });
    expect(headers[0]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDGLOBALACCOUNT\/\d{8}\/eu-west-3\/bedrock\/aws4_request/);
  });

  it("sends a Bedrock API key as a bearer token", async () => {
    const headers: string[] = [];
    const r = router({
      targets: [{ region: "eu-west-3", endpoint: healthy.url, credentials: "apiKey" }],
      credentials: { apiKey: { type: "bearer-env", variable: "BEDROCK_KEY" } },
      env: { BEDROCK_KEY: "bedrock-api-key-123" },
      configureClient: captureAuthorization(headers),
    });
    await r.converse({ modelId: MODEL_ID, messages: userMessage("bearer") });
    expect(headers).toEqual(["Bearer bedrock-api-key-123"]);
  });

  it("rejects a cross-partition target without credentials, and missing credential variables fail fast without cooldown", async () => {
    expect(() => new BedrockRouter({ homeRegion: "cn-northwest-1", targets: [{ region: "us-east-1" }] })).toThrow(RouterConfigError);
    const r = router({
      targets: [{ region: "eu-west-3", endpoint: healthy.url, credentials: "global" }, fakeTarget("ap-northeast-1", healthy2.url)],
      credentials: { ...FAKE_CREDENTIALS, global: { type: "env", prefix: "ABSENT_PREFIX" } },
      env: {},
    });
    const err = (await r.converse({ modelId: MODEL_ID, messages: userMessage("x") }).catch((e: unknown) => e)) as NonRetryableError;
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err.message).toContain("ABSENT_PREFIX_ACCESS_KEY_ID");
    expect(err.attempts[0]?.failureClass).toBe("local");
    expect(bedrockCalls(healthy) + bedrockCalls(healthy2)).toBe(0);
    expect((await r.cooldowns()).size).toBe(0);
  });
});
