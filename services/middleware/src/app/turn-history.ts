import type { FastifyBaseLogger } from "fastify";
import { GatewayError } from "../errors";
import { newSessionId, ownerHash, type ChatMessage, type HistoryStore, type StoredHistory } from "../history/index";
import type { HistoryRequest } from "../bedrock/convert";

/** A chat turn with history on: who owns it, which session, and what was stored before this turn. */
export interface TurnSession {
  readonly sessionId: string;
  readonly owner: string;
  readonly prior: StoredHistory;
}

const NO_HISTORY: StoredHistory = { messagesJson: "", messageCount: 0, systemMessages: [] };

export interface TurnHistoryDeps {
  readonly store: HistoryStore;
  readonly hashKey: string;
  /** Most recent messages sent upstream per turn (HISTORY_MAX_MESSAGES); 0 or absent = all. Storage keeps everything. */
  readonly maxMessages?: number;
}

/**
 * Open the turn's session. Nothing is written here: the session is created by the first append, after the upstream
 * accepted the turn. Unknown and foreign session ids both answer 404, so a caller learns nothing about other keys.
 */
export async function openTurnSession(deps: TurnHistoryDeps, apiKey: string | undefined, history: HistoryRequest): Promise<TurnSession | undefined> {
  if (!history.enabled) return undefined;
  if (!apiKey) throw new GatewayError("GW_MISSING_API_KEY", "Chat history needs an API key: send 'Authorization: Bearer <key>'");
  const owner = ownerHash(apiKey, deps.hashKey);
  if (history.sessionId === undefined) return { sessionId: newSessionId(), owner, prior: NO_HISTORY };
  const prior = await deps.store.loadForTurn(history.sessionId, owner);
  // Client-chosen ids that do not exist are refused too: no squatting, no existence oracle.
  if (prior === undefined) throw new GatewayError("GW_SESSION_NOT_FOUND", `Session ${JSON.stringify(history.sessionId)} not found`);
  return { sessionId: history.sessionId, owner, prior };
}

/** This turn's messages minus a system prompt the session already stored (it is sent once, with the history). */
export function newTurnMessages(prior: StoredHistory, turn: readonly ChatMessage[]): ChatMessage[] {
  if (!prior.systemMessages.length) return [...turn];
  const storedSystems = new Set(prior.systemMessages.map((m) => JSON.stringify(m.content)));
  return turn.filter((m) => !(m.role === "system" && storedSystems.has(JSON.stringify(m.content))));
}

/**
 * The upstream JSON body: `fields` (model, parameters; any `messages` in it is ignored) with `messages` = stored
 * history, then this turn's new messages. The history is spliced in as the JSON text the store returned, so a long
 * session is never parsed into objects and serialised again — unless it is longer than `maxMessages`, the only case
 * where the stored messages are needed one by one (see windowMessages).
 */
export function upstreamTurnBody(fields: Readonly<Record<string, unknown>>, prior: StoredHistory | undefined, turn: readonly ChatMessage[], maxMessages = 0): string {
  const messages = prior ? newTurnMessages(prior, turn) : turn;
  if (!prior?.messagesJson) return JSON.stringify({ ...fields, messages });
  if (maxMessages > 0 && prior.messageCount + messages.length > maxMessages) {
    const stored = JSON.parse(`[${prior.messagesJson}]`) as ChatMessage[];
    return JSON.stringify({ ...fields, messages: windowMessages([...stored, ...messages], maxMessages, stored.length) });
  }
  const { messages: _ignored, ...rest } = fields;
  const restJson = JSON.stringify(rest);
  const turnJson = messages.length ? `,${JSON.stringify(messages).slice(1)}` : "]";
  const messagesJson = `"messages":[${prior.messagesJson}${turnJson}`;
  return restJson === "{}" ? `{${messagesJson}}` : `{${messagesJson},${restJson.slice(1)}`;
}

/**
 * The most recent `max` non-system messages of `all`, never starting later than `keepFrom` (this turn's own messages
 * are always sent). The window is widened so it never starts on a tool result whose assistant tool_calls message
 * would be cut off (upstream models refuse orphaned tool results), and the latest system message before the window
 * is put first, so the session's system prompt is never lost.
 */
export function windowMessages(all: readonly ChatMessage[], max: number, keepFrom = all.length): ChatMessage[] {
  if (max <= 0) return [...all];
  let start = all.length;
  for (let kept = 0; start > 0 && kept < max; ) if (all[--start]!.role !== "system") kept++;
  start = Math.min(start, keepFrom);
  while (start > 0 && all[start]?.role === "tool") start--;
  const window = all.slice(start);
  for (let i = start - 1; i >= 0; i--) if (all[i]!.role === "system") return [all[i]!, ...window];
  return window;
}

/** Append the turn (its new messages + the reply). Failures are logged, never thrown at a client mid-response. */
export async function recordTurn(store: HistoryStore, session: TurnSession, turn: readonly ChatMessage[], reply: ChatMessage, log: FastifyBaseLogger): Promise<boolean> {
  try {
    await store.append(session.sessionId, session.owner, [...turn, reply]);
    return true;
  } catch (err) {
    log.error({ code: (err as { name?: string }).name, sessionId: session.sessionId }, "storing the chat turn failed");
    return false;
  }
}
