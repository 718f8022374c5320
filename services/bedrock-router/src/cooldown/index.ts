/** Cooldown stores and a factory from the configuration file's `cooldownStore` entry. */
import { CooldownStoreError } from "../errors";
import type { CooldownStoreSpec } from "../config";
import { FileCooldownStore } from "./file-store";
import { RedisCooldownStore } from "./redis-store";
import { InMemoryCooldownStore, type CooldownStore } from "./store";

export { InMemoryCooldownStore, type CooldownStore } from "./store";
export { FileCooldownStore, type FileCooldownStoreOptions } from "./file-store";
export { RedisCooldownStore, type RedisCooldownStoreOptions } from "./redis-store";

export function createCooldownStore(spec: CooldownStoreSpec | undefined, env: Record<string, string | undefined> = process.env): CooldownStore {
  switch (spec?.type) {
    case undefined:
    case "memory":
      return new InMemoryCooldownStore();
    case "file":
      return new FileCooldownStore({ path: spec.path, ...(spec.staleLockMs ? { staleLockMs: spec.staleLockMs } : {}) });
    case "redis": {
      const urlEnv = spec.urlEnv ?? "REDIS_URL";
      const url = spec.url ?? env[urlEnv];
      if (!url) throw new CooldownStoreError(`cooldownStore.type is "redis" but neither cooldownStore.url nor ${urlEnv} is set`);
      return new RedisCooldownStore({ url, ...(spec.keyPrefix ? { keyPrefix: spec.keyPrefix } : {}) });
    }
  }
}
