/**
 * A streaming decoder of the chunked transfer coding (RFC 9112 §7.1). It sees the body as arbitrary
 * slices (any split, even inside a size line or a CRLF) and never buffers: each call consumes
 * framing bytes and hands back at most one run of data as offsets into the caller's slice. So a
 * proxy forwards a chunked body with the backpressure of its sockets and memory bounded by one read.
 *
 * Strictness (see docs/http.md): hex sizes only, bounded digits and value; extensions must follow
 * the grammar without whitespace and are bounded by the size-line limit; data must be followed by
 * CRLF; trailer fields are validated like header fields and bounded, then dropped by the forwarder.
 *
 * Use: `pos = dec.execute(buf, pos, end)` in a loop while `pos < end && !dec.done`; -1 means
 * rejected (`dec.error`); after each call, `buf[dec.dataStart, dec.dataEnd)` is body data (maybe empty).
 */
import { COLON, CR, FIELD_VALUE, HEX_VALUE, HTAB, LF, SP, TCHAR } from './char-class.ts';
import type { HttpErrorCode } from './http-errors.ts';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits.ts';

const S_SIZE_START = 0;
const S_SIZE = 1;
const S_EXT_NAME_START = 2;
const S_EXT_NAME = 3;
const S_EXT_VALUE_START = 4;
const S_EXT_TOKEN = 5;
const S_EXT_QUOTED = 6;
const S_EXT_QUOTED_PAIR = 7;
const S_EXT_AFTER_QUOTED = 8;
const S_SIZE_LF = 9;
const S_DATA = 10;
const S_DATA_CR = 11;
const S_DATA_LF = 12;
const S_TRAILER_START = 13;
const S_TRAILER_NAME = 14;
const S_TRAILER_VALUE = 15;
const S_TRAILER_LF = 16;
const S_END_LF = 17;
const S_DONE = 18;
const S_ERROR = 19;

// Size that may still take one more hex digit without passing Number.MAX_SAFE_INTEGER.
const MAX_BEFORE_DIGIT = Math.floor((Number.MAX_SAFE_INTEGER - 15) / 16);

const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding', 'latin1');

/** qdtext and quoted-pair bytes of a quoted chunk-ext-val (RFC 9110 §5.6.4). */
const QDTEXT = (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = b === HTAB || b === SP || b === 0x21 || (b >= 0x23 && b <= 0x5b) || (b >= 0x5d && b <= 0x7e) || b >= 0x80 ? 1 : 0;
  return t;
})();

export class ChunkedDecoder {
  readonly limits: HttpLimits;
  /** The last call's data run is `buf[dataStart, dataEnd)`; empty when both are equal. */
  dataStart = 0;
  dataEnd = 0;
  /** Size of the chunk the current data belongs to. */
  chunkSize = 0;
  /** The last-chunk and the trailer section have been consumed: the body is over. */
  done = false;
  /** Set when execute returned -1. */
  error: HttpErrorCode | null = null;

  private state = S_SIZE_START;
  private remaining = 0;
  private lineBytes = 0;
  private trailerBytes = 0;
  /** The trailer field name being read, lower-cased (tchar | 0x20 is exact for letters), up to 17 bytes. */
  private readonly nameBuf = new Uint8Array(17);
  private nameLen = 0;
  /** A size line just completed for a chunk with data: the forwarder emits its normalized header. */
  chunkBegins = false;

  constructor(limits: HttpLimits = DEFAULT_HTTP_LIMITS) {
    this.limits = limits;
  }

  /** Ready for the next body. */
  reset(): void {
    this.state = S_SIZE_START;
    this.done = false;
    this.error = null;
    this.remaining = 0;
    this.chunkSize = 0;
    this.trailerBytes = 0;
    this.lineBytes = 0;
    this.dataStart = this.dataEnd = 0;
    this.chunkBegins = false;
  }

  /** Data bytes left in the current chunk (0 between chunks). */
  get chunkRemaining(): number {
    return this.state === S_DATA ? this.remaining : 0;
  }

