/** AWS event-stream framing (application/vnd.amazon.eventstream) via @smithy/eventstream-codec. */
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const str = (value: string) => ({ type: "string" as const, value });
const JSON_TYPE = str("application/json");
const EVENT = str("event");
const EXCEPTION = str("exception");

/** An event frame: `:event-type` names the union member (messageStart, contentBlockDelta, chunk ...). */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: { ":message-type": EVENT, ":event-type": str(eventType), ":content-type": JSON_TYPE },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** An exception frame: a failure after the HTTP 200 was sent. */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: { ":message-type": EXCEPTION, ":exception-type": str(exceptionType), ":content-type": JSON_TYPE },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

/** Decodes a complete buffer of frames (tests and tools). */
export function decodeFrames(buf: Uint8Array): { headers: Record<string, string>; body: unknown }[] {
  const out: { headers: Record<string, string>; body: unknown }[] = [];
  let offset = 0;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  while (offset < buf.byteLength) {
    const len = view.getUint32(offset, false);
    const msg = codec.decode(buf.subarray(offset, offset + len));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(msg.headers)) headers[k] = String(v.value);
    out.push({ headers, body: JSON.parse(toUtf8(msg.body)) });
    offset += len;
  }
  return out;
}

export const EVENTSTREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";
