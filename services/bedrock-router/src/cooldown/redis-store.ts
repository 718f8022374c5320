/**
 * Cooldowns in Redis, shared by every task of a gateway fleet: one key per target whose value is the cooldown end and
 * whose PX expiry is the remaining cooldown, so Redis forgets ended cooldowns by itself. Writes keep the later end
 * (a Lua compare-and-set) so concurrent failures never shorten a cooldown.
 */
import { Redis, type RedisOptions } from "ioredis";
import { CooldownStoreError } from "../errors";
import type { CooldownStore } from "./store";

export interface RedisCooldownStoreOptions {
  /** An existing connection (not closed by close()). Either this or `url`. */
  readonly redis?: Redis;
  /** redis:// or rediss:// URL; the store opens and owns the connection. */
  readonly url?: string;
  /** Key prefix. Default "bedrock-router:cooldown:". */
  readonly keyPrefix?: string;
  /** Extra ioredis options for an owned connection. Defaults bound every command to 1 s so a Redis outage cannot stall calls. */
  readonly redisOptions?: RedisOptions;
}

const KEEP_LATER_END = `
local cur = tonumber(redis.call('GET', KEYS[1]))
if cur and cur >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

export class RedisCooldownStore implements CooldownStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(opts: RedisCooldownStoreOptions) {
    if (!opts.redis && !opts.url) throw new CooldownStoreError("RedisCooldownStore: pass `redis` or `url`");
    this.prefix = opts.keyPrefix ?? "bedrock-router:cooldown:";
    this.owned = !opts.redis;
    this.redis =
      opts.redis ??
      new Redis(opts.url as string, {
        commandTimeout: 1_000,
        connectTimeout: 2_000,
        maxRetriesPerRequest: 1,
        ...opts.redisOptions,
      });
    // Connection errors surface on the commands (as CooldownStoreError); without a listener ioredis would also print them.
    if (this.owned) this.redis.on("error", () => {});
  }

  private key(id: string): string {
    return this.prefix + id;
  }

  async get(targetIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const out = new Map<string, number>();
    if (targetIds.length === 0) return out;
    let values: (string | null)[];
    try {
      values = await this.redis.mget(...targetIds.map((id) => this.key(id)));
    } catch (e) {
      throw new CooldownStoreError(`redis MGET failed: ${(e as Error).message}`, { cause: e });
    }
    values.forEach((v, i) => {
      const n = v === null ? NaN : Number(v);
      if (Number.isFinite(n)) out.set(targetIds[i] as string, n);
    });
    return out;
  }

  async coolDown(targetId: string, untilMs: number, nowMs: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(untilMs - nowMs));
    try {
      await this.redis.eval(KEEP_LATER_END, 1, this.key(targetId), String(untilMs), String(ttl));
    } catch (e) {
      throw new CooldownStoreError(`redis cooldown write failed: ${(e as Error).message}`, { cause: e });
    }
  }

  async clear(targetId: string): Promise<void> {
    try {
      await this.redis.del(this.key(targetId));
    } catch (e) {
      throw new CooldownStoreError(`redis DEL failed: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Remaining expiry of a target's key in ms (-2: no key). For diagnostics and tests. */
  async remainingMs(targetId: string): Promise<number> {
    return this.redis.pttl(this.key(targetId));
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
