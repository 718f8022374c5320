import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HistoryInputError, SessionOwnershipError, isValidSessionId, newSessionId, openHistoryStore, ownerHash, type ChatMessage, type HistoryStore } from "./index";
import { MIGRATIONS, migrate } from "./migrations";
import { createPgAdapter, databaseNameOf, withDatabase } from "./pg-adapter";
import { createPgliteAdapter } from "./pglite-adapter";
import { quoteIdent, type SqlAdapter } from "./sql";
import { SqlHistoryStore, createHistoryStore } from "./store";
import { TurnHistoryCache } from "./turn-cache";

// Real Postgres when DATABASE_URL is set (a database of its own, created and dropped here), else one PGlite.
const BASE_URL = process.env.DATABASE_URL;
const suffix = `${process.pid}_${randomBytes(4).toString("hex")}`;
const createdDatabases: string[] = [];

async function dropDatabases(): Promise<void> {
  if (!BASE_URL || createdDatabases.length === 0) return;
  const admin = new pg.Client({ connectionString: withDatabase(BASE_URL, "postgres") });
  await admin.connect();
  try {
    for (const name of createdDatabases) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

let db: SqlAdapter;
let store: HistoryStore;
const MAX_LIST = 1000;
const secret = "test-history-hash-key";
const alice = ownerHash("sk-alice", secret);
const bob = ownerHash("sk-bob", secret);

const user = (content: unknown): ChatMessage => ({ role: "user", content });
const assistant = (content: unknown): ChatMessage => ({ role: "assistant", content });

beforeAll(async () => {
  if (BASE_URL) {
    const name = `gw_history_test_${suffix}`;
    createdDatabases.push(name);
    db = await createPgAdapter({ url: withDatabase(BASE_URL, name) });
  } else {
    db = await createPgliteAdapter();
  }
  store = await createHistoryStore(db);
});

afterAll(async () => {
  await store?.close();
  await dropDatabases();
});

describe("ownerHash / session ids", () => {
  it("is a keyed HMAC-SHA256: stable per key, different per secret, never the raw key", () => {
    expect(ownerHash("sk-alice", secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(ownerHash("sk-alice", secret)).toBe(alice);
    expect(ownerHash("sk-alice", "other-secret")).not.toBe(alice);
    expect(alice).not.toBe(bob);
    expect(() => ownerHash("sk-alice", "")).toThrow(/secret/);
  });

  it("generates unique uuids and bounds client-chosen ids", () => {
    expect(newSessionId()).toMatch(/^[0-9a-f-]{36}$/);
    expect(newSessionId()).not.toBe(newSessionId());
    expect(isValidSessionId("my-session-1")).toBe(true);
    expect(isValidSessionId("")).toBe(false);
    expect(isValidSessionId("x".repeat(257))).toBe(false);
    expect(isValidSessionId("a\nb")).toBe(false);
  });
});

describe("database URLs", () => {
  it("swaps only the database, keeping credentials and query (sslmode)", () => {
    const url = "postgresql://llmproxy:p%40ss@db.internal:5432/litellm?sslmode=require";
    expect(withDatabase(url, "middleware")).toBe("postgresql://llmproxy:p%40ss@db.internal:5432/middleware?sslmode=require");
    expect(databaseNameOf(withDatabase(url, 'odd "name"'))).toBe('odd "name"');
    expect(databaseNameOf("postgresql://u@h:5432")).toBeUndefined();
  });
});

describe("HistoryStore", () => {
  it(`runs on ${BASE_URL ? "postgres" : "pglite"}`, async () => {
    expect(store.kind).toBe(BASE_URL ? "postgres" : "pglite");
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it("stores messages verbatim, in order, one row per message", async () => {
    const id = newSessionId();
    const turn1: ChatMessage[] = [
      user([{ type: "text", text: "héllo ✓" }, { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }]),
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{\"a\":1}" } }] },
      { role: "tool", content: "42", tool_call_id: "call_1" },
    ];
    await store.append(id, alice, turn1);
    await store.append(id, alice, [assistant("done")]);
    expect(await store.load(id, alice)).toEqual([...turn1, assistant("done")]);
    const { rows } = await db.query<{ seq: string; role: string }>("SELECT seq::text AS seq, role FROM messages WHERE session_id = $1 ORDER BY seq", [id]);
    expect(rows).toEqual([
      { seq: "0", role: "user" },
      { seq: "1", role: "assistant" },
      { seq: "2", role: "tool" },
      { seq: "3", role: "assistant" },
    ]);
  });

  it("keeps every message and each turn contiguous under 50 concurrent appends on a new session", async () => {
    const id = newSessionId();
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(id, alice, [user(`q${i}`), assistant(`a${i}`)])));
    const messages = (await store.load(id, alice))!;
    expect(messages).toHaveLength(100);
    const turns = new Set<number>();
    for (let k = 0; k < 100; k += 2) {
      const q = String(messages[k]!.content);
      const a = String(messages[k + 1]!.content);
      expect(q).toMatch(/^q\d+$/);
      expect(a).toBe(`a${q.slice(1)}`);
      turns.add(Number(q.slice(1)));
    }
    expect(turns.size).toBe(50);
    const { rows } = await db.query<{ n: number; lo: string; hi: string }>(
      "SELECT count(*)::int AS n, min(seq)::text AS lo, max(seq)::text AS hi FROM messages WHERE session_id = $1",
      [id],
    );
    expect(rows[0]).toEqual({ n: 100, lo: "0", hi: "99" });
    const summary = (await store.listSessions(alice, { limit: MAX_LIST })).sessions.find((s) => s.sessionId === id);
    expect(summary?.messageCount).toBe(100);
  });

  it("stores an identical system prompt once, and a changed one again", async () => {
    const id = newSessionId();
    const sys: ChatMessage = { role: "system", content: "You are terse." };
    await store.append(id, alice, [sys, user("1"), assistant("one")]);
    await store.append(id, alice, [{ content: "You are terse.", role: "system" }, user("2"), assistant("two")]);
    const sys2: ChatMessage = { role: "system", content: "You are verbose." };
    await store.append(id, alice, [sys2, user("3")]);
    await store.append(id, alice, [sys2, assistant("three")]);
    expect(await store.load(id, alice)).toEqual([sys, user("1"), assistant("one"), user("2"), assistant("two"), sys2, user("3"), assistant("three")]);
    const { rows } = await db.query<{ h: string | null }>("SELECT system_prompt_hash AS h FROM sessions WHERE session_id = $1", [id]);
    expect(rows[0]?.h).toMatch(/^[0-9a-f]{64}$/);
  });

  it("loadForTurn returns the stored messages as JSON texts, with the system messages parsed", async () => {
    const id = newSessionId();
    const sys: ChatMessage = { role: "system", content: "Be brief, \"quoted\" ✓" };
    const sys2: ChatMessage = { role: "system", content: [{ type: "text", text: "Changed." }] };
    const stored = [sys, user("1 \u2028 ✓"), assistant("one"), sys2, user([{ type: "text", text: "2" }]), { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }] }] as ChatMessage[];
    await store.append(id, alice, stored);
    const raw = (await store.loadForTurn(id, alice))!;
    expect(raw.messageCount).toBe(6);
    expect(JSON.parse(`[${raw.messagesJson}]`)).toEqual(await store.load(id, alice));
    expect(JSON.parse(`[${raw.messagesJson}]`)).toEqual(stored);
    expect(raw.systemMessages).toEqual([sys, sys2]);

    const empty = `empty-${suffix}`;
    await store.append(empty, alice, []);
    expect(await store.loadForTurn(empty, alice)).toEqual({ messagesJson: "", messageCount: 0, systemMessages: [] });
    expect(await store.loadForTurn(id, bob)).toBeUndefined();
    expect(await store.loadForTurn(newSessionId(), alice)).toBeUndefined();
  });

  it("loadForTurn reads only the new rows of a cached session and still sees other replicas' appends and deletions", async () => {
    const fromSeqs: unknown[] = [];
    const spied: SqlAdapter = { ...db, query: (sql, params) => (sql.includes("string_agg") && fromSeqs.push(params?.[2]), db.query(sql, params)) };
    const replicaA = new SqlHistoryStore(spied);
    const replicaB = store; // another instance on the same database, with its own cache
    const id = `recreated-${suffix}`;
    const sys: ChatMessage = { role: "system", content: "Be brief." };
    const parse = (h: { messagesJson: string } | undefined) => JSON.parse(`[${h!.messagesJson}]`) as ChatMessage[];

    await replicaA.append(id, alice, [sys, user("1"), assistant("one")]);
    expect(parse(await replicaA.loadForTurn(id, alice))).toEqual([sys, user("1"), assistant("one")]);
    await replicaB.append(id, alice, [user("2"), assistant("two")]);
    const second = await replicaA.loadForTurn(id, alice);
    expect(parse(second)).toEqual([sys, user("1"), assistant("one"), user("2"), assistant("two")]);
    expect(second).toMatchObject({ messageCount: 5, systemMessages: [sys] });
    expect(fromSeqs).toEqual([0, 3]);
    expect(await replicaA.loadForTurn(id, bob)).toBeUndefined();

    expect(await replicaB.deleteSession(id, alice)).toBe(true);
    expect(await replicaA.loadForTurn(id, alice)).toBeUndefined();
    // Deleted and created again under the same id: a new session, nothing of the old one comes back.
    await replicaA.append(id, alice, [user("2"), assistant("two")]);
    await replicaA.loadForTurn(id, alice);
    await replicaB.deleteSession(id, alice);
    await replicaB.append(id, alice, [user("x"), assistant("y"), user("new life")]);
    expect(parse(await replicaA.loadForTurn(id, alice))).toEqual([user("x"), assistant("y"), user("new life")]);

    const uncached = new SqlHistoryStore(db, { turnCacheChars: 0 });
    expect(await uncached.loadForTurn(id, alice)).toEqual(await replicaA.loadForTurn(id, alice));
  });

  it("the turn cache keeps the most recently used sessions within its size", () => {
    const entry = (json: string) => ({ createdAt: "t", messageCount: 1, messagesJson: json, systemMessages: [] });
    const cache = new TurnHistoryCache(10);
    cache.set("a", entry("aaaa"));
    cache.set("b", entry("bbbb"));
    expect(cache.get("a")?.messagesJson).toBe("aaaa");
    cache.set("c", entry("cccc"));
    expect([cache.get("a"), cache.get("b"), cache.get("c")].map((e) => e?.messagesJson)).toEqual(["aaaa", undefined, "cccc"]);
    cache.set("big", entry("x".repeat(11)));
    expect(cache.get("big")).toBeUndefined();
    expect(cache.chars).toBe(8);
    cache.delete("a");
    expect(cache.chars).toBe(4);
  });

  it("hides a session from another owner: load undefined, delete false, append throws", async () => {
    const id = newSessionId();
    await store.append(id, alice, [user("secret")]);
    expect(await store.load(id, bob)).toBeUndefined();
    expect(await store.load(newSessionId(), alice)).toBeUndefined();
    expect(await store.deleteSession(id, bob)).toBe(false);
    await expect(store.append(id, bob, [user("intrude")])).rejects.toBeInstanceOf(SessionOwnershipError);
    expect(await store.load(id, alice)).toEqual([user("secret")]);
    expect((await store.listSessions(bob, { limit: MAX_LIST })).sessions.map((s) => s.sessionId)).not.toContain(id);
  });

  it("creates an empty session on an empty append and loads it as []", async () => {
    const id = `client-chosen-${suffix}`;
    await store.append(id, alice, []);
    expect(await store.load(id, alice)).toEqual([]);
  });

  it("deletes a session with its messages", async () => {
    const id = newSessionId();
    await store.append(id, alice, [user("bye")]);
    expect(await store.deleteSession(id, alice)).toBe(true);
    expect(await store.load(id, alice)).toBeUndefined();
    expect(await store.deleteSession(id, alice)).toBe(false);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE session_id = $1", [id]);
    expect(rows[0]?.n).toBe(0);
  });

  it("rejects bad input without storing anything", async () => {
    const id = newSessionId();
    await expect(store.append(id, alice, [{ role: "wizard", content: "x" } as unknown as ChatMessage])).rejects.toBeInstanceOf(HistoryInputError);
    await expect(store.append(id, alice, [user("a\u0000b")])).rejects.toBeInstanceOf(HistoryInputError);
    await expect(store.append("", alice, [user("x")])).rejects.toBeInstanceOf(HistoryInputError);
    await expect(store.append(id, "", [user("x")])).rejects.toBeInstanceOf(HistoryInputError);
    expect(await store.load(id, alice)).toBeUndefined();
  });

  it("pages sessions newest first with an opaque keyset cursor, ties included", async () => {
    const carol = ownerHash("sk-carol", secret);
    const ids = Array.from({ length: 7 }, (_, i) => `carol-${i}`);
    for (const id of ids) await store.append(id, carol, [user(id)]);
    // Three sessions share one created_at to the microsecond: the session id breaks the tie.
    await db.query("UPDATE sessions SET created_at = '2026-01-02T03:04:05.123456Z' WHERE session_id = ANY($1::text[])", [["carol-1", "carol-2", "carol-3"]]);
    const seen: string[] = [];
    let cursor: string | undefined;
    const pageSizes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const page = await store.listSessions(carol, { limit: 3, cursor });
      pageSizes.push(page.sessions.length);
      seen.push(...page.sessions.map((s) => s.sessionId));
      for (const s of page.sessions) {
        expect(s.messageCount).toBe(1);
        expect(Date.parse(s.updatedAt)).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
      }
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(["carol-6", "carol-5", "carol-4", "carol-0", "carol-3", "carol-2", "carol-1"]);
    await expect(store.listSessions(carol, { limit: 3, cursor: "not-a-cursor" })).rejects.toBeInstanceOf(HistoryInputError);
    await expect(store.listSessions(carol, { limit: 0 })).rejects.toBeInstanceOf(HistoryInputError);
  });

  it("purges whole sessions not updated within the retention", async () => {
    const old = newSessionId();
    const fresh = newSessionId();
    await store.append(old, alice, [user("old"), assistant("old")]);
    await store.append(fresh, alice, [user("fresh")]);
    await db.query("UPDATE sessions SET updated_at = now() - interval '10 days' WHERE session_id = $1", [old]);
    expect(await store.purgeOlderThan(30)).toBe(0);
    expect(await store.purgeOlderThan(7)).toBe(1);
    expect(await store.load(old, alice)).toBeUndefined();
    expect(await store.load(fresh, alice)).toEqual([user("fresh")]);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE session_id = $1", [old]);
    expect(rows[0]?.n).toBe(0);
    await expect(store.purgeOlderThan(-1)).rejects.toBeInstanceOf(HistoryInputError);
    await expect(store.purgeOlderThan(Number.NaN)).rejects.toBeInstanceOf(HistoryInputError);
  });
});


