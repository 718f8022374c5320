/** OpenAI chat message, stored verbatim as JSON. */
export type ChatMessage = {
  role: "system" | "user" | "assistant" | "tool";
  content: unknown;
  name?: string;
  tool_calls?: unknown[];
  tool_call_id?: string;
};

export const CHAT_ROLES: readonly ChatMessage["role"][] = ["system", "user", "assistant", "tool"];

export interface SessionSummary {
  sessionId: string;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
}

/**
 * A session's stored messages as the JSON texts Postgres holds, for a chat turn that only forwards them: no per-row
 * objects are built, the upstream body is assembled from the texts.
 */
export interface StoredHistory {
  /** The stored messages' JSON texts in order, comma-separated (no brackets); "" when there are none. */
  readonly messagesJson: string;
  /** How many messages messagesJson holds. */
  readonly messageCount: number;
  /** The stored system messages, parsed (a turn does not resend a system prompt the session already has). */
  readonly systemMessages: ChatMessage[];
}

export interface HistoryStore {
  readonly kind: "postgres" | "pglite";
  /** undefined: no such session OR owned by someone else (the caller answers 404 either way). */
  load(sessionId: string, owner: string): Promise<ChatMessage[] | undefined>;
  /** The same messages as load(), as raw JSON texts (one row, one string): the chat-turn path. */
  loadForTurn(sessionId: string, owner: string): Promise<StoredHistory | undefined>;
  /**
   * Creates the session for owner when new; atomic; order kept under concurrency; a system message identical
   * to the session's current one is not stored again. Throws SessionOwnershipError for another owner.
   */
  append(sessionId: string, owner: string, messages: readonly ChatMessage[]): Promise<void>;
  /** Newest sessions first; pass nextCursor back to get the following page. */
  listSessions(owner: string, page: { limit: number; cursor?: string }): Promise<{ sessions: SessionSummary[]; nextCursor?: string }>;
  deleteSession(sessionId: string, owner: string): Promise<boolean>;
  /** Deletes whole sessions not updated for `days`; returns how many. */
  purgeOlderThan(days: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A session exists and belongs to another owner. Callers answer 404 so existence is not revealed. */
export class SessionOwnershipError extends Error {
  override readonly name = "SessionOwnershipError";
  constructor() {
    super("session belongs to another owner");
  }
}

/** Caller-supplied input the store refuses (bad session id, role, cursor, limit); callers answer 400. */
export class HistoryInputError extends Error {
  override readonly name = "HistoryInputError";
}
