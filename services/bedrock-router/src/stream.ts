/**
 * Streaming support. The router pulls the first content event before it declares a target the winner, so a throttle
 * or 5xx that arrives as the first event-stream frames still fails over. After that the events are relayed as they come (no
 * buffering); a failure turns into a thrown StreamInterruptedError instead of a silently short answer.
 */

export interface PrimedStream<E> {
  /** Preamble events read before `first` (e.g. ConverseStream's messageStart), replayed in order. */
  readonly preamble: readonly E[];
  readonly first: IteratorResult<E>;
  readonly iterator: AsyncIterator<E>;
}

/** At most this many preamble events are held back; a stream of nothing but preamble is relayed after that. */
const MAX_PREAMBLE = 4;

/**
 * Reads a stream up to its first content event (or its end); throws what the stream throws. Events for which
 * `isPreamble` holds carry no content (messageStart names the role only), so a failure right after them can still move
 * the call to another target without the caller noticing.
 */
export async function primeStream<E>(stream: AsyncIterable<E> | undefined, isPreamble: (event: E) => boolean = () => false): Promise<PrimedStream<E>> {
  const iterator = (stream ?? emptyStream<E>())[Symbol.asyncIterator]();
  const preamble: E[] = [];
  for (;;) {
    const first = await iterator.next();
    if (first.done || preamble.length >= MAX_PREAMBLE || !isPreamble(first.value)) return { preamble, first, iterator };
    preamble.push(first.value);
  }
}

async function* emptyStream<E>(): AsyncGenerator<E> {}

export interface RelayHooks {
  /** Turns a mid-stream failure into the error thrown to the consumer (and records it). */
  readonly onError: (error: unknown, eventsDelivered: number) => Promise<Error>;
  /** Runs once when the stream ends, fails, or the consumer stops early. */
  readonly onFinish: () => void;
}

export async function* relayStream<E>(primed: PrimedStream<E>, hooks: RelayHooks): AsyncGenerator<E, void, undefined> {
  const { preamble, first, iterator } = primed;
  let delivered = 0;
  let completed = false;
  try {
    for (const event of preamble) {
      delivered++;
      yield event;
    }
    if (first.done) {
      completed = true;
      return;
    }
    delivered++;
    yield first.value;
    for (;;) {
      let next: IteratorResult<E>;
      try {
        next = await iterator.next();
      } catch (e) {
        completed = true;
        throw await hooks.onError(e, delivered);
      }
      if (next.done) {
        completed = true;
        return;
      }
      delivered++;
      yield next.value;
    }
  } finally {
    // The consumer stopped early (break/return): release the connection.
    if (!completed) await iterator.return?.().catch(() => undefined);
    hooks.onFinish();
  }
}
