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
 *     parser resumes at the byte where it stopped instead of starting over;
 *   - returns REJECTED (-1): `error` holds the reason code; the connection must be closed after the
 *     error response. Call `reset()` before parsing on another connection.
 */
import { COLON, CR, HTAB, LF, SP, TCHAR } from './char-class.ts';
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

const EMPTY = Buffer.alloc(0);

// Where the header loop is inside a line.
const PH_LINE = 0;
const PH_NAME = 1;
const PH_OWS = 2;
const PH_VALUE = 3;

export abstract class HeadParser {
  readonly limits: HttpLimits;
  /** The buffer of the last call. */
  buf: Buffer = EMPTY;
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
  // Where a suspended header loop resumes, relative to the head's start.
  private rPhase = PH_LINE;
  private rPos = 0;
  private rLineStart = 0;
  private rNameEnd = 0;
  private rValueStart = 0;

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

  /**
   * Parses the start line from `pos` (or, when `resume`, from where its last START_LINE_INCOMPLETE
   * left it, kept relative to `headStart`); returns the offset after its CRLF, REJECTED or
   * START_LINE_INCOMPLETE.
   */
  protected abstract parseStartLine(buf: Uint8Array, pos: number, end: number, resume: boolean): number;
  /** Derives framing and connection semantics once all fields are in; false when rejected. */
  protected abstract finish(buf: Uint8Array): boolean;
  /** Shifts the start line offsets kept from an earlier call. */
  protected abstract rebaseStartLine(delta: number): void;
  /** The code for a head or line over the limits while in `stage`. */
  protected abstract tooLarge(stage: number): HttpErrorCode;

