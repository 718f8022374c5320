/** Timers for latency, time to first token and token pacing, and a backpressure-aware raw response writer. */
import type { ServerResponse } from "node:http";

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** Schedules token i at start + ttft + i / tps against one clock, so timer jitter does not accumulate. */
export class TokenPacer {
  private readonly start = performance.now();
  constructor(
    private readonly ttftMs: number,
    private readonly tokensPerSecond: number,
  ) {}

  /** Total time a reply of n tokens takes (used by non-streaming replies). */
  static duration(ttftMs: number, tokensPerSecond: number, n: number): number {
    return ttftMs + (tokensPerSecond > 0 ? ((n - 1) * 1000) / tokensPerSecond : 0);
  }

  async beforeToken(i: number): Promise<void> {
    if (this.ttftMs <= 0 && this.tokensPerSecond <= 0) return;
    const due = this.start + this.ttftMs + (this.tokensPerSecond > 0 ? (i * 1000) / this.tokensPerSecond : 0);
    await sleep(due - performance.now());
  }
}

/** Writes frames straight to the socket, waiting on drain; `closed` turns true when the client goes away. */
export class StreamWriter {
  closed = false;
  constructor(private readonly res: ServerResponse) {
    res.on("close", () => {
      this.closed = true;
    });
  }

  start(status: number, headers: Record<string, string>): void {
    this.res.writeHead(status, headers);
    // Send the headers now so clients see the response start before the first (possibly delayed) token.
    this.res.flushHeaders();
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.closed) return;
    if (!this.res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.res.off("drain", done);
          this.res.off("close", done);
          resolve();
        };
        this.res.on("drain", done);
        this.res.on("close", done);
      });
    }
  }

  end(): void {
    if (!this.closed) this.res.end();
  }

  /** Drops the connection without a clean end (simulates a network failure mid-stream). */
  abort(): void {
    this.closed = true;
    this.res.socket?.destroy();
  }
}

export interface StreamPlan {
  readonly ttftMs: number;
  readonly tokensPerSecond: number;
  readonly streamError?: { readonly status: number; readonly errorType?: string; readonly afterChunks: number };
  readonly abortAfterChunks?: number;
}

/**
 * Writes `count` content pieces with pacing, injecting the plan's mid-stream failure (via `fail`, then end) or abort.
 * Returns true when every piece was written and the client is still there.
 */
export async function paceStream(
  out: StreamWriter,
  plan: StreamPlan,
  count: number,
  write: (i: number) => Promise<void>,
  fail: (e: NonNullable<StreamPlan["streamError"]>) => Promise<void>,
): Promise<boolean> {
  const pacer = new TokenPacer(plan.ttftMs, plan.tokensPerSecond);
  // i == count lets a failure land after the last content piece, before the closing events.
  for (let i = 0; i <= count; i++) {
    if (out.closed) return false;
    if (plan.streamError && i === plan.streamError.afterChunks) {
      await fail(plan.streamError);
      out.end();
      return false;
    }
    if (plan.abortAfterChunks !== undefined && i === plan.abortAfterChunks) {
      out.abort();
      return false;
    }
    if (i === count) break;
    await pacer.beforeToken(i);
    await write(i);
  }
  return !out.closed;
}
