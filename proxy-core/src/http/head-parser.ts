/**
 * What request and response head parsing share: the incremental driver (a head may arrive over
 * several reads, several heads may arrive in one read) and the header field loop. One parser object
 * lives per connection and is reused for every message; a parsed head is a set of offsets into the
 * caller's buffer, so nothing is allocated for the header fields the proxy does not interpret.
 *
 * Calling contract of `execute(buf, start, end)`:
 *   - returns n > 0: a complete head occupies `buf[start, start + n)`; the fields describe it and
 *     stay valid until the next call (and as long as the caller keeps those bytes unchanged);
 *   - returns NEED_MORE (0): no complete head yet. Call again with more bytes, the head's first byte
 *     at `start` again (the buffer may be another one, e.g. an accumulator holding a copy): the
 *     parser resumes at the last complete line instead of starting over;
 *   - returns REJECTED (-1): `error` holds the reason code; the connection must be closed after the
 *     error response. Call `reset()` before parsing on another connection.
 */
import { COLON, CR, FIELD_VALUE, HTAB, LF, SP, TCHAR } from './char-class.ts';
import { headerId } from './header-names.ts';
import type { HttpErrorCode } from './http-errors.ts';
import type { HttpLimits } from './http-limits.ts';

export const NEED_MORE = 0;
export const REJECTED = -1;
/** Returned by the start line parsers when the line is not complete yet. */
export const START_LINE_INCOMPLETE = -2;

/** No body follows the head. */
export const BODY_NONE = 0;
/** `contentLength` bytes follow the head. */
export const BODY_LENGTH = 1;
/** A chunked body follows the head. */
export const BODY_CHUNKED = 2;
/** Responses only: the body runs until the upstream closes the connection. */
export const BODY_UNTIL_CLOSE = 3;
/** Responses only (101): the connection becomes a two-way tunnel after the head. */
export const BODY_TUNNEL = 4;

export type BodyKind = typeof BODY_NONE | typeof BODY_LENGTH | typeof BODY_CHUNKED | typeof BODY_UNTIL_CLOSE | typeof BODY_TUNNEL;

const EMPTY = new Uint8Array(0);

export abstract class HeadParser {
  readonly limits: HttpLimits;
  /** The buffer of the last call. */
  buf: Uint8Array = EMPTY;
  /** The head is `buf[headStart, headEnd)`, final CRLF included. */
  headStart = 0;
  headEnd = 0;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  versionMinor = 1;
  headerCount = 0;
  /** Four entries per header field: name start, name end, value start, value end (value trimmed of OWS). */
  readonly headerOffsets: Int32Array;
  /** The `header-names.ts` id of each header field (H_OTHER for the ones the proxy does not interpret). */
  readonly headerIds: Uint8Array;
  bodyKind: BodyKind = BODY_NONE;
  /** Meaningful when bodyKind is BODY_LENGTH. */
  contentLength = 0;
  /** Whether the connection may carry another message after this one. */
  keepAlive = true;
  /** Lower-cased extra Connection options (names of more hop-by-hop headers), or null. */
  connectionTokens: string[] | null = null;
  /** Set when execute returned REJECTED. */
  error: HttpErrorCode | null = null;
  /** Offset (in `buf`) of the byte that made the head invalid, for the log. */
  errorOffset = -1;

  /** 0 while in the start line, 1 in the header fields. */
  protected stage = 0;
  private inProgress = false;
  private prevStart = 0;
  /** Offset from the head's start where parsing resumes: a line start. */
  private resumeAt = 0;
  /** Offset from the head's start up to which bytes were seen without completing the pending line. */
  private scannedTo = 0;

  constructor(limits: HttpLimits) {
    this.limits = limits;
    this.headerOffsets = new Int32Array(limits.maxHeaders * 4);
    this.headerIds = new Uint8Array(limits.maxHeaders);
  }

  /** Forget any partial head (a new connection, or after a rejection). */
  reset(): void {
    this.inProgress = false;
    this.error = null;
  }

  /** The latin1 text of a header's name (allocates: for logs, tests and rare paths). */
  headerName(i: number): string {
    const o = this.headerOffsets;
    return latin1(this.buf, o[i * 4]!, o[i * 4 + 1]!);
  }

  /** The latin1 text of a header's value (allocates: for logs, tests and rare paths). */
  headerValue(i: number): string {
    const o = this.headerOffsets;
    return latin1(this.buf, o[i * 4 + 2]!, o[i * 4 + 3]!);
  }

  /** Parses the start line from `pos`; returns the offset after its CRLF, REJECTED or START_LINE_INCOMPLETE. */
  protected abstract parseStartLine(buf: Uint8Array, pos: number, end: number): number;
  /** Derives framing and connection semantics once all fields are in; false when rejected. */
  protected abstract finish(buf: Uint8Array): boolean;
  /** Shifts the start line offsets kept from an earlier call. */
  protected abstract rebaseStartLine(delta: number): void;
  /** The code for a head or line over the limits while in `stage`. */
  protected abstract tooLarge(stage: number, lineTooLong: boolean): HttpErrorCode;

