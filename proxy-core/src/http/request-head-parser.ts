/**
 * The request head parser: request line (RFC 9112 §3), header fields, then the checks that keep
 * request smuggling out (framing: RFC 9112 §6; Host: §3.2). See `head-parser.ts` for the calling
 * contract and docs/http.md for the rejection list.
 */
import { CR, HOST, LF, SP, TARGET, TCHAR } from './char-class.ts';
import { ConnectionOptions, TransferCodings, parseContentLength } from './field-values.ts';
import {
  BODY_CHUNKED, BODY_LENGTH, BODY_NONE, HeadParser, REJECTED, START_LINE_INCOMPLETE, latin1,
} from './head-parser.ts';
import {
  H_CONNECTION, H_CONTENT_LENGTH, H_EXPECT, H_HOST, H_TRANSFER_ENCODING, H_UPGRADE, equalsLower,
} from './header-names.ts';
import type { HttpErrorCode } from './http-errors.ts';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits.ts';
import { methodAt } from './methods.ts';

/** `/path?query` */
export const TARGET_ORIGIN = 0;
/** `http://authority/path?query`: the authority replaces Host (RFC 9112 §3.2.2). */
export const TARGET_ABSOLUTE = 1;
/** `*` (OPTIONS only). */
export const TARGET_ASTERISK = 2;

// Where the request line parser is.
const SL_LEADING = 0;
const SL_METHOD = 1;
const SL_TARGET = 2;
const SL_VERSION = 3;

export type TargetForm = typeof TARGET_ORIGIN | typeof TARGET_ABSOLUTE | typeof TARGET_ASTERISK;

export class RequestHeadParser extends HeadParser {
  /** An interned constant string (`'GET'`, `'POST'`, …): compare with `===`. */
  method = '';
  /** The request-target as received is `buf[targetStart, targetEnd)`. */
  targetStart = 0;
  targetEnd = 0;
  targetForm: TargetForm = TARGET_ORIGIN;
  /**
   * Where the path starts inside the target: `targetStart` for origin-form, after the authority for
   * absolute-form (equal to `targetEnd` or pointing at `?` when the path is empty: send `/` then).
   */
  pathStart = 0;
  /** Where the authority of an absolute-form target lies (both 0 otherwise). */
  authorityStart = 0;
  authorityEnd = 0;
  /** Index of the Host field, or -1. */
  hostIndex = -1;
  /** HTTP/1.1 with `Connection: upgrade` and an Upgrade field: the client asks for a tunnel. */
  upgrade = false;
  /** Index of the (non-empty) Upgrade field, or -1. */
  upgradeIndex = -1;
  /** HTTP/1.1 with `Expect: 100-continue`. */
  expectContinue = false;

  private readonly codings = new TransferCodings();
  private readonly options = new ConnectionOptions();
  private cachedTarget: string | null = null;
  // Where a suspended request line resumes, relative to the head's start.
  private slPhase = SL_LEADING;
  private slPos = 0;
  private slLineStart = 0;
  private slTargetStart = 0;
  private cachedHost: string | null = null;

  constructor(limits: HttpLimits = DEFAULT_HTTP_LIMITS) {
    super(limits);
  }

  /** The request-target as received (allocates once per head). */
  get target(): string {
    return (this.cachedTarget ??= latin1(this.buf, this.targetStart, this.targetEnd));
  }

  /**
   * The host the request is for, as received (case kept; may carry a port): the authority of an
   * absolute-form target, else the Host field, else ''. Allocates once per head.
   */
  get host(): string {
    if (this.cachedHost !== null) return this.cachedHost;
    let h = '';
    if (this.targetForm === TARGET_ABSOLUTE) h = latin1(this.buf, this.authorityStart, this.authorityEnd);
    else if (this.hostIndex >= 0) h = this.headerValue(this.hostIndex);
    return (this.cachedHost = h);
  }

  protected tooLarge(stage: number): HttpErrorCode {
    return stage === 0 ? 'PXY_ERR_HTTP_URI_TOO_LONG' : 'PXY_ERR_HTTP_HEAD_TOO_LARGE';
  }

  protected rebaseStartLine(delta: number): void {
    this.targetStart += delta;
    this.targetEnd += delta;
    this.pathStart += delta;
    if (this.targetForm === TARGET_ABSOLUTE) {
      this.authorityStart += delta;
      this.authorityEnd += delta;
    }
  }

