import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { CooldownStoreError } from "../errors";
import { RedisCooldownStore } from "./redis-store";
import { cooldownStoreContract, sharedCooldownContract } from "../test-support/store-contract";
import { deleteKeys, startTestRedis, type TestRedis } from "../test-support/redis";
import { runWorker } from "../test-support/processes";
import { closedPortUrl } from "../test-support/regions";

let redis: TestRedis;
// Unique per run: CI may share one Redis between test files.
const prefix = `bedrock-router-test:${process.pid}:${randomBytes(4).toString("hex")}:`;
let n = 0;
const freshPrefix = () => `${prefix}${n++}:`;

beforeAll(async () => {
  redis = await startTestRedis();
});

afterAll(async () => {
  if (redis) {
    await deleteKeys(redis.url, prefix);
    await redis.stop();
  }
});

describe("RedisCooldownStore", () => {
  cooldownStoreContract(() => new RedisCooldownStore({ url: redis.url, keyPrefix: freshPrefix() }));

  it("gives each key a PX expiry equal to the remaining cooldown, so Redis forgets ended cooldowns", async () => {
    const store = new RedisCooldownStore({ url: redis.url, keyPrefix: freshPrefix() });
    try {
      const now = Date.now();
      await store.coolDown("long", now + 60_000, now);
      await store.coolDown("short", now + 150, now);
      const ttl = await store.remainingMs("long");
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      await sleep(300);
      expect([...(await store.get(["long", "short"])).keys()]).toEqual(["long"]);
      expect(await store.remainingMs("short")).toBe(-2);
    } finally {
      await store.close();
    }
  });

  it("uses a shared connection without closing it", async () => {
    const conn = new Redis(redis.url);
    const store = new RedisCooldownStore({ redis: conn, keyPrefix: freshPrefix() });
    await store.coolDown("x", Date.now() + 1_000, Date.now());
    await store.close();
    expect(await conn.ping()).toBe("PONG");
    conn.disconnect();
  });

  it("reports an unreachable Redis as CooldownStoreError within its command timeout", async () => {
    const url = (await closedPortUrl()).replace("http", "redis");
    const store = new RedisCooldownStore({ url, redisOptions: { retryStrategy: () => null } });
    const started = Date.now();
    await expect(store.get(["a"])).rejects.toBeInstanceOf(CooldownStoreError);
    expect(Date.now() - started).toBeLessThan(3_000);
    await store.close();
  });

  it("loses no write and keeps the latest end while 4 processes write concurrently", async () => {
    const keyPrefix = freshPrefix();
    const base = Date.now();
    await Promise.all(
      [1, 2, 3, 4].map((w) =>
        runWorker("store-worker", { STORE: "redis", STORE_URL: redis.url, STORE_PREFIX: keyPrefix, WORKER: String(w), STORE_OPS: "100", STORE_NOW: String(base) }, 60_000),
      ),
    );
    const store = new RedisCooldownStore({ url: redis.url, keyPrefix });
    try {
      const ids = [1, 2, 3, 4].flatMap((w) => Array.from({ length: 100 }, (_, i) => `w${w}-t${i}`));
      expect((await store.get(ids)).size).toBe(400);
      expect((await store.get(["shared"])).get("shared")).toBe(base + 600_000 + 4 * 1_000 + 99);
    } finally {
      await store.close();
    }
  }, 90_000);

  sharedCooldownContract(() => ({ type: "redis", url: redis.url, keyPrefix: freshPrefix() }), 2);
});
