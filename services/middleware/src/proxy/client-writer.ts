import type { ServerResponse } from "node:http";

/**
 * Writes a streamed response to the client with backpressure. When the client goes away, writes become no-ops so the
 * caller can keep reading the upstream to the end (e.g. to store the assembled reply).
 */
export class ClientWriter {
  private closed = false;

  constructor(private readonly res: ServerResponse) {
    res.once("close", () => {
      this.closed = true;
    });
  }

  /** True once the client disconnected before the response finished. */
  get gone(): boolean {
    return this.closed && !this.res.writableFinished;
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.closed || this.res.destroyed) return;
    if (this.res.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.res.off("drain", done);
        this.res.off("close", done);
        resolve();
      };
      this.res.once("drain", done);
      this.res.once("close", done);
    });
  }

  end(chunk?: string | Uint8Array): void {
    if (this.closed || this.res.destroyed) return;
    if (chunk === undefined) this.res.end();
    else this.res.end(chunk);
  }
}