  protected parseStartLine(buf: Uint8Array, pos: number, end: number, resume: boolean): number {
    const start = this.headStart;
    let phase = SL_LEADING;
    let lineStart = pos;
    let targetStart = pos;
    if (resume) {
      phase = this.slPhase;
      pos = start + this.slPos;
      lineStart = start + this.slLineStart;
      targetStart = start + this.slTargetStart;
    } else {
      this.cachedTarget = null;
      this.cachedHost = null;
    }
    const maxLine = this.limits.maxRequestLineBytes;

    if (phase === SL_LEADING) {
      // RFC 9112 §2.2: ignore empty lines before the request line (clients send one after a body).
      while (pos < end && buf[pos] === CR) {
        if (pos + 1 >= end) return this.slSuspend(SL_LEADING, pos, pos, pos);
        if (buf[pos + 1] !== LF) return this.fail('PXY_ERR_HTTP_BARE_CR', pos);
        pos += 2;
      }
      if (pos >= end) return this.slSuspend(SL_LEADING, pos, pos, pos);
      lineStart = pos;
      phase = SL_METHOD;
    }

    if (phase === SL_METHOD) {
      while (pos < end && TCHAR[buf[pos]!] === 1) pos++;
      if (pos >= end) return this.slSuspend(SL_METHOD, pos, lineStart, pos);
      if (buf[pos] !== SP || pos === lineStart) {
        const b = buf[pos]!;
        const fallback = pos === lineStart || b === CR || b === LF ? 'PXY_ERR_HTTP_BAD_REQUEST_LINE' : 'PXY_ERR_HTTP_BAD_METHOD';
        const r = this.badByte(buf, pos, end, fallback);
        return r === START_LINE_INCOMPLETE ? this.slSuspend(SL_METHOD, pos, lineStart, pos) : r;
      }
      const method = methodAt(buf, lineStart, pos);
      if (method === undefined) return this.fail('PXY_ERR_HTTP_UNKNOWN_METHOD', lineStart);
      if (method === 'CONNECT') return this.fail('PXY_ERR_HTTP_CONNECT_REFUSED', lineStart);
      this.method = method;
      pos++;
      targetStart = pos;
      phase = SL_TARGET;
    }

    if (phase === SL_TARGET) {
      while (pos < end && TARGET[buf[pos]!] === 1) pos++;
      if (pos >= end) return this.slSuspend(SL_TARGET, pos, lineStart, targetStart);
      if (buf[pos] !== SP || pos === targetStart) {
        const b = buf[pos]!;
        const fallback = pos === targetStart || b === CR || b === LF ? 'PXY_ERR_HTTP_BAD_REQUEST_LINE' : 'PXY_ERR_HTTP_BAD_TARGET';
        const r = this.badByte(buf, pos, end, fallback);
        return r === START_LINE_INCOMPLETE ? this.slSuspend(SL_TARGET, pos, lineStart, targetStart) : r;
      }
      this.targetStart = targetStart;
      this.targetEnd = pos;
      if (pos - lineStart > maxLine) return this.fail('PXY_ERR_HTTP_URI_TOO_LONG', lineStart);
      if (!this.classifyTarget(buf, targetStart, pos, this.method)) return REJECTED;
      pos++;
    }

    // HTTP-version CRLF: exactly 10 bytes, checked together once all are in.
    if (end - pos < 10) return this.slSuspend(SL_VERSION, pos, lineStart, targetStart);
    if (buf[pos] !== 0x48 || buf[pos + 1] !== 0x54 || buf[pos + 2] !== 0x54 || buf[pos + 3] !== 0x50 ||
      buf[pos + 4] !== 0x2f || buf[pos + 6] !== 0x2e) {
      return this.fail('PXY_ERR_HTTP_BAD_VERSION', pos);
    }
    const major = buf[pos + 5]! - 0x30;
    const minor = buf[pos + 7]! - 0x30;
    if (major < 0 || major > 9 || minor < 0 || minor > 9) return this.fail('PXY_ERR_HTTP_BAD_VERSION', pos);
    if (buf[pos + 8] !== CR) return this.badByte(buf, pos + 8, end, 'PXY_ERR_HTTP_BAD_VERSION');
    if (buf[pos + 9] !== LF) return this.fail('PXY_ERR_HTTP_BARE_CR', pos + 8);
    if (major !== 1 || minor > 1) return this.fail('PXY_ERR_HTTP_VERSION_UNSUPPORTED', pos);
    if (pos + 8 - lineStart > maxLine) return this.fail('PXY_ERR_HTTP_URI_TOO_LONG', lineStart);
    this.versionMinor = minor;
    return pos + 10;
  }

  /** Saves where the request line stopped, relative to the head's start. */
  private slSuspend(phase: number, pos: number, lineStart: number, targetStart: number): number {
    const start = this.headStart;
    this.slPhase = phase;
    this.slPos = pos - start;
    this.slLineStart = lineStart - start;
    this.slTargetStart = targetStart - start;
    return START_LINE_INCOMPLETE;
  }

