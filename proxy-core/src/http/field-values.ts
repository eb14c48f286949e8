/**
 * Parsers of the few header values whose meaning changes framing or the connection: Content-Length,
 * Transfer-Encoding and Connection. They read bytes in place and allocate only for the rare
 * Connection options that name other headers.
 */
import { COMMA, HTAB, SP, TCHAR } from './char-class.ts';
import { equalsLower } from './header-names.ts';

/** The largest Content-Length we accept has 15 digits: below 2^53, so a Number holds it exactly. */
const MAX_CL_DIGITS = 15;

/**
 * The value of a Content-Length field `buf[start, end)` (already trimmed of OWS), or -1 when it is
 * not 1*DIGIT of at most 15 digits. Signs, spaces inside, and comma lists are all invalid.
 */
export function parseContentLength(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 0 || len > MAX_CL_DIGITS) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The codings of every Transfer-Encoding field line of one message, in order. Reused per parser:
 * call `reset()` before each message.
 */
export class TransferCodings {
  /** A coding element was empty, had parameters or was not a token. */
  invalid = false;
  /** How many times `chunked` was listed (more than once is invalid, RFC 9112 §6.1). */
  chunkedCount = 0;
  /** A coding other than chunked was listed. */
  other = false;
  /** The last coding seen so far is chunked. */
  lastChunked = false;

  reset(): void {
    this.invalid = false;
    this.chunkedCount = 0;
    this.other = false;
    this.lastChunked = false;
  }

  /** The message is framed by a final chunked and nothing else is wrong with the list. */
  get validChunked(): boolean {
    return !this.invalid && this.chunkedCount === 1 && this.lastChunked;
  }

  /**
   * Adds the comma-separated codings of one value `buf[start, end)`. Empty list elements and coding
   * parameters are invalid: no client needs them, and each is a known way to make two parsers
   * disagree about framing.
   */
  add(buf: Uint8Array, start: number, end: number): void {
    let pos = start;
    for (;;) {
      while (pos < end && (buf[pos] === SP || buf[pos] === HTAB)) pos++;
      const s = pos;
      while (pos < end && TCHAR[buf[pos]!] === 1) pos++;
      const e = pos;
      while (pos < end && (buf[pos] === SP || buf[pos] === HTAB)) pos++;
      if (s === e || (pos < end && buf[pos] !== COMMA)) {
        this.invalid = true;
        return;
      }
      if (equalsLower(buf, s, e, 'chunked')) {
        this.chunkedCount++;
        this.lastChunked = true;
      } else {
        this.other = true;
        this.lastChunked = false;
      }
      if (pos >= end) return;
      pos++; // the comma
    }
  }
}

/** More Connection options than this (besides close, keep-alive, upgrade) is a malformed head. */
export const MAX_CONNECTION_OPTIONS = 16;

/** Connection options found in Connection field values. */
export class ConnectionOptions {
  close = false;
  keepAlive = false;
  upgrade = false;
  invalid = false;
  /** Other options, lower-cased: the names of more hop-by-hop headers. Null when there are none. */
  others: string[] | null = null;

  reset(): void {
    this.close = false;
    this.keepAlive = false;
    this.upgrade = false;
    this.invalid = false;
    this.others = null;
  }

  /** Adds the comma-separated options of one Connection value `buf[start, end)`. Empty elements are skipped (RFC 9110 §5.6.1). */
  add(buf: Uint8Array, start: number, end: number): void {
    let pos = start;
    while (pos < end) {
      while (pos < end && (buf[pos] === SP || buf[pos] === HTAB)) pos++;
      const s = pos;
      while (pos < end && TCHAR[buf[pos]!] === 1) pos++;
      const e = pos;
      while (pos < end && (buf[pos] === SP || buf[pos] === HTAB)) pos++;
      if (pos < end && buf[pos] !== COMMA) {
        this.invalid = true;
        return;
      }
      pos++; // the comma, or past the end
      if (s === e) continue;
      if (equalsLower(buf, s, e, 'close')) this.close = true;
      else if (equalsLower(buf, s, e, 'keep-alive')) this.keepAlive = true;
      else if (equalsLower(buf, s, e, 'upgrade')) this.upgrade = true;
      else {
        // Every option costs a comparison per field when the head is written: bound them.
        if (this.others !== null && this.others.length === MAX_CONNECTION_OPTIONS) {
          this.invalid = true;
          return;
        }
        const name = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1').toLowerCase();
        (this.others ??= []).push(name);
      }
    }
  }
}
