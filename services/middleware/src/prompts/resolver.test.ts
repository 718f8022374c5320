import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startFakeLlm, type FakeLlm } from "@gw/fake-llm";
import { arn, EXAMPLE_ACCOUNT_ID } from "@gw/partition";
import { request } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createPromptResolver, isPromptArn, parsePromptArn, PromptError, type PromptResolver } from "./index";

const ACCOUNT = EXAMPLE_ACCOUNT_ID;
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" };
const promptArn = (region: string, id: string, version?: string) => arn(region, "bedrock", version ? `prompt/${id}:${version}` : `prompt/${id}`, { account: ACCOUNT });

let fake: FakeLlm;
// Loopback relay in front of fake-llm that keeps the Authorization headers (fake-llm redacts them) so tests can
// see which region the SDK signed for and whether a bearer token replaced the signature.
let relay: Server;
let relayUrl: string;
const seenHeaders: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  fake = await startFakeLlm({ accountId: ACCOUNT });
  fake.setPrompts(PROMPTS);
  relay = createServer((req, res) => {
    seenHeaders.push(req.headers);
    request(`${fake.url}${req.url}`, { method: "GET", headers: { authorization: "x", "x-fake-llm": req.headers["x-fake-llm"] ?? "{}" } }).then(
      async (up) => {
        res.writeHead(up.statusCode, { "content-type": String(up.headers["content-type"] ?? "application/json"), "x-amzn-errortype": String(up.headers["x-amzn-errortype"] ?? "") });
        res.end(Buffer.from(await up.body.arrayBuffer()));
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await fake?.close();
  await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
});

afterEach(() => {
  vi.useRealTimers();
  fake.reset();
  fake.setPrompts(PROMPTS);
});

const PROMPTS = [
  {
    id: "TEXTPROMPT",
    version: "1",
    text: "Write about {{ topic }} for {{name}}. Literal {{topic}} again.",
    modelId: "anthropic.claude-3-haiku",
    inferenceConfiguration: { maxTokens: 256, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
    additionalModelRequestFields: { top_k: 40 },
  },
  { id: "TEXTPROMPT", version: "2", text: "Version two about {{topic}}.", modelId: "anthropic.claude-3-sonnet" },
  {
    id: "CHATPROMPT",
    version: "3",
    system: "You speak {{language}}.",
    messages: [
      { role: "user" as const, content: [{ text: "Hello {{ name }}" }] },
      { role: "assistant" as const, content: [{ text: "Hi!" }, { text: "How can I help?" }] },
      { role: "user" as const, content: [{ text: "Tell me about {{topic}}" }] },
    ],
    modelId: "amazon.nova-pro",
    inferenceConfiguration: { maxTokens: 100 },
  },
  { id: "NOMODEL", text: "plain", inputVariables: [] },
];

function resolver(extra: Parameters<typeof createPromptResolver>[0] = {}): PromptResolver {
  return createPromptResolver({ endpointOverride: fake.url, credentials, maxAttempts: 1, ...extra });
}

async function promptError(p: Promise<unknown>): Promise<PromptError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PromptError);
  return err as PromptError;
}

describe("isPromptArn", () => {
  it("accepts bedrock prompt ARNs in every partition, with or without a version", () => {
    for (const region of ["us-west-2", "cn-north-1", "us-gov-west-1"]) {
      expect(isPromptArn(promptArn(region, "ABCDEFGHIJ"))).toBe(true);
      expect(isPromptArn(promptArn(region, "ABCDEFGHIJ", "2"))).toBe(true);
      expect(isPromptArn(promptArn(region, "ABCDEFGHIJ", "DRAFT"))).toBe(true);
    }
    expect(parsePromptArn(promptArn("cn-northwest-1", "ABCDEFGHIJ", "7"))).toMatchObject({ partition: "aws-cn", region: "cn-northwest-1", account: ACCOUNT, promptId: "ABCDEFGHIJ", version: "7" });
  });

  it("rejects other model ids and ARNs", () => {
    expect(isPromptArn("anthropic.claude-3-haiku-20240307-v1:0")).toBe(false);
    expect(isPromptArn(arn("us-east-1", "bedrock", "inference-profile/us.anthropic.claude-3-haiku", { account: ACCOUNT }))).toBe(false);
    expect(isPromptArn(arn("us-east-1", "bedrock", "foundation-model/amazon.nova-pro-v1:0"))).toBe(false);
    expect(isPromptArn(arn("us-east-1", "sagemaker", "prompt/ABCDEFGHIJ", { account: ACCOUNT }))).toBe(false);
    expect(isPromptArn(arn("us-east-1", "bedrock", "prompt/ABC/DEF", { account: ACCOUNT }))).toBe(false);
    expect(isPromptArn("prompt/ABCDEFGHIJ")).toBe(false);
  });
});

describe("createPromptResolver against a GetPrompt server with the real SDK", () => {
  it("renders a TEXT template into one user message with the variant's model and inference settings", async () => {
    const r = resolver();
    const resolved = await r.resolve(promptArn("us-east-1", "TEXTPROMPT", "1"), { topic: "tides {{name}}", name: "Ana" });
    expect(resolved).toEqual({
      modelId: "anthropic.claude-3-haiku",
      messages: [{ role: "user", content: "Write about tides {{name}} for Ana. Literal tides {{name}} again." }],
      inferenceConfig: { maxTokens: 256, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
      additionalModelRequestFields: { top_k: 40 },
    });
    const calls = fake.lastRequests().filter((q) => q.route === "get-prompt");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe("/prompts/TEXTPROMPT/?promptVersion=1");
  });

  it("renders a CHAT template into system + messages (aws-cn ARN), accepting Bedrock {text} values", async () => {
    const resolved = await resolver().resolve(promptArn("cn-north-1", "CHATPROMPT", "3"), {
      language: "French",
      name: { text: "Li" },
      topic: "tea",
    } as unknown as Record<string, string>);
    expect(resolved).toEqual({
      modelId: "amazon.nova-pro",
      system: "You speak French.",
      messages: [
        { role: "user", content: "Hello Li" },
        { role: "assistant", content: [{ type: "text", text: "Hi!" }, { type: "text", text: "How can I help?" }] },
        { role: "user", content: "Tell me about tea" },
      ],
      inferenceConfig: { maxTokens: 100 },
    });
  });

  it("signs GetPrompt for the ARN's own region in each partition", async () => {
    const r = createPromptResolver({ endpointOverride: relayUrl, credentials, maxAttempts: 1 });
    seenHeaders.length = 0;
    for (const region of ["eu-central-2", "cn-northwest-1", "us-gov-east-1"]) {
      await r.resolve(promptArn(region, "TEXTPROMPT", "2"), { topic: region });
    }
    const scopes = seenHeaders.map((h) => /Credential=AKIDTEST\/\d{8}\/([a-z0-9-]+)\/bedrock\/aws4_request/.exec(String(h.authorization))?.[1]);
    expect(scopes).toEqual(["eu-central-2", "cn-northwest-1", "us-gov-east-1"]);
  });

  it("sends a bearer token instead of a signature when configured", async () => {
    const r = createPromptResolver({ endpointOverride: relayUrl, token: "sk-bedrock-api-key", maxAttempts: 1 });
    seenHeaders.length = 0;
    await r.resolve(promptArn("us-west-2", "TEXTPROMPT", "2"), { topic: "x" });
    expect(seenHeaders).toHaveLength(1);
    expect(seenHeaders[0]!.authorization).toBe("Bearer sk-bedrock-api-key");
    expect(seenHeaders[0]!["x-amz-date"]).toBeUndefined();
  });

  it("signs prompts of another partition with the global credentials and keeps the default ones at home", async () => {
    const globalCredentials = { accessKeyId: "AKIDGLOBALPROMPTS", secretAccessKey: "global-secret" };
    const r = createPromptResolver({ endpointOverride: relayUrl, credentials, globalCredentials, homeRegion: "cn-north-1", maxAttempts: 1 });
    seenHeaders.length = 0;
    for (const region of ["us-east-1", "cn-northwest-1", "eu-west-1", "cn-north-1"]) await r.resolve(promptArn(region, "TEXTPROMPT", "2"), { topic: region });
    const signers = seenHeaders.map((h) => /Credential=([A-Z0-9]+)\/\d{8}\/([a-z0-9-]+)\//.exec(String(h.authorization))?.slice(1).join(" "));
    expect(signers).toEqual(["AKIDGLOBALPROMPTS us-east-1", "AKIDTEST cn-northwest-1", "AKIDGLOBALPROMPTS eu-west-1", "AKIDTEST cn-north-1"]);
    // The global credentials are the commercial partition's: a GovCloud prompt is refused, not signed with them.
    const gov = await promptError(r.resolve(promptArn("us-gov-west-1", "TEXTPROMPT", "2"), { topic: "x" }));
    expect([gov.statusCode, gov.code]).toEqual([403, "prompt_cross_partition_credentials_missing"]);
    expect(seenHeaders).toHaveLength(4);
  });

  it("refuses a cross-partition prompt with a 403 naming the missing global credentials, without calling GetPrompt", async () => {
    const r = createPromptResolver({ endpointOverride: relayUrl, credentials, homeRegion: "cn-northwest-1", maxAttempts: 1 });
    seenHeaders.length = 0;
    const err = await promptError(r.resolve(promptArn("us-west-2", "TEXTPROMPT", "2"), { topic: "x" }));
    expect([err.statusCode, err.code]).toEqual([403, "prompt_cross_partition_credentials_missing"]);
    expect(err.message).toMatch(/cross-partition prompts need the global credentials \(GLOBAL_BEDROCK_ACCESS_KEY_ID and GLOBAL_BEDROCK_SECRET_ACCESS_KEY\)/);
    expect(seenHeaders).toHaveLength(0);
    // Same-partition prompts still work with the default credentials.
    expect((await r.resolve(promptArn("cn-north-1", "TEXTPROMPT", "2"), { topic: "y" })).messages[0]!.content).toBe("Version two about y.");
    expect(String(seenHeaders[0]!.authorization)).toContain("Credential=AKIDTEST/");
  });

  it("names both missing and unexpected variables in a 400", async () => {
    const err = await promptError(resolver().resolve(promptArn("us-east-1", "TEXTPROMPT", "1"), { topic: "a", colour: "red", size: "L" }));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe("prompt_variables_mismatch");
    expect(err.missing).toEqual(["name"]);
    expect(err.unexpected).toEqual(["colour", "size"]);
    expect(err.message).toContain("missing [name]");
    expect(err.message).toContain("unexpected [colour, size]");
    const none = await promptError(resolver().resolve(promptArn("us-east-1", "TEXTPROMPT", "2"), undefined));
    expect(none.missing).toEqual(["topic"]);
    expect(none.unexpected).toEqual([]);
    const bad = await promptError(resolver().resolve(promptArn("us-east-1", "TEXTPROMPT", "2"), { topic: 3 } as unknown as Record<string, string>));
    expect(bad.code).toBe("prompt_invalid_variable");
  });

  it("caches per (arn, version), shares one in-flight call, and refetches after the TTL", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const r = resolver({ ttlMs: 60_000 });
    const v1 = promptArn("us-east-1", "TEXTPROMPT", "1");
    const v2 = promptArn("us-east-1", "TEXTPROMPT", "2");
    await Promise.all(Array.from({ length: 10 }, () => r.resolve(v1, { topic: "a", name: "b" })));
    expect(fake.counters()["get-prompt"]).toBe(1);
    expect((await r.resolve(v2, { topic: "z" })).messages[0]!.content).toBe("Version two about z.");
    expect((await r.resolve(v1, { topic: "c", name: "d" })).modelId).toBe("anthropic.claude-3-haiku");
    expect(fake.counters()["get-prompt"]).toBe(2);
    vi.setSystemTime(Date.now() + 61_000);
    await r.resolve(v1, { topic: "a", name: "b" });
    expect(fake.counters()["get-prompt"]).toBe(3);
  });

  it("with ttlMs 0 refetches every time but still shares one in-flight call", async () => {
    const r = resolver({ ttlMs: 0 });
    const v2 = promptArn("us-east-1", "TEXTPROMPT", "2");
    await Promise.all(Array.from({ length: 5 }, () => r.resolve(v2, { topic: "a" })));
    expect(fake.counters()["get-prompt"]).toBe(1);
    await r.resolve(v2, { topic: "b" });
    expect(fake.counters()["get-prompt"]).toBe(2);
  });

  it("maps GetPrompt errors to 404 / 403 / 400 / 502 and does not cache failures", async () => {
    const r = resolver();
    const missing = promptArn("us-east-1", "LATERADDED");
    const notFound = await promptError(r.resolve(missing, {}));
    expect([notFound.statusCode, notFound.code]).toEqual([404, "prompt_not_found"]);
    fake.setPrompts([...PROMPTS, { id: "LATERADDED", text: "now here", modelId: "m" }]);
    expect((await r.resolve(missing, {})).messages).toEqual([{ role: "user", content: "now here" }]);

    const cases: [number, string, number][] = [
      [403, "AccessDeniedException", 403],
      [400, "ValidationException", 400],
      [429, "ThrottlingException", 502],
      [500, "InternalServerException", 502],
    ];
    for (const [status, type, expected] of cases) {
      fake.failNext("get-prompt", 1, status, type);
      const err = await promptError(r.resolve(promptArn("us-east-1", "TEXTPROMPT", "2"), { topic: "t" }));
      expect(err.statusCode, type).toBe(expected);
      expect(err.message).toContain(type);
    }
  });

  it("reports an unreachable endpoint as 502 and unusable prompts as 400", async () => {
    const down = createPromptResolver({ endpointOverride: "http://127.0.0.1:1", credentials, maxAttempts: 1, connectTimeoutMs: 1000 });
    expect((await promptError(down.resolve(promptArn("us-east-1", "TEXTPROMPT", "2"), { topic: "t" }))).statusCode).toBe(502);
    const noModel = await promptError(resolver().resolve(promptArn("us-east-1", "NOMODEL"), {}));
    expect([noModel.statusCode, noModel.code]).toEqual([400, "prompt_unusable"]);
    expect(noModel.message).toContain("has no modelId");
    const notArn = await promptError(resolver().resolve("anthropic.claude-3-haiku", {}));
    expect(notArn.code).toBe("prompt_invalid_arn");
  });
});
