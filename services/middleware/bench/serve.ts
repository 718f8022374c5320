/** Benchmark target process: `serve.ts fake` (zero-latency fake-llm) or `serve.ts middleware <litellmUrl>`. Prints its URL. */
import { startFakeLlm } from "@gw/fake-llm";
import { loadMiddlewareConfig } from "../src/config";
import { buildServer } from "../src/server";

const [kind, litellmUrl] = process.argv.slice(2);
if (kind === "fake") {
  const fake = await startFakeLlm({ host: "127.0.0.1", port: 0, latencyMs: 0, requestLogSize: 1, keys: ["sk-bench-key"] }); // bench.ts KEY
  console.log(`READY ${fake.url}`);
} else if (kind === "middleware" && litellmUrl) {
  const config = loadMiddlewareConfig({ DATABASE_URL: process.env.DATABASE_URL, LITELLM_URL: litellmUrl, LOG_LEVEL: process.env.BENCH_MW_LOG_LEVEL ?? "warn", LOG_REQUESTS: "false", HISTORY_HASH_KEY: "bench" }, { host: "127.0.0.1", port: 0 });
  const app = await buildServer(config);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  console.log(`READY http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`);
} else {
  console.error("usage: serve.ts fake | middleware <litellmUrl>");
  process.exit(2);
}
// Exit normally on signals so `node --cpu-prof` can write its profile.
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => process.exit(0));
