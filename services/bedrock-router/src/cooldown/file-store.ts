/**
 * Cooldowns in a JSON file shared by the processes of one host.
 * - Writers take a lock file created with O_EXCL, read the current file, merge their change and replace the file
 *   atomically (write a temp file, fsync, rename). Nothing is truncated in place, so readers need no lock: they see
 *   the old or the new content, never a partial one, and no writer loses another's cooldown.
 * - A lock left by a dead process (same host, pid gone) or older than staleLockMs is broken by renaming it away and
 *   checking that the renamed file is the stale one observed, so two breakers cannot both win.
 */
import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { CooldownStoreError } from "../errors";
import type { CooldownStore } from "./store";

export interface FileCooldownStoreOptions {
  /** Path of the JSON file; created on first write. */
  readonly path: string;
  /** A lock older than this is considered abandoned. Default 10 000 ms (a critical section takes a few ms). */
  readonly staleLockMs?: number;
  /** Give up taking the lock after this long. Default 5 000 ms. */
  readonly lockTimeoutMs?: number;
}

interface FileContent {
  readonly version: 1;
  readonly cooldowns: Record<string, number>;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

function isErrno(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException)?.code === code;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return !isErrno(e, "ESRCH");
  }
}

export class FileCooldownStore implements CooldownStore {
  readonly path: string;
  private readonly lockPath: string;
  private readonly staleLockMs: number;
  private readonly lockTimeoutMs: number;

  constructor(opts: FileCooldownStoreOptions) {
    if (!opts.path) throw new CooldownStoreError("FileCooldownStore: path is required");
    this.path = opts.path;
    this.lockPath = `${opts.path}.lock`;
    this.staleLockMs = opts.staleLockMs ?? 10_000;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 5_000;
  }

  async get(targetIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const { cooldowns } = await this.read();
    const out = new Map<string, number>();
    for (const id of targetIds) if (typeof cooldowns[id] === "number") out.set(id, cooldowns[id]);
    return out;
  }

  async coolDown(targetId: string, untilMs: number, nowMs: number): Promise<void> {
    await this.update((c) => {
      for (const [id, end] of Object.entries(c)) if (end <= nowMs) delete c[id];
      c[targetId] = Math.max(untilMs, c[targetId] ?? 0);
    });
  }

  async clear(targetId: string): Promise<void> {
    await this.update((c) => {
      delete c[targetId];
    });
  }

  async close(): Promise<void> {}

  /** Reads the whole file; a missing file is an empty store. */
  async read(): Promise<FileContent> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (e) {
      if (isErrno(e, "ENOENT")) return { version: 1, cooldowns: {} };
      throw new CooldownStoreError(`cannot read cooldown file ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    try {
      const parsed = JSON.parse(text) as Partial<FileContent>;
      if (typeof parsed !== "object" || parsed === null || typeof parsed.cooldowns !== "object" || parsed.cooldowns === null) {
        throw new Error("missing cooldowns object");
      }
      return { version: 1, cooldowns: { ...parsed.cooldowns } };
    } catch (e) {
      throw new CooldownStoreError(`cooldown file ${this.path} is not valid: ${(e as Error).message}`, { cause: e });
    }
  }

  private async update(change: (cooldowns: Record<string, number>) => void): Promise<void> {
    const owner = await this.acquireLock();
    try {
      let current: FileContent;
      try {
        current = await this.read();
      } catch {
        // A corrupt file (written by something else) is replaced rather than blocking every writer forever.
        current = { version: 1, cooldowns: {} };
      }
      const cooldowns = { ...current.cooldowns };
      change(cooldowns);
      await this.writeAtomically(JSON.stringify({ version: 1, cooldowns } satisfies FileContent, null, 2) + "\n");
    } finally {
      await this.releaseLock(owner);
    }
  }

  private async writeAtomically(text: string): Promise<void> {
    const tmp = `${this.path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    const fh = await open(tmp, "wx", 0o644);
    try {
      await fh.writeFile(text, "utf8");
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => {});
      throw new CooldownStoreError(`cannot replace cooldown file ${this.path}: ${(e as Error).message}`, { cause: e });
    }
  }

  private async acquireLock(): Promise<LockOwner> {
    const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString("hex") };
    const deadline = Date.now() + this.lockTimeoutMs;
    for (let round = 0; ; round++) {
      try {
        const fh = await open(this.lockPath, "wx", 0o644);
        try {
          await fh.writeFile(JSON.stringify(owner), "utf8");
        } finally {
          await fh.close();
        }
        return owner;
      } catch (e) {
        if (!isErrno(e, "EEXIST")) throw new CooldownStoreError(`cannot create lock ${this.lockPath}: ${(e as Error).message}`, { cause: e });
      }
      const observed = await this.staleLockContent();
      if (observed !== undefined) {
        await this.breakStaleLock(observed);
        continue;
      }
      if (Date.now() > deadline) throw new CooldownStoreError(`timed out after ${this.lockTimeoutMs} ms waiting for lock ${this.lockPath}`);
      await sleep(Math.min(2 + round, 20) + Math.random() * 5);
    }
  }

  /** The lock's content when it is abandoned, undefined when it is held (or already gone). */
  private async staleLockContent(): Promise<string | undefined> {
    let content: string;
    let mtimeMs: number;
    try {
      [content, { mtimeMs }] = await Promise.all([readFile(this.lockPath, "utf8"), stat(this.lockPath)]);
    } catch {
      return undefined;
    }
    if (Date.now() - mtimeMs > this.staleLockMs) return content;
    try {
      const holder = JSON.parse(content) as LockOwner;
      if (holder.host === hostname() && typeof holder.pid === "number" && !processAlive(holder.pid)) return content;
    } catch {
      // Content not written yet: the creator is between open and write; only age can make it stale.
    }
    return undefined;
  }

  private async breakStaleLock(observed: string): Promise<void> {
    const aside = `${this.lockPath}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      await rename(this.lockPath, aside);
    } catch {
      return; // someone else broke it first
    }
    const moved = await readFile(aside, "utf8").catch(() => observed);
    if (moved !== observed) {
      // We moved a fresh lock taken after our check: put it back unless a newer one exists (link never overwrites).
      await link(aside, this.lockPath).catch(() => {});
    }
    await unlink(aside).catch(() => {});
  }

  private async releaseLock(owner: LockOwner): Promise<void> {
    try {
      const content = await readFile(this.lockPath, "utf8");
      if ((JSON.parse(content) as LockOwner).token !== owner.token) return; // ours was broken as stale; not ours to remove
      await unlink(this.lockPath);
    } catch {
      // already gone
    }
  }
}