  /**
   * Consumes bytes from `buf[pos, end)` up to and including the next data run (or up to `end`, or
   * to the end of the body). Returns the position after the consumed bytes, or -1 when rejected.
   */
  execute(buf: Uint8Array, pos: number, end: number): number {
    this.dataStart = this.dataEnd = pos;
    this.chunkBegins = false;
    const maxLine = this.limits.maxChunkLineBytes;
    let state = this.state;
    while (pos < end) {
      if (state === S_DATA) {
        const n = Math.min(this.remaining, end - pos);
        this.dataStart = pos;
        this.dataEnd = pos + n;
        this.remaining -= n;
        pos += n;
        this.state = this.remaining === 0 ? S_DATA_CR : S_DATA;
        return pos;
      }
      const b = buf[pos]!;
      if (state < S_SIZE_LF && ++this.lineBytes > maxLine) return this.fail('PXY_ERR_HTTP_CHUNK_LINE_TOO_LONG');
      switch (state) {
        case S_SIZE_START: {
          const d = HEX_VALUE[b]!;
          if (d === 255) return this.fail('PXY_ERR_HTTP_BAD_CHUNK_SIZE');
          this.chunkSize = d;
          state = S_SIZE;
          break;
        }
        case S_SIZE: {
          const d = HEX_VALUE[b]!;
          if (d !== 255) {
            if (this.chunkSize > MAX_BEFORE_DIGIT) return this.fail('PXY_ERR_HTTP_CHUNK_TOO_LARGE');
            this.chunkSize = this.chunkSize * 16 + d;
          } else if (b === CR) state = S_SIZE_LF;
          else if (b === 0x3b) state = S_EXT_NAME_START;
          else return this.fail('PXY_ERR_HTTP_BAD_CHUNK_SIZE');
          break;
        }
        case S_EXT_NAME_START:
          if (TCHAR[b] !== 1) return this.fail('PXY_ERR_HTTP_BAD_CHUNK_EXTENSION');
          state = S_EXT_NAME;
          break;
        case S_EXT_NAME:
          if (TCHAR[b] === 1) break;
          if (b === 0x3d) state = S_EXT_VALUE_START;
          else if (b === 0x3b) state = S_EXT_NAME_START;
          else if (b === CR) state = S_SIZE_LF;
          else return this.fail('PXY_ERR_HTTP_BAD_CHUNK_EXTENSION');
          break;
        case S_EXT_VALUE_START:
          if (b === 0x22) state = S_EXT_QUOTED;
          else if (TCHAR[b] === 1) state = S_EXT_TOKEN;
          else return this.fail('PXY_ERR_HTTP_BAD_CHUNK_EXTENSION');
          break;
        case S_EXT_TOKEN:
          if (TCHAR[b] === 1) break;
          if (b === 0x3b) state = S_EXT_NAME_START;
          else if (b === CR) state = S_SIZE_LF;
          else return this.fail('PXY_ERR_HTTP_BAD_CHUNK_EXTENSION');
          break;
        case S_EXT_QUOTED:
          if (b === 0x22) state = S_EXT_AFTER_QUOTED;
          else if (b === 0x5c) state = S_EXT_QUOTED_PAIR;
          else if (QDTEXT[b] !== 1) return this.fail('PXY_ERR_HTTP_BAD_CHUNK_EXTENSION');
          break;
        case S_EXT_QUOTED_PAIR:
          if (b !== HTAB && (b < 0x20 || b === 0x7f)) return this.fail('PXY_ERR_HTTP_BAD_CHUNK_EXTENSION');
          state = S_EXT_QUOTED;
          break;
        case S_EXT_AFTER_QUOTED:
          if (b === 0x3b) state = S_EXT_NAME_START;
          else if (b === CR) state = S_SIZE_LF;
          else return this.fail('PXY_ERR_HTTP_BAD_CHUNK_EXTENSION');
          break;
        case S_SIZE_LF:
          if (b !== LF) return this.fail('PXY_ERR_HTTP_BAD_CHUNK_SIZE');
          this.lineBytes = 0;
          if (this.chunkSize === 0) {
            state = S_TRAILER_START;
          } else {
            state = S_DATA;
            this.remaining = this.chunkSize;
            this.chunkBegins = true;
            this.state = state;
            // Hand the size back before any data so the forwarder can emit the chunk header.
            return pos + 1;
          }
          break;
        case S_DATA_CR:
          if (b !== CR) return this.fail('PXY_ERR_HTTP_BAD_CHUNK_END');
          state = S_DATA_LF;
          break;
        case S_DATA_LF:
          if (b !== LF) return this.fail('PXY_ERR_HTTP_BAD_CHUNK_END');
          state = S_SIZE_START;
          this.lineBytes = 0;
          break;
        case S_TRAILER_START:
          if (b === CR) state = S_END_LF;
          else if (TCHAR[b] === 1) {
            state = S_TRAILER_NAME;
            this.nameLen = 1;
            this.nameBuf[0] = b | 0x20;
          } else return this.fail('PXY_ERR_HTTP_BAD_TRAILER');
          break;
        case S_TRAILER_NAME:
          if (TCHAR[b] === 1) {
            if (this.nameLen < this.nameBuf.length) this.nameBuf[this.nameLen] = b | 0x20;
            this.nameLen++;
            break;
          }
          if (b !== COLON || this.forbiddenTrailer()) return this.fail('PXY_ERR_HTTP_BAD_TRAILER');
          state = S_TRAILER_VALUE;
          break;
        case S_TRAILER_VALUE:
          if (FIELD_VALUE[b] === 1) break;
          if (b === CR) state = S_TRAILER_LF;
          else return this.fail('PXY_ERR_HTTP_BAD_TRAILER');
          break;
        case S_TRAILER_LF:
          if (b !== LF) return this.fail('PXY_ERR_HTTP_BAD_TRAILER');
          state = S_TRAILER_START;
          break;
        case S_END_LF:
          if (b !== LF) return this.fail('PXY_ERR_HTTP_BAD_TRAILER');
          this.state = S_DONE;
          this.done = true;
          return pos + 1;
        default:
          // S_DONE or S_ERROR: the caller must reset() first.
          return this.fail(this.error ?? 'PXY_ERR_HTTP_BAD_CHUNK_SIZE');
      }
      if (state >= S_TRAILER_START && ++this.trailerBytes > this.limits.maxTrailerBytes) return this.fail('PXY_ERR_HTTP_TRAILERS_TOO_LARGE');
      pos++;
    }
    this.state = state;
    return pos;
  }

  /**
   * Framing fields must not arrive as trailers (RFC 9110 §6.5.1): a peer that merged them into the
   * head would reframe the message after the fact.
   */
  private forbiddenTrailer(): boolean {
    const n = this.nameLen;
    if (n !== 14 && n !== 17) return false;
    const name = n === 14 ? CONTENT_LENGTH : TRANSFER_ENCODING;
    for (let i = 0; i < n; i++) if (this.nameBuf[i] !== name[i]) return false;
    return true;
  }

  private fail(code: HttpErrorCode): number {
    this.state = S_ERROR;
    this.error = code;
    return -1;
  }
}