  /** Sorts the target into its form (RFC 9112 §3.2); false when it fits none. */
  private classifyTarget(buf: Uint8Array, s: number, e: number, method: string): boolean {
    this.authorityStart = 0;
    this.authorityEnd = 0;
    const first = buf[s]!;
    if (first === 0x2f) {
      this.targetForm = TARGET_ORIGIN;
      this.pathStart = s;
      return true;
    }
    if (first === 0x2a && e - s === 1) {
      if (method !== 'OPTIONS') return this.refuse('PXY_ERR_HTTP_BAD_TARGET', s);
      this.targetForm = TARGET_ASTERISK;
      this.pathStart = s;
      return true;
    }
    // absolute-form: only the http and https schemes mean anything to a reverse proxy.
    let p: number;
    if (equalsLower(buf, s, Math.min(e, s + 7), 'http://')) p = s + 7;
    else if (equalsLower(buf, s, Math.min(e, s + 8), 'https://')) p = s + 8;
    else return this.refuse('PXY_ERR_HTTP_BAD_TARGET', s);
    const a = p;
    while (p < e && HOST[buf[p]!] === 1) p++;
    if (p === a || (p < e && buf[p] !== 0x2f && buf[p] !== 0x3f)) return this.refuse('PXY_ERR_HTTP_BAD_TARGET', p);
    this.targetForm = TARGET_ABSOLUTE;
    this.authorityStart = a;
    this.authorityEnd = p;
    this.pathStart = p;
    return true;
  }

  protected finish(buf: Uint8Array): boolean {
    const ids = this.headerIds;
    const o = this.headerOffsets;
    const codings = this.codings;
    const options = this.options;
    let hosts = 0;
    let lengths = 0;
    let encodings = 0;
    let lengthIndex = -1;
    let connections = 0;
    let expectIndex = -1;
    this.hostIndex = -1;
    this.upgradeIndex = -1;
    for (let i = 0, n = this.headerCount; i < n; i++) {
      const id = ids[i]!;
      if (id === 0) continue;
      switch (id) {
        case H_HOST: hosts++; this.hostIndex = i; break;
        case H_CONTENT_LENGTH: lengths++; lengthIndex = i; break;
        case H_TRANSFER_ENCODING:
          if (encodings++ === 0) codings.reset();
          codings.add(buf, o[i * 4 + 2]!, o[i * 4 + 3]!);
          break;
        case H_CONNECTION:
          if (connections++ === 0) options.reset();
          options.add(buf, o[i * 4 + 2]!, o[i * 4 + 3]!);
          break;
        case H_UPGRADE: if (o[i * 4 + 3]! > o[i * 4 + 2]!) this.upgradeIndex = i; break;
        case H_EXPECT: expectIndex = expectIndex === -1 ? i : -2; break;
      }
    }
    const v11 = this.versionMinor === 1;

    if (hosts > 1) return this.failField('PXY_ERR_HTTP_HOST_DUPLICATE', this.hostIndex);
    if (hosts === 0 && v11) return this.refuse('PXY_ERR_HTTP_HOST_MISSING', this.headStart);
    if (hosts === 1) {
      for (let p = o[this.hostIndex * 4 + 2]!, e = o[this.hostIndex * 4 + 3]!; p < e; p++) {
        if (HOST[buf[p]!] !== 1) return this.refuse('PXY_ERR_HTTP_BAD_HOST', p);
      }
    }

    this.contentLength = 0;
    this.bodyKind = BODY_NONE;
    if (encodings > 0) {
      if (lengths > 0) return this.failField('PXY_ERR_HTTP_CL_AND_TE', lengthIndex);
      if (!v11) return this.refuse('PXY_ERR_HTTP_TE_ON_HTTP10', this.headStart);
      if (codings.invalid || codings.chunkedCount !== 1 || !codings.lastChunked) return this.refuse('PXY_ERR_HTTP_TE_NOT_CHUNKED', this.headStart);
      if (codings.other) return this.refuse('PXY_ERR_HTTP_TE_UNSUPPORTED', this.headStart);
      this.bodyKind = BODY_CHUNKED;
    } else if (lengths > 0) {
      if (lengths > 1) return this.failField('PXY_ERR_HTTP_DUPLICATE_CONTENT_LENGTH', lengthIndex);
      const n = parseContentLength(buf, o[lengthIndex * 4 + 2]!, o[lengthIndex * 4 + 3]!);
      if (n < 0) return this.failField('PXY_ERR_HTTP_BAD_CONTENT_LENGTH', lengthIndex);
      this.bodyKind = BODY_LENGTH;
      this.contentLength = n;
    }

    if (connections > 0) {
      if (options.invalid) return this.refuse('PXY_ERR_HTTP_BAD_CONNECTION', this.headStart);
      this.keepAlive = v11 ? !options.close : options.keepAlive && !options.close;
      this.connectionTokens = options.others;
      this.upgrade = v11 && options.upgrade && this.upgradeIndex >= 0;
    } else {
      this.keepAlive = v11;
      this.connectionTokens = null;
      this.upgrade = false;
    }

    this.expectContinue = false;
    if (expectIndex !== -1 && v11) {
      // RFC 9110 §10.1.1: 100-continue is the only expectation; an HTTP/1.0 client's is ignored.
      if (expectIndex === -2 || !equalsLower(buf, o[expectIndex * 4 + 2]!, o[expectIndex * 4 + 3]!, '100-continue')) {
        return this.refuse('PXY_ERR_HTTP_EXPECTATION_FAILED', this.headStart);
      }
      this.expectContinue = true;
    }
    return true;
  }

  private failField(code: HttpErrorCode, index: number): false {
    return this.refuse(code, this.headerOffsets[index * 4]!);
  }
}
