/**
 * Runs Hawser's response parser and chunked decoder over the bytes an upstream sent on one
 * connection, the way the data plane will, producing messages in the oracle's shape for the
 * differential fuzz. The end of `input` is the upstream closing. Test support only.
 */
import { ChunkedDecoder } from '../chunked-decoder.ts';
import { BODY_CHUNKED, BODY_LENGTH, BODY_TUNNEL, BODY_UNTIL_CLOSE } from '../head-parser.ts';
import type { ResponseHeadParser } from '../response-head-parser.ts';
import type { StreamResult } from './request-stream.ts';
import type { OracleMessage } from './llhttp-oracle.ts';

/** `onHead` runs after each accepted head, while the parser still describes it. */
export function parseResponseStream(
  input: Buffer, p: ResponseHeadParser, dec: ChunkedDecoder, headRequest: boolean, onHead?: (p: ResponseHeadParser) => void,
): StreamResult {
  const messages: OracleMessage[] = [];
  let pos = 0;
  p.reset();
  while (pos < input.length) {
    p.requestWasHead = headRequest;
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
    } else if (p.bodyKind === BODY_UNTIL_CLOSE) {
      body = input.subarray(pos);
      pos = input.length;
    } else {
      body = Buffer.alloc(0);
    }
    messages.push({
      method: String(p.status), url: '', versionMinor: p.versionMinor, headers,
      keepAlive: p.keepAlive, upgrade: p.bodyKind === BODY_TUNNEL, body,
    });
    if (p.bodyKind === BODY_TUNNEL || !p.keepAlive) return { messages, outcome: 'stopped', error: null };
  }
  return { messages, outcome: 'done', error: null };
}
