/**
 * The upstream response head parser: status line (RFC 9112 §4), header fields, then the body
 * framing of RFC 9112 §6.3 as a proxy must apply it (the request's method matters: a response to
 * HEAD has no body whatever its fields say). Every rejection is a PXY_ERR_HTTP_RESP_* code: the
 * client gets 502 before any byte was sent, a closed connection after. See `head-parser.ts` for the
 * calling contract.
 */
import { CR, LF, REASON, SP } from './char-class.ts';
import { ConnectionOptions, TransferCodings, parseContentLength } from './field-values.ts';
import {
  BODY_CHUNKED, BODY_LENGTH, BODY_NONE, BODY_TUNNEL, BODY_UNTIL_CLOSE, HeadParser, START_LINE_INCOMPLETE,
} from './head-parser.ts';
import { H_CONNECTION, H_CONTENT_LENGTH, H_TRANSFER_ENCODING, H_UPGRADE } from './header-names.ts';
import type { HttpErrorCode } from './http-errors.ts';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits.ts';

// Where a suspended status line resumes.
const ST_FIXED = 0;
const ST_REASON = 1;

export class ResponseHeadParser extends HeadParser {
  /** 100 to 599. */
  status = 0;
  /** The reason phrase is `buf[reasonStart, reasonEnd)` (may be empty). */
  reasonStart = 0;
  reasonEnd = 0;
  /** A 1xx other than 101: forward it (HTTP/1.1 clients) and parse the next head from the upstream. */
  interim = false;
  /** Index of the Upgrade field, or -1 (kept on a 101 only). */
  upgradeIndex = -1;
  /** Index of the Content-Length field, or -1 (re-emitted on HEAD and 304 responses). */
  lengthIndex = -1;
  /**
   * Set by the caller before the first execute of each response: the request was HEAD, so the
   * response has no body (RFC 9112 §6.3 rule 1).
   */
  requestWasHead = false;
  /**
   * The precise reason of the last rejection, for the log: `error` is always a
   * PXY_ERR_HTTP_RESP_* code (502 to the client), `detail` may be the header-level code behind it
   * (a bare LF, obs-fold, a field over the limit, …).
   */
  detail: HttpErrorCode | null = null;

  private readonly codings = new TransferCodings();
  private readonly options = new ConnectionOptions();
  private stPhase = ST_FIXED;
  private stPos = 0;

  constructor(limits: HttpLimits = DEFAULT_HTTP_LIMITS) {
    super(limits);
  }

  protected override fail(code: HttpErrorCode, at: number): number {
    this.detail = code;
    return super.fail(code.startsWith('PXY_ERR_HTTP_RESP_') ? code : 'PXY_ERR_HTTP_RESP_BAD_HEAD', at);
  }

  protected tooLarge(): HttpErrorCode {
    return 'PXY_ERR_HTTP_RESP_HEAD_TOO_LARGE';
  }

  protected rebaseStartLine(delta: number): void {
    this.reasonStart += delta;
    this.reasonEnd += delta;
  }

  protected parseStartLine(buf: Uint8Array, pos: number, end: number, resume: boolean): number {
    if (resume) {
      pos = this.headStart + this.stPos;
    } else {
      this.stPhase = ST_FIXED;
    }
    if (this.stPhase === ST_FIXED) {
      // `HTTP/1.x SP 3DIGIT` then SP or CRLF: 12 bytes checked together.
      if (end - pos < 13) return this.stSuspend(ST_FIXED, pos);
      if (buf[pos] !== 0x48 || buf[pos + 1] !== 0x54 || buf[pos + 2] !== 0x54 || buf[pos + 3] !== 0x50 ||
        buf[pos + 4] !== 0x2f || buf[pos + 5] !== 0x31 || buf[pos + 6] !== 0x2e || buf[pos + 8] !== SP) {
        return this.fail('PXY_ERR_HTTP_RESP_BAD_STATUS_LINE', pos);
      }
      const minor = buf[pos + 7]! - 0x30;
      const d1 = buf[pos + 9]! - 0x30;
      const d2 = buf[pos + 10]! - 0x30;
      const d3 = buf[pos + 11]! - 0x30;
      if ((minor !== 0 && minor !== 1) || d1 < 1 || d1 > 5 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) {
        return this.fail('PXY_ERR_HTTP_RESP_BAD_STATUS_LINE', pos);
      }
      this.versionMinor = minor;
      this.status = d1 * 100 + d2 * 10 + d3;
      pos += 12;
      // Servers that omit the SP before an empty reason are common enough to accept (llhttp does).
      if (buf[pos] === SP) pos++;
      else if (buf[pos] !== CR) return this.fail('PXY_ERR_HTTP_RESP_BAD_STATUS_LINE', pos);
      this.reasonStart = pos;
      this.stPhase = ST_REASON;
    }
    while (pos < end && REASON[buf[pos]!] === 1) pos++;
    if (pos + 1 >= end) return this.stSuspend(ST_REASON, pos);
    if (buf[pos] !== CR || buf[pos + 1] !== LF) return this.fail('PXY_ERR_HTTP_RESP_BAD_STATUS_LINE', pos);
    this.reasonEnd = pos;
    return pos + 2;
  }

