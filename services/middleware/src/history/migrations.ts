import type { SqlAdapter } from "./sql";

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Numbered, append-only list: a released migration is never edited, a change is a new entry.
 * sessions.message_count doubles as the next message sequence number (messages are append-only and only
 * whole sessions are deleted), so the row locked by an append is also its sequence allocator.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "sessions and messages",
    sql: `
      CREATE TABLE sessions (
        session_id         text        PRIMARY KEY,
        owner_hash         text        NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        system_prompt_hash text,
        message_count      bigint      NOT NULL DEFAULT 0
      );
      CREATE INDEX sessions_owner_created_idx ON sessions (owner_hash, created_at, session_id);
      CREATE INDEX sessions_updated_idx ON sessions (updated_at);
      CREATE TABLE messages (
        session_id text        NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
        seq        bigint      NOT NULL,
        role       text        NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
        message    jsonb       NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, seq)
      );
    `,
  },
];

/** Arbitrary constant naming this service's migration lock (pg_advisory_xact_lock key). */
const MIGRATION_LOCK_KEY = 7_311_904_221;

/**
 * Applies pending migrations in one transaction guarded by a transaction-scoped advisory lock, so replicas
 * starting together apply each migration exactly once and a failed migration leaves nothing half-done.
 * Returns the versions applied by this call.
 */
export async function migrate(db: SqlAdapter, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i]!.version === ordered[i - 1]!.version) throw new Error(`duplicate migration version ${ordered[i]!.version}`);
  }
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer     PRIMARY KEY,
      name       text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set((await tx.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of ordered) {
      if (done.has(m.version)) continue;
      await runScript(tx, m.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/**
 * Statements one by one (multi-statement strings are not portable across pg and PGlite's query()); migration
 * SQL therefore uses ';' only as a statement terminator.
 */
async function runScript(tx: { query(sql: string): Promise<unknown> }, script: string): Promise<void> {
  for (const statement of script.split(";").map((s) => s.trim()).filter(Boolean)) {
    await tx.query(statement);
  }
}
