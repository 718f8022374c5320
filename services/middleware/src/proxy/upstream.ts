import { Pool, type Dispatcher } from "undici";
import type { IncomingHttpHeaders } from "node:http";
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

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Client request headers minus hop-by-hop ones (and the names in `drop`), ready for undici. */
export function forwardHeaders(headers: IncomingHttpHeaders, drop?: ReadonlySet<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connectionListed = listedInConnection(headers.connection);
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionListed?.has(name) || drop?.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Upstream response headers minus hop-by-hop ones, ready for ServerResponse.writeHead. */
export function clientHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>, drop?: ReadonlySet<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connectionListed = listedInConnection(headers.connection);
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionListed?.has(name) || drop?.has(name)) continue;
    out[name] = value;
  }
  return out;
}

function listedInConnection(value: string | string[] | undefined): Set<string> | undefined {
  if (!value) return undefined;
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
