import type { SqlAdapter, SqlExecutor, SqlResult } from "./sql";

interface PgliteLike {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
}

function wrap(target: PgliteLike): SqlExecutor {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
      const res = await target.query<R>(sql, [...params]);
      return { rows: res.rows, rowCount: res.affectedRows ?? 0 };
    },
  };
}

/** Embedded Postgres (WASM): in memory without dataDir, on disk with one. */
export async function createPgliteAdapter(dataDir?: string): Promise<SqlAdapter> {
  // Loaded only when used: a middleware on Postgres never carries PGlite's module in memory.
  const { PGlite } = await import("@electric-sql/pglite");
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const exec = wrap(db);
  return {
    kind: "pglite",
    query: exec.query,
    // PGlite has a single connection and runs transactions exclusively, which also serialises appends.
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}
