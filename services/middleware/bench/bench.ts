/**
 * `pnpm bench:middleware`: the middleware's cost, measured against direct calls to the same zero-latency fake-llm in
 * the same run (each in its own process, loopback only, bounded durations). Prints every figure, its target and the
 * ratio. Targets (issue 4, 2-core machine):
 *   added latency p50 < 1 ms and p99 < 5 ms at ~1,000 non-streaming requests/s
 *   added time to first byte < 2 ms for streams
 *   throughput through the middleware >= 60% of direct
 *   middleware RSS < 150 MB after 10,000 requests
 *   a turn with a 1,000-message history <= 1.5x the latency of a turn with a 1-message history
 * Knobs: BENCH_DURATION_S (default 8) per autocannon run, BENCH_CONNECTIONS (default 50).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Pool, request } from "undici";
import autocannon from "autocannon";

const duration = Number(process.env.BENCH_DURATION_S ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const here = fileURLToPath(new URL(".", import.meta.url));
const tsxLoader = createRequire(import.meta.url).resolve("tsx");
const KEY = "sk-bench-key";
const headers = { "content-type": "application/json", authorization: `Bearer ${KEY}` };
const body = JSON.stringify({
  model: "fake-openai-endpoint",
  messages: [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Give me a short answer about load testing an AI gateway." },
  ],
  max_tokens: 64,
});
const streamBody = JSON.stringify({ ...JSON.parse(body), stream: true });

interface Proc {
  url: string;
  child: ChildProcess;
}

async function start(args: string[]): Promise<Proc> {
  const child = spawn(process.execPath, ["--import", tsxLoader, `${here}serve.ts`, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.setEncoding("utf8");
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start within 60 s`)), 60_000);
    child.stdout!.on("data", (d: string) => {
      out += d;
      const m = /READY (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
  return { url, child };
}

/**
 * The middleware as it runs in the container: the esbuild bundle (scripts/bundle.mjs) on plain node, no TypeScript
 * loader. Uses DATABASE_URL when set (the production setting), PGlite otherwise.
 */
async function startBundledMiddleware(litellmUrl: string): Promise<Proc & { dir: string }> {
  const dir = mkdtempSync(`${tmpdir()}/gw-mw-bench-`);
  const bundler = spawn(process.execPath, [`${here}../scripts/bundle.mjs`, dir], { stdio: ["ignore", "ignore", "inherit"] });
  const code = await new Promise<number | null>((resolve) => bundler.once("exit", resolve));
  if (code !== 0) throw new Error(`bundling failed (${code})`);
  const port = await freePort();
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: String(port), LITELLM_URL: litellmUrl, LOG_LEVEL: "warn", LOG_REQUESTS: "false", HISTORY_HASH_KEY: "bench" };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  const child = spawn(process.execPath, [`${dir}/main.mjs`], { stdio: ["ignore", "inherit", "inherit"], env });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const ok = await request(`${url}/health/liveliness`).then((r) => (r.body.resume(), r.statusCode === 200)).catch(() => false);
    if (ok) return { url, child, dir };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("bundled middleware did not become live within 30 s");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const f = (n: number, d = 2) => n.toFixed(d);
const results: { name: string; value: string; target: string; pass: boolean }[] = [];
function report(name: string, value: string, target: string, pass: boolean): void {
  results.push({ name, value, target, pass });
  console.log(`${pass ? "PASS" : "MISS"}  ${name}: ${value}   (target ${target})`);
}

async function load(url: string, opts: { overallRate?: number; amount?: number; duration?: number; connections?: number }) {
  const r = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: "POST",
    body,
    headers,
    connections: opts.connections ?? connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? duration }),
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
  });
  if (r.errors || r.non2xx || r.timeouts) console.log(`   (errors ${r.errors}, non-2xx ${r.non2xx}, timeouts ${r.timeouts})`);
  return r;
}

/**
 * Latency at a fixed arrival rate, measured per request with sub-millisecond precision (autocannon reports whole
 * milliseconds). Requests are sent every 2 ms in small batches over a keep-alive pool.
 */
