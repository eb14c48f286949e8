/**
 * STOPGAP until branch `http` ships its response head parser: the status line and the response
 * framing rules (RFC 9112 §6.3) on top of `http/head-parser.ts`, which does all the field parsing.
 * Replace the import in http-session.ts and delete this file when the real one lands.
 */
import { CR, LF } from '../http/char-class.ts';
import { ConnectionOptions, TransferCodings, parseContentLength } from '../http/field-values.ts';
import {
  BODY_CHUNKED, BODY_LENGTH, BODY_NONE, BODY_TUNNEL, BODY_UNTIL_CLOSE, HeadParser, START_LINE_INCOMPLETE,
} from '../http/head-parser.ts';
import { H_CONNECTION, H_CONTENT_LENGTH, H_TRANSFER_ENCODING } from '../http/header-names.ts';
import type { HttpErrorCode } from '../http/http-errors.ts';
import { DEFAULT_HTTP_LIMITS } from '../http/http-limits.ts';

export class ResponseHeadParser extends HeadParser {
  status = 0;
  /** The status line (without CRLF) is `buf[headStart, statusLineEnd)`. */
  statusLineEnd = 0;
  /** The request was HEAD: no body whatever the fields say. Set before each response. */
  requestWasHead = false;
  /** Whether the upstream sent a Content-Length (kept on HEAD and 304 answers). */
  hasContentLength = false;
  private readonly codings = new TransferCodings();
  private readonly options = new ConnectionOptions();

  constructor() {
    super(DEFAULT_HTTP_LIMITS);
  }

  protected tooLarge(): HttpErrorCode {
    return 'PXY_ERR_HTTP_RESP_HEAD_TOO_LARGE';
  }

  protected rebaseStartLine(delta: number): void {
    this.statusLineEnd += delta;
  }

  protected parseStartLine(buf: Uint8Array, pos: number, end: number): number {
    // "HTTP/1.x SSS" then an optional reason phrase, then CRLF.
    if (end - pos < 14) return START_LINE_INCOMPLETE;
    if (buf[pos] !== 0x48 || buf[pos + 1] !== 0x54 || buf[pos + 2] !== 0x54 || buf[pos + 3] !== 0x50 ||
      buf[pos + 4] !== 0x2f || buf[pos + 5] !== 0x31 || buf[pos + 6] !== 0x2e || buf[pos + 8] !== 0x20) {
      return this.fail('PXY_ERR_HTTP_RESP_BAD_STATUS_LINE', pos);
    }
    const minor = buf[pos + 7]! - 0x30;
    if (minor < 0 || minor > 1) return this.fail('PXY_ERR_HTTP_RESP_BAD_STATUS_LINE', pos);
    let status = 0;
    for (let i = 9; i < 12; i++) {
      const d = buf[pos + i]! - 0x30;
      if (d < 0 || d > 9) return this.fail('PXY_ERR_HTTP_RESP_BAD_STATUS_LINE', pos);
      status = status * 10 + d;
    }
    if (status < 100) return this.fail('PXY_ERR_HTTP_RESP_BAD_STATUS_LINE', pos);
    let p = pos + 12;
    while (p < end && buf[p] !== CR && buf[p] !== LF && (buf[p] === 0x09 || buf[p]! >= 0x20) && buf[p] !== 0x7f) p++;
    if (p + 1 >= end) {
      if (p - pos > this.limits.maxHeaderLineBytes) return this.fail('PXY_ERR_HTTP_RESP_HEAD_TOO_LARGE', pos);
      return START_LINE_INCOMPLETE;
    }
    if (buf[p] !== CR || buf[p + 1] !== LF) return this.fail('PXY_ERR_HTTP_RESP_BAD_STATUS_LINE', p);
    this.versionMinor = minor;
    this.status = status;
    this.statusLineEnd = p;
    return p + 2;
  }

  protected finish(buf: Uint8Array): boolean {
    const ids = this.headerIds;
    const o = this.headerOffsets;
    let lengths = 0;
    let lengthValue = -1;
    let encodings = 0;
    let connections = 0;
    const codings = this.codings;
    const options = this.options;
    for (let i = 0, n = this.headerCount; i < n; i++) {
      const id = ids[i]!;
      if (id === H_CONTENT_LENGTH) {
        const v = parseContentLength(buf, o[i * 4 + 2]!, o[i * 4 + 3]!);
        if (v < 0 || (lengths > 0 && v !== lengthValue)) return this.refuse('PXY_ERR_HTTP_RESP_BAD_FRAMING', o[i * 4]!);
        lengths++;
        lengthValue = v;
      } else if (id === H_TRANSFER_ENCODING) {
        if (encodings++ === 0) codings.reset();
        codings.add(buf, o[i * 4 + 2]!, o[i * 4 + 3]!);
      } else if (id === H_CONNECTION) {
        if (connections++ === 0) options.reset();
        options.add(buf, o[i * 4 + 2]!, o[i * 4 + 3]!);
      }
    }
    const v11 = this.versionMinor === 1;
    if (connections > 0) {
      if (options.invalid) return this.refuse('PXY_ERR_HTTP_RESP_BAD_HEAD', this.headStart);
      this.keepAlive = v11 ? !options.close : options.keepAlive && !options.close;
      this.connectionTokens = options.others;
    } else {
      this.keepAlive = v11;
      this.connectionTokens = null;
    }
    this.hasContentLength = lengths > 0;
    this.contentLength = lengths > 0 ? lengthValue : 0;
    const s = this.status;
    if (s === 101) {
      this.bodyKind = BODY_TUNNEL;
    } else if (this.requestWasHead || s < 200 || s === 204 || s === 304) {
      this.bodyKind = BODY_NONE;
    } else if (encodings > 0) {
      if (lengths > 0 || codings.invalid || codings.chunkedCount !== 1 || !codings.lastChunked || codings.other) {
        // Only a final chunked can be forwarded safely; anything else is read until close by
        // RFC 9112 §6.3 but we refuse it: a coding we cannot frame is a smuggling risk.
        return this.refuse('PXY_ERR_HTTP_RESP_BAD_FRAMING', this.headStart);
      }
      this.bodyKind = BODY_CHUNKED;
    } else if (lengths > 0) {
      this.bodyKind = BODY_LENGTH;
    } else {
      this.bodyKind = BODY_UNTIL_CLOSE;
      this.keepAlive = false;
    }
    return true;
  }
}
