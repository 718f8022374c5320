import { migrate } from "./migrations";
import { isValidSessionId, messageHash } from "./owner";
import { PG_ERROR, pgErrorCode, type SqlAdapter } from "./sql";
import { CHAT_ROLES, HistoryInputError, SessionOwnershipError, type ChatMessage, type HistoryStore, type SessionSummary } from "./types";

export const MAX_PAGE_SIZE = 1000;
const PURGE_BATCH = 500;
/** Upper bound on purge batches per call (500 000 sessions); the next scheduled purge continues. */
const PURGE_MAX_BATCHES = 1000;

/** Microsecond-exact UTC text used inside cursors; ISO input parses the same whatever the server DateStyle. */
const CURSOR_TS_SQL = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
const CURSOR_TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

function encodeCursor(createdAt: string, sessionId: string): string {
  return Buffer.from(JSON.stringify([createdAt, sessionId]), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && CURSOR_TS_RE.test(value[0]) && typeof value[1] === "string") {
      return [value[0], value[1]];
    }
  } catch {
    // fall through to the input error below
  }
  throw new HistoryInputError("invalid cursor");
}

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

function validateMessages(messages: readonly ChatMessage[]): void {
  if (!Array.isArray(messages)) throw new HistoryInputError("messages must be an array");
  messages.forEach((m, i) => {
    if (m === null || typeof m !== "object" || Array.isArray(m)) throw new HistoryInputError(`messages[${i}] must be an object`);
    if (!CHAT_ROLES.includes(m.role)) throw new HistoryInputError(`messages[${i}].role must be one of ${CHAT_ROLES.join(", ")}`);
  });
}

function validateOwner(owner: string): void {
  if (typeof owner !== "string" || owner === "") throw new HistoryInputError("owner must be a non-empty string");
}

interface LockedSession {
  owner_hash: string;
  system_prompt_hash: string | null;
  message_count: string;
}

/** One SQL implementation shared by Postgres and PGlite through SqlAdapter. */
export class SqlHistoryStore implements HistoryStore {
  constructor(private readonly db: SqlAdapter) {}

  get kind(): "postgres" | "pglite" {
    return this.db.kind;
  }

  async load(sessionId: string, owner: string): Promise<ChatMessage[] | undefined> {
    if (!isValidSessionId(sessionId) || !owner) return undefined;
    // One statement: a session with no messages yields one row with a NULL message, an unknown/foreign one none.
    const { rows } = await this.db.query<{ message: ChatMessage | null }>(
      `SELECT m.message FROM sessions s LEFT JOIN messages m ON m.session_id = s.session_id
        WHERE s.session_id = $1 AND s.owner_hash = $2 ORDER BY m.seq`,
      [sessionId, owner],
    );
    if (rows.length === 0) return undefined;
    return rows.flatMap((r) => (r.message === null ? [] : [r.message]));
  }

  async append(sessionId: string, owner: string, messages: readonly ChatMessage[]): Promise<void> {
    if (!isValidSessionId(sessionId)) throw new HistoryInputError("session_id must be 1-256 printable characters");
    validateOwner(owner);
    validateMessages(messages);
    try {
      await this.db.transaction(async (tx) => {
        const session = await this.lockSession(tx, sessionId, owner);
        if (session.owner_hash !== owner) throw new SessionOwnershipError();
        let systemHash = session.system_prompt_hash;
        const toStore: ChatMessage[] = [];
        for (const m of messages) {
          if (m.role === "system") {
            const h = messageHash(m);
            if (h === systemHash) continue;
            systemHash = h;
          }
          toStore.push(m);
        }
        if (toStore.length > 0) {
          // The session row lock serialises appenders, so message_count is a gap-free sequence allocator.
          await tx.query(
            `INSERT INTO messages (session_id, seq, role, message)
             SELECT $1, $2::bigint + t.ord - 1, t.m->>'role', t.m
               FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(m, ord)`,
            [sessionId, session.message_count, JSON.stringify(toStore)],
          );
        }
        await tx.query(
          `UPDATE sessions SET message_count = message_count + $2, system_prompt_hash = $3, updated_at = clock_timestamp()
            WHERE session_id = $1`,
          [sessionId, toStore.length, systemHash],
        );
      });
    } catch (err) {
      const code = pgErrorCode(err);
      if (code === PG_ERROR.untranslatableCharacter || code === PG_ERROR.characterNotInRepertoire) {
        throw new HistoryInputError("message contains characters that cannot be stored (NUL or invalid Unicode)");
      }
      throw err;
    }
  }

