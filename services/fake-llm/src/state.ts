/** Mutable per-instance state: counters, the request ring buffer, fail-next queue and error-rate rules. */
import type { ErrorRule } from "./options";

/** Stable route ids used by counters, error rules and fail-next. */
export type RouteId =
  | "chat"
  | "models"
  | "converse"
  | "converse-stream"
  | "invoke"
  | "invoke-with-response-stream"
  | "get-prompt"
  | "health"
  | "key/generate"
  | "user/new"
  | "key/info"
  | "key/list";

export type RouteFamily = "openai" | "bedrock" | "bedrock-agent" | "litellm";

export const ROUTE_FAMILY: Record<RouteId, RouteFamily> = {
  chat: "openai",
  models: "openai",
  converse: "bedrock",
  "converse-stream": "bedrock",
  invoke: "bedrock",
  "invoke-with-response-stream": "bedrock",
  "get-prompt": "bedrock-agent",
  health: "litellm",
  "key/generate": "litellm",
  "user/new": "litellm",
  "key/info": "litellm",
  "key/list": "litellm",
};

const ALIASES: Record<string, RouteId> = {
  "chat.completions": "chat",
  "chat/completions": "chat",
  "/v1/chat/completions": "chat",
  "/chat/completions": "chat",
  "/v1/models": "models",
  "converseStream": "converse-stream",
  "invokeModel": "invoke",
  "invoke-stream": "invoke-with-response-stream",
  "invokeModelWithResponseStream": "invoke-with-response-stream",
};

/**
 * Whether a rule's route selector applies to a request: "*", a route id or alias, a family ("openai", "bedrock", ...),
 * an exact path, or a path prefix ending in "*".
 */
export function routeMatches(selector: string, id: RouteId, path: string): boolean {
  if (selector === "*" || selector === id || selector === ROUTE_FAMILY[id] || ALIASES[selector] === id) return true;
  if (selector.startsWith("/")) {
    if (selector.endsWith("*")) return path.startsWith(selector.slice(0, -1));
    return path === selector;
  }
  return false;
}

export interface RecordedRequest {
  readonly at: string;
  readonly route: RouteId;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

export interface InjectedError {
  readonly status: number;
  readonly errorType?: string;
  /** When set, the stream starts and breaks after this many content chunks. */
  readonly afterChunks?: number;
}

interface FailNextEntry extends InjectedError {
  readonly route: string;
  remaining: number;
}

const REDACTED = "[redacted]";
const SECRET_HEADERS = new Set(["authorization", "x-api-key", "api-key", "proxy-authorization", "cookie"]);

export class FakeState {
  private counts = new Map<string, number>();
  private ring: (RecordedRequest | undefined)[];
  private next = 0;
  private failQueue: FailNextEntry[] = [];

  constructor(private logSize: number) {
    this.ring = new Array(logSize);
  }

  count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  counters(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  record(route: RouteId, method: string, path: string, headers: Record<string, string | string[] | undefined>, body: unknown): void {
    const safe: Record<string, string | string[] | undefined> = {};
    for (const name in headers) safe[name] = SECRET_HEADERS.has(name) ? REDACTED : headers[name];
    const readable = Buffer.isBuffer(body) ? body.toString("utf8") : body;
    this.ring[this.next % this.logSize] = { at: new Date().toISOString(), route, method, path, headers: safe, body: readable };
    this.next++;
  }

  /** Recorded requests, oldest first. */
  lastRequests(): RecordedRequest[] {
    const out: RecordedRequest[] = [];
    const start = Math.max(0, this.next - this.logSize);
    for (let i = start; i < this.next; i++) out.push(this.ring[i % this.logSize]!);
    return out;
  }

  failNext(route: string, n: number, status: number, errorType?: string, afterChunks?: number): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`failNext: n must be an integer >= 1, got ${n}`);
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`failNext: status must be 400-599, got ${status}`);
    this.failQueue.push({ route, remaining: n, status, errorType, afterChunks });
  }

  /** Consumes a fail-next entry or draws an error-rate rule for this request. */
  takeInjectedError(id: RouteId, path: string, rules: readonly ErrorRule[]): InjectedError | undefined {
    if (this.failQueue.length) {
      const i = this.failQueue.findIndex((e) => routeMatches(e.route, id, path));
      if (i >= 0) {
        const entry = this.failQueue[i]!;
        if (--entry.remaining <= 0) this.failQueue.splice(i, 1);
        return entry;
      }
    }
    for (const rule of rules) {
      if (routeMatches(rule.route, id, path) && Math.random() < rule.rate) return rule;
    }
    return undefined;
  }

  reset(): void {
    this.counts.clear();
    this.ring = new Array(this.logSize);
    this.next = 0;
    this.failQueue = [];
  }

  resize(logSize: number): void {
    const kept = this.lastRequests().slice(-logSize);
    this.logSize = logSize;
    this.ring = new Array(logSize);
    this.next = 0;
    for (const r of kept) this.ring[this.next++ % logSize] = r;
  }
}
