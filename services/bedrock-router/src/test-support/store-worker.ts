/**
 * Child process for the shared-store tests: writes STORE_OPS cooldowns for its own targets (w<WORKER>-t<i>) and one
 * shared target (ends relative to STORE_NOW), as fast as it can, then prints {"ok":true}. STORE is "file" (STORE_PATH) or "redis" (STORE_URL,
 * STORE_PREFIX).
 */
import { FileCooldownStore } from "../cooldown/file-store";
import { RedisCooldownStore } from "../cooldown/redis-store";
import type { CooldownStore } from "../cooldown/store";

const env = process.env;
const worker = Number(env.WORKER);
const ops = Number(env.STORE_OPS ?? 50);
const store: CooldownStore =
  env.STORE === "redis"
    ? new RedisCooldownStore({ url: env.STORE_URL as string, keyPrefix: env.STORE_PREFIX as string })
    : new FileCooldownStore({ path: env.STORE_PATH as string, lockTimeoutMs: 20_000 });

const now = Number(env.STORE_NOW ?? Date.now());
for (let i = 0; i < ops; i++) {
  await store.coolDown(`w${worker}-t${i}`, now + 600_000 + i, now);
  // Every worker also extends one shared target; the largest end must win.
  await store.coolDown("shared", now + 600_000 + worker * 1_000 + i, now);
  if (i % 10 === 0) await store.get([`w${worker}-t${i}`, "shared"]);
}
await store.close();
process.stdout.write(`${JSON.stringify({ ok: true, worker })}\n`);
