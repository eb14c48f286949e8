/**
 * Runs Hawser's request parser and chunked decoder over a whole request stream the way the data
 * plane will (head, then body by its framing, then the next head), producing messages in the
 * oracle's shape for the differential fuzz. Test support only.
 */
import { ChunkedDecoder } from '../chunked-decoder.ts';
import { BODY_CHUNKED, BODY_LENGTH } from '../head-parser.ts';
import type { RequestHeadParser } from '../request-head-parser.ts';
import type { OracleMessage } from './llhttp-oracle.ts';

export interface StreamResult {
  messages: OracleMessage[];
  /** done: all input consumed; incomplete: waiting for more; rejected: `error`; stopped: after close or upgrade. */
  outcome: 'done' | 'incomplete' | 'rejected' | 'stopped';
  error: string | null;
}

/** `onHead` runs after each accepted head, while the parser still describes it. */
export function parseRequestStream(
  input: Buffer, p: RequestHeadParser, dec: ChunkedDecoder, onHead?: (p: RequestHeadParser) => void,
): StreamResult {
  const messages: OracleMessage[] = [];
  let pos = 0;
  p.reset();
  while (pos < input.length) {
    const n = p.execute(input, pos, input.length);
    if (n === 0) return { messages, outcome: 'incomplete', error: null };
    if (n < 0) return { messages, outcome: 'rejected', error: p.error };
    pos += n;
    onHead?.(p);
    const headers: string[] = [];
    for (let i = 0; i < p.headerCount; i++) headers.push(p.headerName(i), p.headerValue(i));
    let body: Buffer;
    if (p.bodyKind === BODY_LENGTH) {
      if (input.length - pos < p.contentLength) return { messages, outcome: 'incomplete', error: null };
      body = input.subarray(pos, pos + p.contentLength);
      pos += p.contentLength;
    } else if (p.bodyKind === BODY_CHUNKED) {
      dec.reset();
      const parts: Buffer[] = [];
      while (pos < input.length && !dec.done) {
        pos = dec.execute(input, pos, input.length);
        if (pos < 0) return { messages, outcome: 'rejected', error: dec.error };
        if (dec.dataEnd > dec.dataStart) parts.push(input.subarray(dec.dataStart, dec.dataEnd));
      }
      if (!dec.done) return { messages, outcome: 'incomplete', error: null };
      body = Buffer.concat(parts);
    } else {
      body = Buffer.alloc(0);
    }
    messages.push({
      method: p.method, url: p.target, versionMinor: p.versionMinor, headers, keepAlive: p.keepAlive,
      upgrade: p.upgrade, body,
    });
    if (p.upgrade || !p.keepAlive) return { messages, outcome: 'stopped', error: null };
  }
  return { messages, outcome: 'done', error: null };
}
