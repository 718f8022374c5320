/**
 * The order in which one call tries targets: available primaries first (spread by weight, or in list order), then
 * the other available targets in list order. Computed per call from the cooldown ends and the clock at that moment.
 */
import type { RouteTarget, RouterSettings } from "./types";

export interface Plan {
  readonly order: readonly RouteTarget[];
  /** True when every target was cooling down and they are tried anyway, soonest cooldown end first. */
  readonly fromCooldown: boolean;
}

/** Weighted random order (Efraimidis-Spirakis): target i comes first with probability weight_i / sum of weights. */
export function weightedOrder<T extends { readonly weight: number }>(items: readonly T[], random: () => number): T[] {
  return items
    .map((item) => ({ item, key: Math.pow(Math.max(random(), Number.MIN_VALUE), 1 / item.weight) }))
    .sort((a, b) => b.key - a.key)
    .map((x) => x.item);
}

export function planTargets(
  targets: readonly RouteTarget[],
  cooldownEnds: ReadonlyMap<string, number>,
  nowMs: number,
  settings: Pick<RouterSettings, "spreadPrimaries" | "multiRegion" | "whenAllCoolingDown">,
  random: () => number,
): Plan {
  const available = targets.filter((t) => (cooldownEnds.get(t.id) ?? 0) <= nowMs);
  let order: RouteTarget[];
  let fromCooldown = false;
  if (available.length === 0) {
    if (settings.whenAllCoolingDown === "fail" || targets.length === 0) return { order: [], fromCooldown: false };
    // Rather than a total outage until the earliest cooldown ends (the seed's behaviour), probe the targets whose
    // cooldowns end first, still bounded by maxAttempts.
    order = [...targets].sort((a, b) => (cooldownEnds.get(a.id) ?? 0) - (cooldownEnds.get(b.id) ?? 0));
    fromCooldown = true;
  } else {
    const primaries = available.filter((t) => t.primary);
    const others = available.filter((t) => !t.primary);
    order = [...(settings.spreadPrimaries ? weightedOrder(primaries, random) : primaries), ...others];
  }
  return { order: settings.multiRegion ? order : order.slice(0, 1), fromCooldown };
}

/** Full-jitter exponential backoff before retry number `retry` (1-based) on the same target. */
export function backoffDelayMs(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.floor(random() * cap);
}
