/**
 * Demo CLI (the seed's main.py / advanced_feature_tests.py):
 *   pnpm --filter @gw/bedrock-router demo converse|converse-stream|invoke|invoke-stream \
 *     --config router.yaml --model anthropic.claude-3-haiku-20240307-v1:0 --prompt "Hello"
 * Prints the answer, the target that served it and every failed attempt. Exit codes: 0 served, 1 not served, 2 usage.
 */
import { resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { BedrockRouter } from "./router";
import { BedrockRouterError, NonRetryableError, RouterConfigError } from "./errors";
import type { FailedAttempt, RoutedResult } from "./types";

const APIS = ["converse", "converse-stream", "invoke", "invoke-stream"] as const;
type Api = (typeof APIS)[number];

const USAGE = `usage: demo <${APIS.join("|")}> --config <file.json|file.yaml|bedrock_endpoints.conf> --model <model id> [--prompt <text>] [--max-tokens <n>] [--system <text>]`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

function anthropicBody(prompt: string, maxTokens: number, system?: string): string {
  return JSON.stringify({
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: maxTokens,
    ...(system ? { system } : {}),
    messages: [{ role: "user", content: prompt }],
  });
}

/** Text of an InvokeModel body: Anthropic Messages content blocks, else the raw JSON. */
function invokeText(body: Uint8Array | undefined): string {
  const raw = new TextDecoder().decode(body ?? new Uint8Array());
  try {
    const parsed = JSON.parse(raw) as { content?: { text?: string }[] };
    if (Array.isArray(parsed.content)) return parsed.content.map((c) => c.text ?? "").join("");
  } catch {
    // not JSON: print as is
  }
  return raw;
}

function chunkText(bytes: Uint8Array | undefined): string {
  if (!bytes) return "";
  try {
    const event = JSON.parse(new TextDecoder().decode(bytes)) as { type?: string; delta?: { text?: string } };
    return event.type === "content_block_delta" ? (event.delta?.text ?? "") : "";
  } catch {
    return "";
  }
}

function describeAttempts(attempts: readonly FailedAttempt[]): string {
  return attempts.length === 0 ? "none" : attempts.map((a) => `${a.targetId} (${a.region}) ${a.errorName} after ${a.durationMs} ms`).join("; ");
}

function footer(io: Io, result: RoutedResult<unknown>): void {
  const s = result.servedBy;
  io.out(`SERVED BY: ${s.targetId} (region ${s.region}, partition ${s.partition}, model ${s.modelId})\n`);
  io.out(`FAILED TARGETS: ${describeAttempts(result.attempts)}\n`);
}

export async function runCli(argv: readonly string[], io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: "string" },
        model: { type: "string" },
        prompt: { type: "string", default: "Hello! Who are you?" },
        system: { type: "string" },
        "max-tokens": { type: "string", default: "512" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const api = positionals[0] as Api | undefined;
  const maxTokens = Number(values["max-tokens"]);
  if (values.help || !api || !APIS.includes(api) || !values.config || !values.model || !Number.isInteger(maxTokens) || maxTokens < 1) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  let router: BedrockRouter;
  try {
    // pnpm runs scripts in the package folder; INIT_CWD is where the user typed the command.
    router = BedrockRouter.fromFile(resolvePath(process.env.INIT_CWD ?? process.cwd(), values.config));
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 2;
  }
  const modelId = values.model;
  const prompt = values.prompt as string;
  const system = values.system ? [{ text: values.system }] : undefined;
  const messages = [{ role: "user" as const, content: [{ text: prompt }] }];
  try {
    io.out(`BEDROCK ${api} RESPONSE:\n`);
    switch (api) {
      case "converse": {
        const res = await router.converse({ modelId, messages, ...(system ? { system } : {}), inferenceConfig: { maxTokens } });
        io.out(`${res.output.output?.message?.content?.map((c) => c.text ?? "").join("") ?? ""}\n`);
        footer(io, res);
        break;
      }
      case "converse-stream": {
        const res = await router.converseStream({ modelId, messages, ...(system ? { system } : {}), inferenceConfig: { maxTokens } });
        for await (const event of res.output.stream ?? []) io.out(event.contentBlockDelta?.delta?.text ?? "");
        io.out("\n");
        footer(io, res);
        break;
      }
      case "invoke": {
        const res = await router.invokeModel({ modelId, body: anthropicBody(prompt, maxTokens, values.system), contentType: "application/json", accept: "application/json" });
        io.out(`${invokeText(res.output.body)}\n`);
        footer(io, res);
        break;
      }
      case "invoke-stream": {
        const res = await router.invokeModelWithResponseStream({ modelId, body: anthropicBody(prompt, maxTokens, values.system), contentType: "application/json" });
        for await (const event of res.output.body ?? []) io.out(chunkText(event.chunk?.bytes));
        io.out("\n");
        footer(io, res);
        break;
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof BedrockRouterError && !(e instanceof RouterConfigError)) {
      io.out("\n");
      io.err(`ERROR ${e.code}: ${e.message}\n`);
      const attempts = (e as { attempts?: readonly FailedAttempt[] }).attempts;
      if (attempts) io.err(`FAILED TARGETS: ${describeAttempts(attempts)}\n`);
      if (e instanceof NonRetryableError) io.err(`(not retried: ${e.errorName} would fail the same way in every region)\n`);
      return 1;
    }
    throw e;
  } finally {
    await router.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
