import pg from "pg";
import { PG_ERROR, pgErrorCode, quoteIdent, type SqlAdapter, type SqlExecutor, type SqlResult } from "./sql";

export interface PgAdapterOptions {
  /** postgres://user:pass@host:port/db?sslmode=... — the database is created when missing. */
  readonly url: string;
  /** Pool size. Default 10. */
  readonly poolSize?: number;
  /** TCP connect + authentication timeout. Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Server-side statement_timeout. Default 30 000 ms. */
  readonly statementTimeoutMs?: number;
  /** Database used to run CREATE DATABASE. Default "postgres". */
  readonly maintenanceDatabase?: string;
}

/** Database name in a Postgres URL, or undefined when the URL names none (server default). */
export function databaseNameOf(url: string): string | undefined {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  return name === "" ? undefined : name;
}

/** Same URL (credentials, host, query such as sslmode kept) pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/**
 * Creates the URL's database when it does not exist. Connecting first means an existing database needs no
 * rights on the maintenance database; concurrent replicas racing on CREATE DATABASE both succeed.
 */
export async function ensureDatabase(opts: PgAdapterOptions): Promise<void> {
  const database = databaseNameOf(opts.url);
  if (!database) return;
  const connectionTimeoutMillis = opts.connectTimeoutMs ?? 10_000;
  const probe = new pg.Client({ connectionString: opts.url, connectionTimeoutMillis });
  try {
    await probe.connect();
    return;
  } catch (err) {
    if (pgErrorCode(err) !== PG_ERROR.invalidCatalogName) throw err;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const admin = new pg.Client({
    connectionString: withDatabase(opts.url, opts.maintenanceDatabase ?? "postgres"),
    connectionTimeoutMillis,
  });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
  } catch (err) {
    const code = pgErrorCode(err);
    if (code !== PG_ERROR.duplicateDatabase && code !== PG_ERROR.uniqueViolation) throw err;
  } finally {
    await admin.end().catch(() => undefined);
  }
}

function wrap(target: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
      const res = await target.query(sql, [...params]);
      return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
    },
  };
}

export async function createPgAdapter(opts: PgAdapterOptions): Promise<SqlAdapter> {
  await ensureDatabase(opts);
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    idleTimeoutMillis: 30_000,
    application_name: "gw-middleware-history",
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  const exec = wrap(pool);
  return {
    kind: "postgres",
    query: exec.query,
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        const result = await fn(wrap(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {
          broken = true;
        });
        throw err;
      } finally {
        // A connection that could not roll back is discarded rather than returned to the pool mid-transaction.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
