import type { FastifyBaseLogger } from "fastify";
import { GatewayError } from "../errors";
import { newSessionId, ownerHash, type ChatMessage, type HistoryStore } from "../history/index";
import type { HistoryRequest } from "../bedrock/convert";

/** A chat turn with history on: who owns it, which session, and what was stored before this turn. */
export interface TurnSession {
  readonly sessionId: string;
  readonly owner: string;
  readonly prior: ChatMessage[];
}

export interface TurnHistoryDeps {
  readonly store: HistoryStore;
  readonly hashKey: string;
}

/**
 * Open the turn's session. Nothing is written here: the session is created by the first append, after the upstream
 * accepted the turn. Unknown and foreign session ids both answer 404, so a caller learns nothing about other keys.
 */
export async function openTurnSession(deps: TurnHistoryDeps, apiKey: string | undefined, history: HistoryRequest): Promise<TurnSession | undefined> {
  if (!history.enabled) return undefined;
  if (!apiKey) throw new GatewayError("GW_MISSING_API_KEY", "Chat history needs an API key: send 'Authorization: Bearer <key>'");
  const owner = ownerHash(apiKey, deps.hashKey);
  if (history.sessionId === undefined) return { sessionId: newSessionId(), owner, prior: [] };
  const prior = await deps.store.load(history.sessionId, owner);
  // Client-chosen ids that do not exist are refused too: no squatting, no existence oracle.
  if (prior === undefined) throw new GatewayError("GW_SESSION_NOT_FOUND", `Session ${JSON.stringify(history.sessionId)} not found`);
  return { sessionId: history.sessionId, owner, prior };
}

/** Messages sent upstream: stored history, then this turn's messages minus a system prompt already stored. */
export function composeMessages(prior: readonly ChatMessage[], turn: readonly ChatMessage[]): ChatMessage[] {
  if (!prior.length) return [...turn];
  const storedSystems = new Set(prior.filter((m) => m.role === "system").map((m) => JSON.stringify(m.content)));
  return [...prior, ...turn.filter((m) => !(m.role === "system" && storedSystems.has(JSON.stringify(m.content))))];
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
