/**
 * Incremental Server-Sent-Events splitter: feed it upstream bytes, get back complete events (raw text to forward
 * unchanged, and the joined `data:` payload to inspect). Nothing is buffered beyond one incomplete event.
 */
export interface SseEvent {
  /** The event exactly as received, including its terminating blank line. */
  readonly raw: string;
  /** Joined `data:` lines, or undefined for comment/keep-alive events. */
  readonly data?: string;
}

export class SseSplitter {
  private buffer = "";
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array): SseEvent[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    return this.drain(false);
  }

  /** Flush what is left at end of stream (a last event without its blank line still counts). */
  end(): SseEvent[] {
    this.buffer += this.decoder.decode();
    return this.drain(true);
  }

  private drain(final: boolean): SseEvent[] {
    const events: SseEvent[] = [];
    for (;;) {
      const m = /\r?\n\r?\n/.exec(this.buffer);
      if (!m) break;
      const end = m.index + m[0].length;
      events.push(parseEvent(this.buffer.slice(0, end)));
      this.buffer = this.buffer.slice(end);
    }
    if (final && this.buffer.trim().length) {
      events.push(parseEvent(this.buffer + "\n\n"));
      this.buffer = "";
    }
    return events;
  }
}

function parseEvent(raw: string): SseEvent {
  let data: string | undefined;
  for (const line of raw.split(/\r?\n/)) {
    if (!line.startsWith("data:")) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return { raw, data };
}
