/**
 * Cooldown state: for each target, the time (epoch ms) until which it is skipped after a failure (the seed's
 * next_available_time). Stores only keep end times; the router compares them with its clock at each decision, so an
 * injected clock and every store agree.
 */
export interface CooldownStore {
  /** Cooldown ends of the given targets that have one (ends in the past may be included; callers compare with now). */
  get(targetIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** Marks `targetId` unavailable until `untilMs`; a later end already stored is kept. `nowMs` is the router's clock. */
  coolDown(targetId: string, untilMs: number, nowMs: number): Promise<void>;
  /** Makes `targetId` available again (after it served a call while cooling). */
  clear(targetId: string): Promise<void>;
  /** Releases connections or handles the store opened itself. */
  close(): Promise<void>;
}

/** Per-process store (the default). */
export class InMemoryCooldownStore implements CooldownStore {
  private readonly until = new Map<string, number>();

  async get(targetIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const out = new Map<string, number>();
    for (const id of targetIds) {
      const v = this.until.get(id);
      if (v !== undefined) out.set(id, v);
    }
    return out;
  }

  async coolDown(targetId: string, untilMs: number, nowMs: number): Promise<void> {
    // Drop ended entries so the map stays as small as the set of recently failed targets.
    for (const [id, end] of this.until) if (end <= nowMs) this.until.delete(id);
    this.until.set(targetId, Math.max(untilMs, this.until.get(targetId) ?? 0));
  }

  async clear(targetId: string): Promise<void> {
    this.until.delete(targetId);
  }

  async close(): Promise<void> {}
}