  execute(buf: Buffer, start: number, end: number): number {
    let pos: number;
    let phase = PH_LINE;
    let lineStart = start;
    let nameEnd = start;
    let valueStart = start;
    const resume = this.inProgress;
    if (resume) {
      // Continue exactly where the last call stopped: every byte is scanned once, however the head
      // is split (a client sending one byte per packet costs no more than one sending it whole).
      const delta = start - this.prevStart;
      if (delta !== 0) this.rebase(delta);
      pos = start + this.rPos;
      phase = this.rPhase;
      lineStart = start + this.rLineStart;
      nameEnd = start + this.rNameEnd;
      valueStart = start + this.rValueStart;
    } else {
      this.error = null;
      this.stage = 0;
      this.headerCount = 0;
      pos = start;
    }
    this.buf = buf;
    this.headStart = start;
    this.prevStart = start;

    if (this.stage === 0) {
      const r = this.parseStartLine(buf, pos, end, resume);
      if (r === START_LINE_INCOMPLETE) return this.suspend(start, end, PH_LINE, start, start, start, start);
      if (r === REJECTED) return this.rejected();
      pos = r;
      this.stage = 1;
      phase = PH_LINE;
    }

    const lim = this.limits;
    const offsets = this.headerOffsets;
    const ids = this.headerIds;
    let b: number;
    for (;;) {
      if (phase === PH_LINE) {
        lineStart = pos;
        if (pos >= end) return this.suspend(start, end, PH_LINE, pos, lineStart, 0, 0);
        b = buf[pos]!;
        if (b === CR) {
          if (pos + 1 >= end) return this.suspend(start, end, PH_LINE, pos, lineStart, 0, 0);
          if (buf[pos + 1] !== LF) return this.fail('PXY_ERR_HTTP_BARE_CR', pos);
          pos += 2;
          break;
        }
        if (b === SP || b === HTAB) return this.fail('PXY_ERR_HTTP_OBS_FOLD', pos);
        phase = PH_NAME;
      }
      if (phase === PH_NAME) {
        while (pos < end && TCHAR[buf[pos]!] === 1) pos++;
        if (pos >= end) return this.suspend(start, end, PH_NAME, pos, lineStart, 0, 0);
        nameEnd = pos;
        if (buf[pos] !== COLON || pos === lineStart) {
          const r = this.badByte(buf, pos, end, 'PXY_ERR_HTTP_BAD_HEADER_NAME');
          return r === START_LINE_INCOMPLETE ? this.suspend(start, end, PH_NAME, pos, lineStart, 0, 0) : r;
        }
        pos++;
        phase = PH_OWS;
      }
      if (phase === PH_OWS) {
        while (pos < end && ((b = buf[pos]!) === SP || b === HTAB)) pos++;
        if (pos >= end) return this.suspend(start, end, PH_OWS, pos, lineStart, nameEnd, 0);
        valueStart = pos;
      }
      // PH_VALUE
      // field-value bytes: HTAB, SP..~, obs-text (FIELD_VALUE), tested without a table load.
      while (pos < end && ((b = buf[pos]!) >= 0x20 ? b !== 0x7f : b === HTAB)) pos++;
      if (pos >= end) return this.suspend(start, end, PH_VALUE, pos, lineStart, nameEnd, valueStart);
      if (buf[pos] !== CR) return this.badByte(buf, pos, end, 'PXY_ERR_HTTP_BAD_HEADER_VALUE');
      if (pos + 1 >= end) return this.suspend(start, end, PH_VALUE, pos, lineStart, nameEnd, valueStart);
      if (buf[pos + 1] !== LF) return this.fail('PXY_ERR_HTTP_BARE_CR', pos);
      let valueEnd = pos;
      while (valueEnd > valueStart && ((b = buf[valueEnd - 1]!) === SP || b === HTAB)) valueEnd--;
      if (pos - lineStart > lim.maxHeaderLineBytes) return this.fail('PXY_ERR_HTTP_HEADER_TOO_LARGE', lineStart);
      pos += 2;
      if (pos - start > lim.maxHeadBytes) return this.fail(this.tooLarge(1), lineStart);
      const n = this.headerCount;
      if (n === lim.maxHeaders) return this.fail('PXY_ERR_HTTP_TOO_MANY_HEADERS', lineStart);
      const o = n * 4;
      offsets[o] = lineStart;
      offsets[o + 1] = nameEnd;
      offsets[o + 2] = valueStart;
      offsets[o + 3] = valueEnd;
      ids[n] = headerId(buf, lineStart, nameEnd);
      this.headerCount = n + 1;
      phase = PH_LINE;
    }

    if (pos - start > lim.maxHeadBytes) return this.fail(this.tooLarge(1), start);
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
   * that does end the line means the line itself is malformed (`fallback`). Returns
   * START_LINE_INCOMPLETE for a CR that is the last byte so far.
   */
  protected badByte(buf: Uint8Array, pos: number, end: number, fallback: HttpErrorCode): number {
    const b = buf[pos]!;
    if (b === 0) return this.fail('PXY_ERR_HTTP_NUL', pos);
    if (b === LF) return this.fail('PXY_ERR_HTTP_BARE_LF', pos);
    if (b === CR) {
      // Which of the two it is depends on the next byte: wait for it, so any split reads the same.
      if (pos + 1 >= end) return START_LINE_INCOMPLETE;
      if (buf[pos + 1] !== LF) return this.fail('PXY_ERR_HTTP_BARE_CR', pos);
    }
    return this.fail(fallback, pos);
  }

  /** Saves where the header loop stopped (relative to the head's start), checks the limits, returns NEED_MORE. */
  private suspend(start: number, end: number, phase: number, pos: number, lineStart: number, nameEnd: number, valueStart: number): number {
    const lim = this.limits;
    const lineLen = end - lineStart;
    // A line may end in a CR whose LF has not arrived yet.
    if (this.stage === 0 && lineLen > lim.maxRequestLineBytes + 1) return this.fail(this.tooLarge(0), lineStart);
    if (this.stage === 1 && lineLen > lim.maxHeaderLineBytes + 1) return this.fail('PXY_ERR_HTTP_HEADER_TOO_LARGE', lineStart);
    if (end - start > lim.maxHeadBytes) return this.fail(this.tooLarge(this.stage), lineStart);
    this.inProgress = true;
    this.rPhase = phase;
    this.rPos = pos - start;
    this.rLineStart = lineStart - start;
    this.rNameEnd = nameEnd - start;
    this.rValueStart = valueStart - start;
    return NEED_MORE;
  }

  private rebase(delta: number): void {
    const o = this.headerOffsets;
    for (let i = 0, n = this.headerCount * 4; i < n; i++) o[i] = o[i]! + delta;
    this.rebaseStartLine(delta);
  }
}

/**
 * `buf[start, end)` as a latin1 string. `latin1Slice` is what `toString('latin1', …)` calls after
 * its argument checks; it is not in Node's typings, hence the cast.
 */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as Latin1Slicer).latin1Slice(start, end);
}

interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}
