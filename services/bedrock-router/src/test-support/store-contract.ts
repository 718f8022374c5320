/** Behaviour every CooldownStore must have; each store's test file runs it against a real instance. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeLlm } from "@gw/fake-llm";
import type { CooldownStore } from "../cooldown/store";
import { runWorker } from "./processes";
import { bedrockCalls, startHealthyRegion, startThrottlingRegion } from "./regions";

export function cooldownStoreContract(make: () => Promise<CooldownStore> | CooldownStore): void {
  it("stores cooldown ends per target, keeps the later end, and clears", async () => {
    const store = await make();
    try {
      const now = Date.now();
      expect(await store.get(["a", "b"])).toEqual(new Map());
      await store.coolDown("a", now + 5_000, now);
      await store.coolDown("b", now + 9_000, now);
      await store.coolDown("a", now + 1_000, now); // shorter: ignored
      expect(await store.get(["a", "b", "c"])).toEqual(new Map([["a", now + 5_000], ["b", now + 9_000]]));
      await store.coolDown("a", now + 7_000, now); // longer: wins
      await store.clear("b");
      expect(await store.get(["a", "b"])).toEqual(new Map([["a", now + 7_000]]));
      expect(await store.get([])).toEqual(new Map());
    } finally {
      await store.close();
    }
  });
}

/**
 * Router processes sharing one store: the first sees the primary region throttle and records a cooldown, then
 * `others` processes (5 calls each) all go straight to the healthy region. `cooldownStore` is the router config's
 * `cooldownStore` section, built when the test runs (after the store's own setup).
 */
export function sharedCooldownContract(cooldownStore: () => Record<string, unknown>, others: number): void {
  describe("shared by router processes", () => {
    let throttling: FakeLlm;
    let healthy: FakeLlm;
    beforeAll(async () => {
      [throttling, healthy] = await Promise.all([startThrottlingRegion("us-west-2"), startHealthyRegion("eu-west-3")]);
    });
    afterAll(async () => {
      await Promise.all([throttling?.close(), healthy?.close()]);
    });

    it("a cooldown recorded by one router process keeps the others away from the failing region", async () => {
      const config = JSON.stringify({
        cooldownStore: cooldownStore(),
        targets: [
          { region: "us-west-2", endpoint: throttling.url, credentials: "fake", primary: true },
          { region: "eu-west-3", endpoint: healthy.url, credentials: "fake" },
        ],
      });
      const first = await runWorker<{ servedBy: string[]; failed: string[] }>("route-worker", { ROUTER_CONFIG: config, CALLS: "1" });
      expect(first).toEqual({ servedBy: ["eu-west-3"], failed: ["us-west-2"] });
      const rest = await Promise.all(
        Array.from({ length: others }, () => runWorker<{ servedBy: string[]; failed: string[] }>("route-worker", { ROUTER_CONFIG: config, CALLS: "5" })),
      );
      for (const o of rest) expect(o).toEqual({ servedBy: Array(5).fill("eu-west-3"), failed: [] });
      expect(bedrockCalls(throttling)).toBe(1);
      expect(bedrockCalls(healthy)).toBe(1 + 5 * others);
    }, 90_000);
  });
}
