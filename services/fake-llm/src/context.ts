/** Per-instance context and the prelude every model route runs: record, count, read controls, draw injected errors. */
import type { FastifyRequest } from "fastify";
import { CONTROL_HEADER, parseControls, pickLatency, type RequestControls, type ResolvedOptions } from "./options";
import type { FakeState, InjectedError, RouteId } from "./state";
import type { KeyStore } from "./keys";
import type { PromptStore } from "./prompts";

export interface FakeContext {
  opts: ResolvedOptions;
  readonly state: FakeState;
  readonly keys: KeyStore;
  readonly prompts: PromptStore;
}

/** The effective knobs of one request (instance options overridden by the control header). */
export interface RequestPlan {
  readonly controls: RequestControls;
  readonly latencyMs: number;
  readonly ttftMs: number;
  readonly tokensPerSecond: number;
  readonly responseTokens?: number;
  /** Error to answer before the response starts. */
  readonly error?: InjectedError;
  /** Error to raise mid-stream after `afterChunks` content chunks. */
  readonly streamError?: InjectedError & { afterChunks: number };
  readonly abortAfterChunks?: number;
}

export class BadControlHeader extends Error {}

/** Raw path without the query string (never decoded, so %2F in model ids survives). */
export function rawPath(req: FastifyRequest): string {
  const url = req.raw.url ?? "/";
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

export function planRequest(ctx: FakeContext, req: FastifyRequest, id: RouteId, path = rawPath(req)): RequestPlan {
  ctx.state.count("total");
  ctx.state.count(id);
  ctx.state.record(id, req.method, req.raw.url ?? path, req.headers, req.body);
  let controls: RequestControls | undefined;
  try {
    controls = parseControls(req.headers[CONTROL_HEADER]);
  } catch {
    throw new BadControlHeader();
  }
  const c = controls ?? {};
  const o = ctx.opts;
  let injected: InjectedError | undefined;
  if (c.status !== undefined || c.errorType !== undefined) {
    injected = { status: c.status ?? 0, errorType: c.errorType, afterChunks: c.failAfterChunks };
  } else {
    injected = ctx.state.takeInjectedError(id, path, o.errors);
  }
  if (injected) ctx.state.count(`${id}.injected`);
  const afterChunks = injected?.afterChunks ?? (injected ? undefined : c.failAfterChunks);
  const streamError =
    afterChunks !== undefined ? { status: injected?.status ?? 500, errorType: injected?.errorType, afterChunks } : undefined;
  return {
    controls: c,
    latencyMs: pickLatency(c.latencyMs ?? o.latencyMs),
    ttftMs: c.ttftMs ?? o.ttftMs,
    tokensPerSecond: c.tokensPerSecond ?? o.tokensPerSecond,
    responseTokens: c.responseTokens ?? o.responseTokens,
    error: injected && afterChunks === undefined ? injected : undefined,
    streamError,
    abortAfterChunks: c.abortAfterChunks,
  };
}