  /** Creates the session if new, then locks its row. Retries when a concurrent purge removes it in between. */
  private async lockSession(tx: { query: SqlAdapter["query"] }, sessionId: string, owner: string): Promise<LockedSession> {
    for (let attempt = 0; attempt < 3; attempt++) {
      await tx.query("INSERT INTO sessions (session_id, owner_hash) VALUES ($1, $2) ON CONFLICT (session_id) DO NOTHING", [sessionId, owner]);
      const { rows } = await tx.query<LockedSession>(
        "SELECT owner_hash, system_prompt_hash, message_count::text AS message_count FROM sessions WHERE session_id = $1 FOR UPDATE",
        [sessionId],
      );
      if (rows[0]) return rows[0];
    }
    throw new Error("session could not be created (deleted concurrently)");
  }

  async listSessions(owner: string, page: { limit: number; cursor?: string }): Promise<{ sessions: SessionSummary[]; nextCursor?: string }> {
    validateOwner(owner);
    const { limit } = page;
    if (!Number.isInteger(limit) || limit < 1) throw new HistoryInputError("limit must be a positive integer");
    const size = Math.min(limit, MAX_PAGE_SIZE);
    const [afterTs, afterId] = page.cursor ? decodeCursor(page.cursor) : [null, null];
    // Ordered by creation (immutable), so paging is stable while sessions keep receiving messages.
    const { rows } = await this.db.query<{ session_id: string; created_at: unknown; updated_at: unknown; message_count: string; cursor_ts: string }>(
      `SELECT session_id, created_at, updated_at, message_count::text AS message_count, ${CURSOR_TS_SQL} AS cursor_ts
         FROM sessions
        WHERE owner_hash = $1
          AND ($2::text IS NULL OR (created_at, session_id) < (($2::text)::timestamp AT TIME ZONE 'UTC', $3::text))
        ORDER BY created_at DESC, session_id DESC
        LIMIT $4`,
      [owner, afterTs, afterId, size + 1],
    );
    const pageRows = rows.slice(0, size);
    const sessions = pageRows.map((r) => ({
      sessionId: r.session_id,
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
      messageCount: Number(r.message_count),
    }));
    const last = pageRows[pageRows.length - 1];
    return rows.length > size && last ? { sessions, nextCursor: encodeCursor(last.cursor_ts, last.session_id) } : { sessions };
  }

  async deleteSession(sessionId: string, owner: string): Promise<boolean> {
    if (!isValidSessionId(sessionId) || !owner) return false;
    const { rows } = await this.db.query("DELETE FROM sessions WHERE session_id = $1 AND owner_hash = $2 RETURNING 1 AS deleted", [sessionId, owner]);
    return rows.length > 0;
  }

  async purgeOlderThan(days: number): Promise<number> {
    if (typeof days !== "number" || !Number.isFinite(days) || days < 0) throw new HistoryInputError("days must be a non-negative number");
    let total = 0;
    // Small batches keep each delete (and its cascade to messages) short, so appenders are not blocked long.
    for (let batch = 0; batch < PURGE_MAX_BATCHES; batch++) {
      const { rows } = await this.db.query(
        `DELETE FROM sessions WHERE session_id IN (
           SELECT session_id FROM sessions WHERE updated_at < now() - $1::float8 * interval '1 day' LIMIT $2
         ) RETURNING 1 AS deleted`,
        [days, PURGE_BATCH],
      );
      total += rows.length;
      if (rows.length < PURGE_BATCH) break;
    }
    return total;
  }

  async ping(): Promise<void> {
    await this.db.query("SELECT 1");
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Wraps an adapter after applying migrations. */
export async function createHistoryStore(db: SqlAdapter): Promise<HistoryStore> {
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return new SqlHistoryStore(db);
}
