/**
 * `pnpm bench:fake-llm`: non-streaming requests/s of a zero-latency fake-llm on loopback, against the 5,000 rps target
 * and against a bare node:http server answering a fixed JSON, measured in the same run on the same machine.
 * Bounded: BENCH_DURATION_S (default 10) seconds per target, BENCH_CONNECTIONS (default 50) connections.
 */
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { chatLoad, startBenchProcess } from "./support";

const TARGET_RPS = 5_000;
const duration = Number(process.env.BENCH_DURATION_S ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const here = fileURLToPath(new URL(".", import.meta.url));
const headers = { "content-type": "application/json", authorization: "Bearer sk-bench" };

async function measure(kind: "fake" | "bare"): Promise<{ rps: number; p99: number; errors: number }> {
  const { url, child } = await startBenchProcess(`${here}target.ts`, [kind], { label: `${kind} target`, timeoutMs: 20_000 });
  try {
    // Short warm-up so JIT and connection setup do not count.
    await chatLoad(url, { headers, connections, duration: 1 });
    const result = await chatLoad(url, { headers, connections, duration });
    return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx + result.timeouts };
  } finally {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
}

const fake = await measure("fake");
const bare = await measure("bare");
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(`fake-llm non-streaming: ${fmt(fake.rps)} req/s (p99 ${fake.p99} ms, errors ${fake.errors}) — ${duration} s, ${connections} connections, 127.0.0.1`);
console.log(`bare node:http baseline: ${fmt(bare.rps)} req/s (p99 ${bare.p99} ms, errors ${bare.errors})`);
console.log(`ratio fake/target(${fmt(TARGET_RPS)}): ${(fake.rps / TARGET_RPS).toFixed(2)}  ratio fake/bare: ${(fake.rps / bare.rps).toFixed(2)}`);
if (fake.errors > 0 || fake.rps < TARGET_RPS) {
  console.log(fake.errors > 0 ? "FAIL: errors during the run" : "FAIL: below the 5,000 req/s target");
  process.exitCode = 1;
}
