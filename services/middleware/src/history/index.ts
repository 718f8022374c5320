/** Chat history store (Postgres or PGlite): append-only messages, keyed-hash ownership, versioned migrations. */
import { createPgAdapter } from "./pg-adapter";
import { createPgliteAdapter } from "./pglite-adapter";
import { createHistoryStore } from "./store";
import type { HistoryStore } from "./types";

export type { ChatMessage, HistoryStore, SessionSummary, StoredHistory } from "./types";
export { HistoryInputError, SessionOwnershipError } from "./types";
export { isValidSessionId, newSessionId, ownerHash } from "./owner";
export { DEFAULT_TURN_CACHE_CHARS, MAX_PAGE_SIZE } from "./store";

export interface OpenHistoryStoreOptions {
  /** Postgres URL (DATABASE_MIDDLEWARE_URL / DATABASE_URL); its database is created when missing. None: PGlite. */
  url?: string;
  /** PGlite data directory; default in memory. Ignored when url is set. */
  pgliteDataDir?: string;
  /** Postgres pool size. Default 10. */
  poolSize?: number;
  /** Postgres connect timeout. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Postgres statement_timeout. Default 30 000 ms. */
  statementTimeoutMs?: number;
  /** In-memory prefix cache for chat turns, in JSON characters (0 = off). Default 4 Mi. */
  turnCacheChars?: number;
}

/** Opens the history store and applies pending migrations. */
export async function openHistoryStore(opts: OpenHistoryStoreOptions): Promise<HistoryStore> {
  const db = opts.url
    ? await createPgAdapter({ url: opts.url, poolSize: opts.poolSize, connectTimeoutMs: opts.connectTimeoutMs, statementTimeoutMs: opts.statementTimeoutMs })
    : await createPgliteAdapter(opts.pgliteDataDir);
  return createHistoryStore(db, { turnCacheChars: opts.turnCacheChars });
}
