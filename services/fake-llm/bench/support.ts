/// <reference path="./autocannon.d.ts" />
/**
 * What the fake-llm and middleware benchmarks share (`@gw/fake-llm/bench-support`): starting a target in its own
 * process and loading its chat-completions route with autocannon.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import autocannon from "autocannon";

const tsxLoader = createRequire(import.meta.url).resolve("tsx");

/** The non-streaming chat request every benchmark sends. */
export const BENCH_CHAT_BODY = JSON.stringify({
  model: "fake-openai-endpoint",
  messages: [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Give me a short answer about load testing an AI gateway." },
  ],
  max_tokens: 64,
});

export interface BenchProcess {
  url: string;
  child: ChildProcess;
}

/**
 * Runs `script` under tsx in its own process (so the load generator does not share its event loop) and resolves
 * once it prints `READY <loopback URL>` on stdout; `label` names it in errors.
 */
export async function startBenchProcess(script: string, args: string[], opts: { label: string; timeoutMs: number }): Promise<BenchProcess> {
  const child = spawn(process.execPath, ["--import", tsxLoader, script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.setEncoding("utf8");
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${opts.label} did not start within ${opts.timeoutMs / 1000} s`)), opts.timeoutMs);
    child.stdout!.on("data", (d: string) => {
      out += d;
      const m = /READY (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`${opts.label} exited with ${code}`)));
  });
  return { url, child };
}

/** One autocannon run of POST `<url>/v1/chat/completions` with `body` (default BENCH_CHAT_BODY). */
export function chatLoad(
  url: string,
  opts: { headers: Record<string, string>; connections: number; body?: string; duration?: number; amount?: number; overallRate?: number },
): ReturnType<typeof autocannon> {
  return autocannon({
    url: `${url}/v1/chat/completions`,
    method: "POST",
    body: opts.body ?? BENCH_CHAT_BODY,
    headers: opts.headers,
    connections: opts.connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration }),
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
  });
}
