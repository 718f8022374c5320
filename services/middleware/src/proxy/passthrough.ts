import type { FastifyReply, FastifyRequest } from "fastify";
import { pipeline } from "node:stream/promises";
import type { Dispatcher } from "undici";
import { GatewayError, fromUpstreamFailure, openaiErrorBody } from "../errors";
import { clientHeaders, forwardHeaders, type Upstream } from "./upstream";

const BODYLESS = new Set(["GET", "HEAD"]);

/**
 * Forward a request to LiteLLM unchanged (method, raw path + query, headers minus hop-by-hop, streaming body) and
 * stream the answer back (status, headers, body) without buffering. Used for every path the middleware does not own,
 * and by owned routes that fall back to plain proxying (e.g. /user/new without OIDC).
 */
export async function proxyToUpstream(upstream: Upstream, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.hijack();
  const req = request.raw;
  const res = reply.raw;
  const abort = new AbortController();
  const onClientGone = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.once("close", onClientGone);

  const headers = forwardHeaders(req.headers);
  const xff = req.headers["x-forwarded-for"];
  const remote = req.socket.remoteAddress;
  if (remote) headers["x-forwarded-for"] = xff ? `${Array.isArray(xff) ? xff.join(", ") : xff}, ${remote}` : remote;

  let body: Dispatcher.DispatchOptions["body"];
  if (request.body !== undefined && request.body !== null) {
    // The body was already read by a route (fastify parser): send what it read.
    body = Buffer.isBuffer(request.body) || typeof request.body === "string" ? request.body : JSON.stringify(request.body);
    delete headers["transfer-encoding"];
    headers["content-length"] = String(Buffer.byteLength(body as string | Buffer));
  } else if (!BODYLESS.has(req.method ?? "GET") && (req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined)) {
    body = req;
  }

  let upstreamRes: Dispatcher.ResponseData;
  try {
    upstreamRes = await upstream.request({ path: req.url ?? "/", method: (req.method ?? "GET") as Dispatcher.HttpMethod, headers, body, signal: abort.signal });
  } catch (err) {
    const ge = fromUpstreamFailure(err);
    request.log.warn({ code: ge.code, path: req.url?.split("?")[0] }, "upstream request failed");
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(ge.status, { "content-type": "application/json" });
      res.end(openaiErrorBody(ge.message, ge.openaiType, ge.code));
    }
    return;
  }

  try {
    res.writeHead(upstreamRes.statusCode, clientHeaders(upstreamRes.headers));
    await pipeline(upstreamRes.body, res);
  } catch (err) {
    // Mid-body failure (client gone, upstream reset or body timeout): the status is already sent; cut the connection.
    if (!abort.signal.aborted) request.log.warn({ err: errSummary(err), path: req.url?.split("?")[0] }, "proxied body failed");
    upstreamRes.body.destroy();
    res.destroy();
  } finally {
    res.off("close", onClientGone);
  }
}

export function errSummary(err: unknown): { code?: string; message: string } {
  if (err instanceof GatewayError) return { code: err.code, message: err.message };
  const e = err as { code?: string; message?: string };
  return { code: e?.code, message: String(e?.message ?? err) };
}
