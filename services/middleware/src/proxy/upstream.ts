import { Pool, type Dispatcher } from "undici";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { fromUpstreamFailure } from "../errors";

/** Headers that describe one hop, never forwarded (RFC 9110 §7.6.1) plus host, which undici sets. */
export const HOP_BY_HOP = new Set([
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
  "trailers", "transfer-encoding", "upgrade", "host",
]);

export interface UpstreamOptions {
  readonly url: string;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly connections: number;
}

export interface UpstreamRequest {
  readonly path: string;
  readonly method: Dispatcher.HttpMethod;
  readonly headers: Record<string, string | string[]>;
  readonly body?: Dispatcher.DispatchOptions["body"];
  readonly signal?: AbortSignal;
  readonly headersTimeout?: number;
}

/** One keep-alive pool to LiteLLM with explicit per-phase timeouts. */
export class Upstream {
  readonly pool: Pool;
  readonly origin: string;
  private readonly basePath: string;

  constructor(readonly options: UpstreamOptions) {
    const u = new URL(options.url);
    this.origin = u.origin;
    this.basePath = u.pathname.replace(/\/+$/, "");
    this.pool = new Pool(this.origin, {
      connections: options.connections,
      connectTimeout: options.connectTimeoutMs,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  /** Send a request; network and timeout failures become GatewayErrors from the catalogue. */
  async request(req: UpstreamRequest): Promise<Dispatcher.ResponseData> {
    try {
      return await this.pool.request({
        path: this.basePath + req.path,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        headersTimeout: req.headersTimeout,
      });
    } catch (err) {
      throw fromUpstreamFailure(err);
    }
  }

  /**
   * Send a request and write the answer straight into `res` (status, headers minus hop-by-hop ones, body chunks as they
   * arrive, with backpressure) through a bare dispatch handler: no body stream, no header object in between. A client
   * that leaves aborts the upstream request. Resolves when the body was written or the client left; rejects with a
   * GatewayError on upstream failure. When the head was already written (`res.headersSent`) the client connection has
   * been cut and the caller only logs. (`req.signal` is not used: the client connection is the signal.)
   */
  relay(req: UpstreamRequest, res: ServerResponse): Promise<void> {
    return new Promise((resolve, reject) => {
      const handler = new RelayHandler(res, (err) => (err ? reject(fromUpstreamFailure(err)) : resolve()));
      this.pool.dispatch({ path: this.basePath + req.path, method: req.method, headers: req.headers, body: req.body, headersTimeout: req.headersTimeout }, handler);
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** undici dispatch handler behind Upstream.relay. */
class RelayHandler implements Dispatcher.DispatchHandler {
  private abortRequest?: (err?: Error) => void;
  private resumeUpstream?: () => void;
  private done = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly settle: (err?: Error) => void,
  ) {
    res.once("close", this.onClientClose);
  }

  // A client that leaves before the end stops the upstream request too.
  private readonly onClientClose = (): void => {
    if (this.done) return;
    this.finish();
    this.abortRequest?.(new Error("client closed the connection"));
  };

  private readonly onDrain = (): void => this.resumeUpstream?.();

  private finish(err?: Error): void {
    if (this.done) return;
    this.done = true;
    this.res.off("close", this.onClientClose);
    this.res.off("drain", this.onDrain);
    this.settle(err);
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.done) abort(new Error("client closed the connection"));
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true;
    this.resumeUpstream = resume;
    if (!this.done) this.res.writeHead(statusCode, relayedHeaders(rawHeaders));
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.done) return true;
    if (this.res.write(chunk)) return true;
    this.res.once("drain", this.onDrain);
    return false;
  }

  onComplete(): void {
    if (this.done) return;
    this.res.end();
    this.finish();
  }

  onError(err: Error): void {
    if (this.done) return;
    // After the head the status is sent: all that is left is to cut the connection.
    if (this.res.headersSent) this.res.destroy();
    this.finish(err);
  }
}

/** Raw upstream headers minus hop-by-hop and Connection-listed ones, as the flat list writeHead takes. */
function relayedHeaders(raw: Buffer[]): string[] {
  const out: string[] = [];
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString("latin1").toLowerCase();
    if (name === "connection") listed = listedInConnection(raw[i + 1]!.toString("latin1"));
  }
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString("latin1");
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed?.has(lower)) continue;
    out.push(name, raw[i + 1]!.toString("latin1"));
  }
  return out;
}

/** Headers minus hop-by-hop ones, those the Connection header lists, and the names in `drop`: both directions. */
function copyHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>, drop?: ReadonlySet<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connectionListed = listedInConnection(headers.connection);
  // for-in over the plain header object (no entries array): this runs for every proxied request.
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || connectionListed?.has(name) || drop?.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Client request headers minus hop-by-hop ones (and the names in `drop`), ready for undici. */
export function forwardHeaders(headers: IncomingHttpHeaders, drop?: ReadonlySet<string>): Record<string, string | string[]> {
  return copyHeaders(headers, drop);
}

/** Upstream response headers minus hop-by-hop ones, ready for ServerResponse.writeHead. */
export function clientHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>, drop?: ReadonlySet<string>): Record<string, string | string[]> {
  return copyHeaders(headers, drop);
}

function listedInConnection(value: string | string[] | undefined): Set<string> | undefined {
  // The usual values name no header beyond the hop-by-hop ones already dropped.
  if (!value || value === "keep-alive" || value === "close") return undefined;
  const joined = Array.isArray(value) ? value.join(",") : value;
  return new Set(joined.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean));
}

/** Read a whole (small) upstream body as text, bounded so a hostile upstream cannot exhaust memory. */
export async function readText(body: Dispatcher.ResponseData["body"], limit = 8 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new Error(`upstream body exceeds ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
