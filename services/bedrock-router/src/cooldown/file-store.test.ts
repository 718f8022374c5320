import { mkdtempSync, readFileSync, existsSync, utimesSync, writeFileSync, readdirSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CooldownStoreError } from "../errors";
import { FileCooldownStore } from "./file-store";
import { cooldownStoreContract, sharedCooldownContract } from "../test-support/store-contract";
import { runWorker } from "../test-support/processes";

const dir = mkdtempSync(join(tmpdir(), "router-file-store-"));
let n = 0;
const freshPath = () => join(dir, `cooldowns-${n++}.json`);

describe("FileCooldownStore", () => {
  cooldownStoreContract(() => new FileCooldownStore({ path: freshPath() }));

  it("replaces the file atomically: readers always see complete JSON while 4 processes write", async () => {
    const path = freshPath();
    const base = Date.now();
    const workers = [1, 2, 3, 4].map((w) =>
      runWorker("store-worker", { STORE: "file", STORE_PATH: path, WORKER: String(w), STORE_OPS: "40", STORE_NOW: String(base) }, 60_000),
    );
    const reader = new FileCooldownStore({ path });
    let reads = 0;
    let done = false;
    const all = Promise.all(workers).finally(() => (done = true));
    while (!done && reads < 5_000) {
      await reader.get(["shared"]); // throws CooldownStoreError on a partial or empty file
      reads++;
      await new Promise((r) => setImmediate(r));
    }
    await all;
    const content = JSON.parse(readFileSync(path, "utf8")) as { cooldowns: Record<string, number> };
    // No lost update: every worker's every write survived the others' read-merge-write cycles.
    for (let w = 1; w <= 4; w++) for (let i = 0; i < 40; i++) expect(content.cooldowns[`w${w}-t${i}`]).toBeTypeOf("number");
    // Concurrent extensions of one target keep the latest end: worker 4's last write.
    expect(content.cooldowns.shared).toBe(base + 600_000 + 4 * 1_000 + 39);
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(reads).toBeGreaterThan(0);
  }, 90_000);

  it("breaks a lock left by a dead process and a lock older than staleLockMs", async () => {
    const path = freshPath();
    const store = new FileCooldownStore({ path, staleLockMs: 1_000, lockTimeoutMs: 2_000 });
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), token: "dead" }));
    await store.coolDown("a", Date.now() + 1_000, Date.now());
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 1, host: "another-host", token: "old" }));
    const past = new Date(Date.now() - 5_000);
    utimesSync(`${path}.lock`, past, past);
    await store.coolDown("b", Date.now() + 1_000, Date.now());
    expect([...(await store.get(["a", "b"])).keys()]).toEqual(["a", "b"]);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it("waits for a live lock and gives up with CooldownStoreError after lockTimeoutMs", async () => {
    const path = freshPath();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), token: "held" }));
    const store = new FileCooldownStore({ path, lockTimeoutMs: 200 });
    await expect(store.coolDown("a", Date.now() + 1_000, Date.now())).rejects.toBeInstanceOf(CooldownStoreError);
    expect(existsSync(`${path}.lock`)).toBe(true); // not ours: left alone
  });

  it("rejects a corrupt file on read with a clear error", async () => {
    const path = freshPath();
    writeFileSync(path, "{ half");
    await expect(new FileCooldownStore({ path }).get(["a"])).rejects.toThrow(/not valid/);
  });

  sharedCooldownContract(() => ({ type: "file", path: freshPath() }), 3);
});
