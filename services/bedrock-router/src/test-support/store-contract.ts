/** Behaviour every CooldownStore must have; each store's test file runs it against a real instance. */
import { expect, it } from "vitest";
import type { CooldownStore } from "../cooldown/store";

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
