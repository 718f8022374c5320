import type { ChatMessage } from "./types";

/** A session's history as of `messageCount` messages (the prefix every later version of the session starts with). */
export interface CachedHistory {
  /** sessions.created_at (µs text): a session deleted and created again under the same id is another session. */
  readonly createdAt: string;
  readonly messageCount: number;
  readonly messagesJson: string;
  readonly systemMessages: ChatMessage[];
}

/**
 * Recently used sessions' history, bounded by total JSON length, least recently used evicted first. Only a prefix
 * cache: messages are append-only with gap-free sequence numbers, so the store reads just the rows after
 * `messageCount` and checks the count and creation time in the same statement. Nothing is served without that check,
 * so other replicas' appends and deletions are always seen.
 */
export class TurnHistoryCache {
  private readonly entries = new Map<string, CachedHistory>();
  private size = 0;

  constructor(private readonly maxChars: number) {}

  get(sessionId: string): CachedHistory | undefined {
    const entry = this.entries.get(sessionId);
    if (entry) {
      // Map order is insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(sessionId);
      this.entries.set(sessionId, entry);
    }
    return entry;
  }

  set(sessionId: string, entry: CachedHistory): void {
    this.delete(sessionId);
    const chars = entry.messagesJson.length;
    if (chars > this.maxChars) return;
    this.entries.set(sessionId, entry);
    this.size += chars;
    for (const [id, oldest] of this.entries) {
      if (this.size <= this.maxChars) break;
      this.entries.delete(id);
      this.size -= oldest.messagesJson.length;
    }
  }

  delete(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    this.entries.delete(sessionId);
    this.size -= entry.messagesJson.length;
  }

  /** Total JSON characters held (for tests and metrics). */
  get chars(): number {
    return this.size;
  }
}
