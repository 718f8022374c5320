/**
 * The small SQL surface the history store needs. Postgres (pg) and PGlite both implement it, so every
 * query lives once in store.ts / migrations.ts and the two engines cannot drift apart.
 */
export interface SqlResult<R> {
  readonly rows: R[];
  /** Rows touched by INSERT/UPDATE/DELETE (0 for SELECT on engines that do not report it). */
  readonly rowCount: number;
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

export interface SqlAdapter extends SqlExecutor {
  readonly kind: "postgres" | "pglite";
  /** Runs fn inside BEGIN/COMMIT on one connection; rolls back when fn throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Postgres error codes the store reacts to. */
export const PG_ERROR = {
  invalidCatalogName: "3D000",
  duplicateDatabase: "42P04",
  uniqueViolation: "23505",
  untranslatableCharacter: "22P05",
  characterNotInRepertoire: "22021",
} as const;

export function pgErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Double-quotes an SQL identifier (database names come from operator-supplied URLs). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