describe("migrations", () => {
  it("records every migration once in schema_migrations", async () => {
    const { rows } = await db.query<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
  });

  it("applies a new migration exactly once when two runners race", async () => {
    const extra = { version: 9001, name: "race probe", sql: "CREATE TABLE race_probe (id int PRIMARY KEY)" };
    const results = await Promise.all([migrate(db, [...MIGRATIONS, extra]), migrate(db, [...MIGRATIONS, extra])]);
    expect(results.map((r) => r.join(",")).sort()).toEqual(["", "9001"]);
    await db.query("DROP TABLE race_probe");
    await db.query("DELETE FROM schema_migrations WHERE version = 9001");
  });

  it("rolls a failing migration back entirely", async () => {
    const broken = { version: 9002, name: "broken", sql: "CREATE TABLE half_done (id int); SELECT no_such_function()" };
    await expect(migrate(db, [...MIGRATIONS, broken])).rejects.toThrow(/no_such_function/);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM schema_migrations WHERE version = 9002");
    expect(rows[0]?.n).toBe(0);
    const table = await db.query<{ t: string | null }>("SELECT to_regclass('half_done')::text AS t");
    expect(table.rows[0]?.t).toBeNull();
  });
});

// Database creation only exists on a Postgres server; without DATABASE_URL there is nothing to create.
if (BASE_URL) {
  describe("openHistoryStore on postgres", () => {
    it("creates a missing database (quoted name) once even when replicas start together", async () => {
      const name = `gw_history "open" ${suffix}`;
      createdDatabases.push(name);
      const url = withDatabase(BASE_URL, name);
      expect(databaseNameOf(url)).toBe(name);
      const stores = await Promise.all([openHistoryStore({ url }), openHistoryStore({ url }), openHistoryStore({ url })]);
      try {
        expect(stores.map((s) => s.kind)).toEqual(["postgres", "postgres", "postgres"]);
        await stores[0]!.append("s1", alice, [user("hi")]);
        expect(await stores[2]!.load("s1", alice)).toEqual([user("hi")]);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });
}