async function pacedLatency(url: string, rate: number, seconds: number): Promise<{ sorted: number[]; achieved: number; errors: number }> {
  const pool = new Pool(url, { connections: 64 });
  const tick = 2;
  const perTick = Math.max(1, Math.round((rate * tick) / 1000));
  const lat: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  let next = start;
  while (performance.now() < end) {
    for (let i = 0; i < perTick; i++) {
      const t0 = performance.now();
      pending.push(
        pool
          .request({ path: "/v1/chat/completions", method: "POST", headers, body })
          .then(async (r) => {
            await r.body.arrayBuffer();
            if (r.statusCode === 200) lat.push(performance.now() - t0);
            else errors++;
          })
          .catch(() => void errors++),
      );
    }
    next += tick;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await Promise.all(pending);
  const achieved = lat.length / ((performance.now() - start) / 1000);
  await pool.close();
  return { sorted: lat.sort((a, b) => a - b), achieved, errors };
}

/** Time to first body byte of a streamed completion, sequential, in ms. */
async function ttfb(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await request(`${url}/v1/chat/completions`, { method: "POST", headers, body: streamBody });
    let first = 0;
    for await (const _chunk of res.body) {
      if (!first) first = performance.now() - t0;
    }
    out.push(first);
  }
  return out.sort((a, b) => a - b);
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function turnLatencies(url: string, bodies: (() => string)[]): Promise<number[]> {
  const out: number[] = [];
  for (const b of bodies) {
    const t0 = performance.now();
    const res = await request(`${url}/v1/chat/completions`, { method: "POST", headers, body: b() });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`turn failed: ${res.statusCode}`);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

async function newSession(url: string): Promise<string> {
  const res = await request(`${url}/v1/chat/completions`, { method: "POST", headers, body: JSON.stringify({ model: "fake-openai-endpoint", messages: [{ role: "user", content: "start" }], enable_history: true }) });
  return ((await res.body.json()) as { session_id: string }).session_id;
}

async function main(): Promise<void> {
  const fake = await start(["fake"]);
  const mw = process.env.BENCH_TSX === "1" ? await start(["middleware", fake.url]) : await startBundledMiddleware(fake.url);
  const rssStart = rssMb(mw.child.pid!);
  const store = process.env.DATABASE_URL ? "Postgres" : "PGlite in process";
  try {
    console.log(`fake-llm ${fake.url}  middleware ${mw.url}  (${duration}s runs, ${connections} connections)\n`);
    // Warm-up both paths (JIT, sockets).
    await load(fake.url, { duration: 2 });
    await load(mw.url, { duration: 2 });

    // 1. Throughput at saturation.
    const directMax = await load(fake.url, {});
    const viaMax = await load(mw.url, {});
    const ratio = viaMax.requests.average / directMax.requests.average;
    console.log(`throughput: direct ${f(directMax.requests.average, 0)} req/s, via middleware ${f(viaMax.requests.average, 0)} req/s`);
    report("throughput ratio (middleware / direct)", `${f(ratio * 100, 1)}%`, ">= 60%", ratio >= 0.6);

    // 2. Added latency at ~1,000 req/s: autocannon with overallRate (whole-ms figures) and a precise paced client.
    const directRate = await load(fake.url, { overallRate: 1000, connections: 20 });
    const viaRate = await load(mw.url, { overallRate: 1000, connections: 20 });
    console.log(`autocannon at ~1,000 req/s: direct p50 ${directRate.latency.p50} ms p99 ${directRate.latency.p99} ms (${f(directRate.requests.average, 0)} req/s); via p50 ${viaRate.latency.p50} ms p99 ${viaRate.latency.p99} ms (${f(viaRate.requests.average, 0)} req/s)`);
    const pd = await pacedLatency(fake.url, 1000, duration);
    const pv = await pacedLatency(mw.url, 1000, duration);
    console.log(`paced at ~1,000 req/s: direct p50 ${f(pct(pd.sorted, 50), 3)} ms p99 ${f(pct(pd.sorted, 99), 3)} ms (${f(pd.achieved, 0)} req/s, ${pd.errors} errors); via p50 ${f(pct(pv.sorted, 50), 3)} ms p99 ${f(pct(pv.sorted, 99), 3)} ms (${f(pv.achieved, 0)} req/s, ${pv.errors} errors)`);
    const addP50 = pct(pv.sorted, 50) - pct(pd.sorted, 50);
    const addP99 = pct(pv.sorted, 99) - pct(pd.sorted, 99);
    report("added latency p50 at ~1,000 req/s", `${f(addP50)} ms`, "< 1 ms", addP50 < 1);
    report("added latency p99 at ~1,000 req/s", `${f(addP99)} ms`, "< 5 ms", addP99 < 5);

    // 3. Streaming time to first byte.
    await ttfb(fake.url, 20);
    await ttfb(mw.url, 20);
    const tDirect = await ttfb(fake.url, 300);
    const tVia = await ttfb(mw.url, 300);
    const addTtfb = pct(tVia, 50) - pct(tDirect, 50);
    console.log(`stream TTFB p50: direct ${f(pct(tDirect, 50))} ms, via ${f(pct(tVia, 50))} ms; p99 direct ${f(pct(tDirect, 99))} ms, via ${f(pct(tVia, 99))} ms`);
    report("added stream TTFB p50", `${f(addTtfb)} ms`, "< 2 ms", addTtfb < 2);

    // 4. RSS after 10,000 more requests (the runs above already sent many more). PGlite (no DATABASE_URL) runs
    // Postgres compiled to WebAssembly inside the middleware process, so its memory counts here too.
    await load(mw.url, { amount: 10_000 });
    const rss = rssMb(mw.child.pid!);
    console.log(`middleware RSS at start ${f(rssStart, 1)} MB, after the runs ${f(rss, 1)} MB (history store: ${store})`);
    report(`middleware RSS after 10,000 requests (${store})`, `${f(rss, 1)} MB`, "< 150 MB", rss < 150);

    // 5. History length: turns on a 1,000-message session vs turns on fresh 2-message sessions.
    const long = await newSession(mw.url);
    for (let i = 0; i < 499; i++) {
      await turnLatencies(mw.url, [() => JSON.stringify({ model: "fake-openai-endpoint", messages: [{ role: "user", content: `filler turn ${i}` }], session_id: long })]);
    }
    const shorts: string[] = [];
    for (let i = 0; i < 40; i++) shorts.push(await newSession(mw.url));
    const turn = (sid: string) => () => JSON.stringify({ model: "fake-openai-endpoint", messages: [{ role: "user", content: "measured turn" }], session_id: sid });
    const shortLat = await turnLatencies(mw.url, shorts.map((s) => turn(s)));
    const longLat = await turnLatencies(mw.url, Array.from({ length: 40 }, () => turn(long)));
    const histRatio = pct(longLat, 50) / pct(shortLat, 50);
    // The same upstream work without the middleware: fake-llm given 3 vs 1,001 messages directly.
    const msgs = (n: number) => Array.from({ length: n }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: i % 2 ? `fake reply from us-east-1: filler turn ${i}` : `filler turn ${i}` }));
    const directShort = await turnLatencies(fake.url, Array.from({ length: 40 }, () => () => JSON.stringify({ model: "fake-openai-endpoint", messages: [...msgs(2), { role: "user", content: "measured turn" }] })));
    const directLong = await turnLatencies(fake.url, Array.from({ length: 40 }, () => () => JSON.stringify({ model: "fake-openai-endpoint", messages: [...msgs(1000), { role: "user", content: "measured turn" }] })));
    const addedShort = pct(shortLat, 50) - pct(directShort, 50);
    const addedLong = pct(longLat, 50) - pct(directLong, 50);
    console.log(`same turns direct to fake-llm p50: 3 messages ${f(pct(directShort, 50))} ms, 1,001 messages ${f(pct(directLong, 50))} ms; time added by the middleware (load + compose + store): ${f(addedShort)} ms vs ${f(addedLong)} ms`);
    console.log(`turn latency p50: 2-message history ${f(pct(shortLat, 50))} ms, 1,000-message history ${f(pct(longLat, 50))} ms (p90 ${f(pct(shortLat, 90))} / ${f(pct(longLat, 90))} ms)`);
    report("turn latency ratio, 1,000-message vs 1-message history (p50)", `${f(histRatio)}x`, "<= 1.5x", histRatio <= 1.5);

    console.log(`\n${results.filter((r) => r.pass).length}/${results.length} targets met`);
  } finally {
    mw.child.kill("SIGTERM");
    fake.child.kill("SIGTERM");
    if ("dir" in mw) rmSync(mw.dir as string, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
