import { migrate } from "./migrations";
import { isValidSessionId, messageHash } from "./owner";
import { PG_ERROR, pgErrorCode, type SqlAdapter } from "./sql";
import { TurnHistoryCache } from "./turn-cache";
import { CHAT_ROLES, HistoryInputError, SessionOwnershipError, type ChatMessage, type HistoryStore, type SessionSummary, type StoredHistory } from "./types";

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

interface TurnHistoryRow {
  created_at: string;
  message_count: string;
  messages: string | null;
  rows: number;
  systems: ChatMessage[] | null;
}

/** Options of the SQL history store. */
export interface SqlHistoryStoreOptions {
  /**
   * JSON characters of recently used sessions' history kept in memory for chat turns, which then read only the new
   * rows (always checked against the database, see TurnHistoryCache). Default 4 Mi characters; 0 turns it off.
   */
  readonly turnCacheChars?: number;
}

export const DEFAULT_TURN_CACHE_CHARS = 4 * 1024 * 1024;

interface LockedSession {
  owner_hash: string;
  system_prompt_hash: string | null;
  message_count: string;
}

/** One SQL implementation shared by Postgres and PGlite through SqlAdapter. */
export class SqlHistoryStore implements HistoryStore {
  private readonly turnCache?: TurnHistoryCache;

  constructor(
    private readonly db: SqlAdapter,
    options: SqlHistoryStoreOptions = {},
  ) {
    const chars = options.turnCacheChars ?? DEFAULT_TURN_CACHE_CHARS;
    if (chars > 0) this.turnCache = new TurnHistoryCache(chars);
  }

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

  async loadForTurn(sessionId: string, owner: string): Promise<StoredHistory | undefined> {
    if (!isValidSessionId(sessionId) || !owner) return undefined;
    const cached = this.turnCache?.get(sessionId);
    let row = await this.readTurnHistory(sessionId, owner, cached?.messageCount ?? 0);
    if (!row) {
      this.turnCache?.delete(sessionId);
      return undefined;
    }
    const count = Number(row.message_count);
    let history: StoredHistory;
    if (cached && row.created_at === cached.createdAt && cached.messageCount + row.rows === count) {
      history = {
        messagesJson: row.messages === null ? cached.messagesJson : cached.messagesJson ? `${cached.messagesJson},${row.messages}` : row.messages,
        messageCount: count,
        systemMessages: row.systems ? [...cached.systemMessages, ...row.systems] : cached.systemMessages,
      };
    } else {
      // No usable prefix (first turn here, or the session was deleted and created again): read it whole.
      if (cached) row = await this.readTurnHistory(sessionId, owner, 0);
      if (!row) {
        this.turnCache?.delete(sessionId);
        return undefined;
      }
      history = { messagesJson: row.messages ?? "", messageCount: row.rows, systemMessages: row.systems ?? [] };
    }
    this.turnCache?.set(sessionId, { createdAt: row.created_at, ...history });
    return history;
  }

  /**
   * One row whatever the length: the session's count and creation time, and the messages from `fromSeq` on as their
   * JSON texts joined by Postgres, so a long session costs one string instead of parsed objects serialised again.
   * One statement, one snapshot: the count and the rows always agree.
   */
  private async readTurnHistory(sessionId: string, owner: string, fromSeq: number): Promise<TurnHistoryRow | undefined> {
    const { rows } = await this.db.query<TurnHistoryRow>(
      `SELECT ${CURSOR_TS_SQL} AS created_at, s.message_count::text AS message_count, h.messages, h.rows, h.systems
         FROM sessions s
         CROSS JOIN LATERAL (
           SELECT string_agg(m.message::text, ',' ORDER BY m.seq) AS messages,
                  count(*)::int AS rows,
                  json_agg(m.message ORDER BY m.seq) FILTER (WHERE m.role = 'system') AS systems
             FROM messages m WHERE m.session_id = s.session_id AND m.seq >= $3
         ) h
        WHERE s.session_id = $1 AND s.owner_hash = $2`,
      [sessionId, owner, fromSeq],
    );
    const row = rows[0];
    if (row && typeof row.systems === "string") row.systems = JSON.parse(row.systems) as ChatMessage[];
    return row;
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
        // The session row lock serialises appenders, so message_count is a gap-free sequence allocator. Messages and
        // the session's counters go in one statement (the CTE runs even though nothing reads its output).
        await tx.query(
          `WITH added AS (
             INSERT INTO messages (session_id, seq, role, message)
             SELECT $1, $2::bigint + t.ord - 1, t.m->>'role', t.m
               FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(m, ord)
           )
           UPDATE sessions SET message_count = message_count + $4, system_prompt_hash = $5, updated_at = clock_timestamp()
            WHERE session_id = $1`,
          [sessionId, session.message_count, JSON.stringify(toStore), toStore.length, systemHash],
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

  /**
   * Creates the session if new and locks its row in one statement: the upsert's DO UPDATE takes the row lock (waiting
   * for a concurrent appender) and returns the committed values; a row a concurrent purge removed is simply inserted.
   */
  private async lockSession(tx: { query: SqlAdapter["query"] }, sessionId: string, owner: string): Promise<LockedSession> {
    const { rows } = await tx.query<LockedSession>(
      `INSERT INTO sessions (session_id, owner_hash) VALUES ($1, $2)
       ON CONFLICT (session_id) DO UPDATE SET session_id = EXCLUDED.session_id
       RETURNING owner_hash, system_prompt_hash, message_count::text AS message_count`,
      [sessionId, owner],
    );
    if (!rows[0]) throw new Error("session could not be created or locked");
    return rows[0];
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
    this.turnCache?.delete(sessionId);
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
export async function createHistoryStore(db: SqlAdapter, options: SqlHistoryStoreOptions = {}): Promise<HistoryStore> {
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return new SqlHistoryStore(db, options);
}
