import { describe, expect, it } from "vitest";
import { backoffDelayMs, planTargets, weightedOrder } from "./plan";
import { seededRandom } from "./test-support/regions";
import { DEFAULT_SETTINGS, type RouteTarget } from "./types";

function target(id: string, primary = false, weight = 1): RouteTarget {
  return { id, region: id, partition: "aws", primary, weight, endpoint: `http://127.0.0.1/${id}` };
}
const ids = (ts: readonly RouteTarget[]) => ts.map((t) => t.id);

describe("plan", () => {
  const targets = [target("a"), target("p1", true), target("b"), target("p2", true)];

  it("orders available primaries first, then the rest in list order, skipping cooling targets at this instant", () => {
    const plan = planTargets(targets, new Map([["b", 2_000]]), 1_000, { ...DEFAULT_SETTINGS, spreadPrimaries: false }, Math.random);
    expect(ids(plan.order)).toEqual(["p1", "p2", "a"]);
    const later = planTargets(targets, new Map([["b", 2_000]]), 2_000, { ...DEFAULT_SETTINGS, spreadPrimaries: false }, Math.random);
    expect(ids(later.order)).toEqual(["p1", "p2", "a", "b"]);
  });

  it("keeps only the first target when multiRegion is off", () => {
    expect(ids(planTargets(targets, new Map(), 0, { ...DEFAULT_SETTINGS, spreadPrimaries: false, multiRegion: false }, Math.random).order)).toEqual(["p1"]);
  });

  it("picks the first primary in proportion to weight", () => {
    const random = seededRandom(7);
    const first = new Map<string, number>();
    const items = [target("x", true, 1), target("y", true, 2), target("z", true, 7)];
    for (let i = 0; i < 10_000; i++) {
      const id = weightedOrder(items, random)[0]!.id;
      first.set(id, (first.get(id) ?? 0) + 1);
    }
    expect(first.get("x")! / 10_000).toBeCloseTo(0.1, 1);
    expect(first.get("y")! / 10_000).toBeCloseTo(0.2, 1);
    expect(first.get("z")! / 10_000).toBeCloseTo(0.7, 1);
  });

  it("falls back to every target, soonest cooldown end first, or to nothing with 'fail'", () => {
    const ends = new Map([["a", 50], ["p1", 30], ["b", 90], ["p2", 10]]);
    const plan = planTargets(targets, ends, 0, DEFAULT_SETTINGS, Math.random);
    expect(plan.fromCooldown).toBe(true);
    expect(ids(plan.order)).toEqual(["p2", "p1", "a", "b"]);
    expect(planTargets(targets, ends, 0, { ...DEFAULT_SETTINGS, whenAllCoolingDown: "fail" }, Math.random).order).toEqual([]);
  });

  it("backs off with full jitter under an exponential cap", () => {
    expect(backoffDelayMs(1, 100, 2_000, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, 100, 2_000, () => 0.5)).toBe(200);
    expect(backoffDelayMs(10, 100, 2_000, () => 0.999)).toBe(1_998);
    expect(backoffDelayMs(2, 100, 2_000, () => 0)).toBe(0);
  });
});