  private stSuspend(phase: number, pos: number): number {
    this.stPhase = phase;
    this.stPos = pos - this.headStart;
    return START_LINE_INCOMPLETE;
  }

  protected finish(buf: Uint8Array): boolean {
    const ids = this.headerIds;
    const o = this.headerOffsets;
    const codings = this.codings;
    const options = this.options;
    let lengths = 0;
    let encodings = 0;
    let connections = 0;
    this.lengthIndex = -1;
    this.upgradeIndex = -1;
    for (let i = 0, n = this.headerCount; i < n; i++) {
      const id = ids[i]!;
      if (id === 0) continue;
      switch (id) {
        case H_CONTENT_LENGTH: lengths++; this.lengthIndex = i; break;
        case H_TRANSFER_ENCODING:
          if (encodings++ === 0) codings.reset();
          codings.add(buf, o[i * 4 + 2]!, o[i * 4 + 3]!);
          break;
        case H_CONNECTION:
          if (connections++ === 0) options.reset();
          options.add(buf, o[i * 4 + 2]!, o[i * 4 + 3]!);
          break;
        case H_UPGRADE: this.upgradeIndex = i; break;
      }
    }
    const status = this.status;
    const v11 = this.versionMinor === 1;

    // Conflicting or malformed framing is refused even where the response has no body: a field the
    // proxy cannot trust is not forwarded to the client either.
    if (encodings > 0 && lengths > 0) return this.refuse('PXY_ERR_HTTP_RESP_BAD_FRAMING', o[this.lengthIndex * 4]!);
    if (encodings > 0 && (!v11 || !codings.validChunked || codings.other)) return this.refuse('PXY_ERR_HTTP_RESP_BAD_FRAMING', this.headStart);
    this.contentLength = 0;
    if (lengths > 0) {
      const n = lengths === 1 ? parseContentLength(buf, o[this.lengthIndex * 4 + 2]!, o[this.lengthIndex * 4 + 3]!) : -1;
      if (n < 0) return this.refuse('PXY_ERR_HTTP_RESP_BAD_FRAMING', o[this.lengthIndex * 4]!);
      this.contentLength = n;
    }
    if (connections > 0 && options.invalid) return this.refuse('PXY_ERR_HTTP_RESP_BAD_HEAD', this.headStart);
    this.connectionTokens = connections > 0 ? options.others : null;
    this.keepAlive = connections > 0 ? (v11 ? !options.close : options.keepAlive && !options.close) : v11;

    this.interim = status < 200 && status !== 101;
    if (status === 101) {
      // RFC 9110 §7.8: a 101 names the protocol in Upgrade, a hop-by-hop field, so Connection lists it.
      if (!v11 || this.upgradeIndex < 0 || connections === 0 || !options.upgrade) return this.refuse('PXY_ERR_HTTP_RESP_BAD_HEAD', this.headStart);
      this.bodyKind = BODY_TUNNEL;
      this.keepAlive = false;
    } else if (status < 200 || status === 204 || status === 304 || this.requestWasHead) {
      this.bodyKind = BODY_NONE;
      if (status < 200) this.keepAlive = true;
    } else if (encodings > 0) {
      this.bodyKind = BODY_CHUNKED;
    } else if (lengths > 0) {
      this.bodyKind = BODY_LENGTH;
    } else {
      this.bodyKind = BODY_UNTIL_CLOSE;
      this.keepAlive = false;
    }
    if (status !== 101) this.upgradeIndex = -1;
    return true;
  }
}