  execute(buf: Uint8Array, start: number, end: number): number {
    let pos: number;
    if (this.inProgress) {
      const delta = start - this.prevStart;
      if (delta !== 0) this.rebase(delta);
      this.prevStart = start;
      // Nothing to do until the pending line is complete: one native scan of the new bytes only.
      const from = start + this.scannedTo;
      if (from < end) {
        const lf = buf.indexOf(LF, from);
        if (lf < 0 || lf >= end) return this.needMore(buf, start, start + this.resumeAt, end);
      } else {
        return this.needMore(buf, start, start + this.resumeAt, end);
      }
      pos = start + this.resumeAt;
    } else {
      this.error = null;
      this.stage = 0;
      this.headerCount = 0;
      this.prevStart = start;
      pos = start;
    }
    this.buf = buf;
    this.headStart = start;

    if (this.stage === 0) {
      const r = this.parseStartLine(buf, pos, end);
      if (r === START_LINE_INCOMPLETE) return this.needMore(buf, start, start, end);
      if (r === REJECTED) return this.rejected();
      pos = r;
      this.stage = 1;
      this.resumeAt = pos - start;
    }

    const lim = this.limits;
    const offsets = this.headerOffsets;
    const ids = this.headerIds;
    for (;;) {
      const lineStart = pos;
      if (pos >= end) return this.needMore(buf, start, lineStart, end);
      let b = buf[pos]!;
      if (b === CR) {
        if (pos + 1 >= end) return this.needMore(buf, start, lineStart, end);
        if (buf[pos + 1] !== LF) return this.fail('PXY_ERR_HTTP_BARE_CR', pos);
        pos += 2;
        break;
      }
      if (b === SP || b === HTAB) return this.fail('PXY_ERR_HTTP_OBS_FOLD', pos);

      while (pos < end && TCHAR[buf[pos]!] === 1) pos++;
      if (pos >= end) return this.needMore(buf, start, lineStart, end);
      const nameEnd = pos;
      if (buf[pos] !== COLON || pos === lineStart) return this.badByte(buf, pos, end, 'PXY_ERR_HTTP_BAD_HEADER_NAME');
      pos++;
      while (pos < end && ((b = buf[pos]!) === SP || b === HTAB)) pos++;
      const valueStart = pos;
      while (pos < end && FIELD_VALUE[buf[pos]!] === 1) pos++;
      if (pos >= end) return this.needMore(buf, start, lineStart, end);
      if (buf[pos] !== CR) return this.badByte(buf, pos, end, 'PXY_ERR_HTTP_BAD_HEADER_VALUE');
      if (pos + 1 >= end) return this.needMore(buf, start, lineStart, end);
      if (buf[pos + 1] !== LF) return this.fail('PXY_ERR_HTTP_BARE_CR', pos);
      let valueEnd = pos;
      while (valueEnd > valueStart && ((b = buf[valueEnd - 1]!) === SP || b === HTAB)) valueEnd--;
      if (pos - lineStart > lim.maxHeaderLineBytes) return this.fail('PXY_ERR_HTTP_HEADER_TOO_LARGE', lineStart);
      pos += 2;
      if (pos - start > lim.maxHeadBytes) return this.fail(this.tooLarge(1, false), lineStart);
      const n = this.headerCount;
      if (n === lim.maxHeaders) return this.fail('PXY_ERR_HTTP_TOO_MANY_HEADERS', lineStart);
      const o = n * 4;
      offsets[o] = lineStart;
      offsets[o + 1] = nameEnd;
      offsets[o + 2] = valueStart;
      offsets[o + 3] = valueEnd;
      ids[n] = headerId(buf, lineStart, nameEnd);
      this.headerCount = n + 1;
      this.resumeAt = pos - start;
    }

    if (pos - start > lim.maxHeadBytes) return this.fail(this.tooLarge(1, false), start);
    this.inProgress = false;
    this.headEnd = pos;
    if (!this.finish(buf)) return this.rejected();
    return pos - start;
  }

  /** Records a rejection with its code and the offending offset; returns REJECTED. */
  protected fail(code: HttpErrorCode, at: number): number {
    this.error = code;
    this.errorOffset = at;
    return this.rejected();
  }

  /** Records a rejection; returns false (for the boolean checks). */
  protected refuse(code: HttpErrorCode, at: number): false {
    this.fail(code, at);
    return false;
  }

  /** Marks an error already recorded in `error`. */
  protected rejected(): number {
    this.inProgress = false;
    return REJECTED;
  }

  /**
   * Classifies the unexpected byte at `pos`: NUL, a bare LF and a bare CR have their own codes; a CR
   * that does end the line means the line itself is malformed (`fallback`).
   */
  protected badByte(buf: Uint8Array, pos: number, end: number, fallback: HttpErrorCode): number {
    const b = buf[pos]!;
    if (b === 0) return this.fail('PXY_ERR_HTTP_NUL', pos);
    if (b === LF) return this.fail('PXY_ERR_HTTP_BARE_LF', pos);
    if (b === CR && pos + 1 < end && buf[pos + 1] !== LF) return this.fail('PXY_ERR_HTTP_BARE_CR', pos);
    return this.fail(fallback, pos);
  }

  private needMore(buf: Uint8Array, start: number, lineStart: number, end: number): number {
    const lim = this.limits;
    const lineLen = end - lineStart;
    // A line may end in a CR whose LF has not arrived yet.
    if (this.stage === 0 && lineLen > lim.maxRequestLineBytes + 1) return this.fail(this.tooLarge(0, true), lineStart);
    if (this.stage === 1 && lineLen > lim.maxHeaderLineBytes + 1) return this.fail('PXY_ERR_HTTP_HEADER_TOO_LARGE', lineStart);
    if (end - start > lim.maxHeadBytes) return this.fail(this.tooLarge(this.stage, false), lineStart);
    this.buf = buf;
    this.inProgress = true;
    this.prevStart = start;
    if (this.stage === 0) this.resumeAt = 0;
    this.scannedTo = end - start;
    return NEED_MORE;
  }

  private rebase(delta: number): void {
    const o = this.headerOffsets;
    for (let i = 0, n = this.headerCount * 4; i < n; i++) o[i] = o[i]! + delta;
    this.rebaseStartLine(delta);
  }
}

export function latin1(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1', start, end);
}
