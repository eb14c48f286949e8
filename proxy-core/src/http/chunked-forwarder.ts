/**
 * Forwards a chunked body slice by slice: the decoder validates the framing and the forwarder
 * writes it back normalized (sizes in lower-case hex, extensions and trailers dropped), or writes the
 * bare data for a peer that cannot take chunked (an HTTP/1.0 client). One output Buffer per input
 * slice, so the caller makes one write per read and keeps the sockets' backpressure.
 */
import { ChunkedDecoder } from './chunked-decoder.ts';
import { writeChunkHeader } from './chunked-encoder.ts';
import type { HttpErrorCode } from './http-errors.ts';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits.ts';

/** Re-emit chunked framing. */
export const REFRAME = 0;
/** Emit the data only (the receiver reads until close). */
export const UNCHUNK = 1;

export type ForwardMode = typeof REFRAME | typeof UNCHUNK;

const EMPTY = Buffer.alloc(0);

export class ChunkedForwarder {
  readonly decoder: ChunkedDecoder;
  mode: ForwardMode = REFRAME;
  /**
   * Bytes of the last slice that were after the body's end (the next pipelined message starts at
   * `slice start + consumed`).
   */
  consumed = 0;
  private readonly scratch = Buffer.alloc(20);

  constructor(limits: HttpLimits = DEFAULT_HTTP_LIMITS) {
    this.decoder = new ChunkedDecoder(limits);
  }

  get done(): boolean {
    return this.decoder.done;
  }

  get error(): HttpErrorCode | null {
    return this.decoder.error;
  }

  reset(mode: ForwardMode): void {
    this.mode = mode;
    this.decoder.reset();
    this.consumed = 0;
  }

  /**
   * Decodes `buf[start, end)` and returns the bytes to send (possibly empty), or null when the
   * framing is invalid (`error`). Stops at the end of the body: `consumed` tells how far it read.
   * When the input is already in the normalized form (the usual case: lower-case sizes, no
   * extensions, no trailers, whole chunk ends in the slice) the result is a view of the input, not
   * a copy: the caller must not reuse the input's memory before the write completes. Otherwise
   * the result is a new Buffer, never more than 32 bytes longer than the input slice.
   */
  transform(buf: Uint8Array, start: number, end: number): Buffer | null {
    const dec = this.decoder;
    const reframe = this.mode === REFRAME;
    const scratch = this.scratch;
    // Identity mode while the output so far equals buf[start, start + o).
    let out: Buffer | null = null;
    let o = 0;
    let pos = start;
    while (pos < end && !dec.done) {
      pos = dec.execute(buf, pos, end);
      if (pos < 0) return null;
      if (reframe && dec.chunkBegins) {
        const n = writeChunkHeader(scratch, 0, dec.chunkSize);
        if (out === null && !this.matches(buf, start + o, end, scratch, n)) out = this.copyMode(buf, start, end, o);
        if (out !== null) out.set(scratch.subarray(0, n), o);
        o += n;
      }
      const n = dec.dataEnd - dec.dataStart;
      if (n > 0) {
        if (out === null && dec.dataStart !== start + o) out = this.copyMode(buf, start, end, o);
        if (out !== null) out.set(buf.subarray(dec.dataStart, dec.dataEnd), o);
        o += n;
        if (reframe && dec.chunkRemaining === 0) {
          if (out === null && !this.matches(buf, start + o, end, CRLF_BYTES, 2)) out = this.copyMode(buf, start, end, o);
          if (out !== null) {
            out[o] = 0x0d;
            out[o + 1] = 0x0a;
          }
          o += 2;
        }
      }
      if (reframe && dec.done) {
        if (out === null && !this.matches(buf, start + o, end, LAST_CHUNK_BYTES, 5)) out = this.copyMode(buf, start, end, o);
        if (out !== null) out.set(LAST_CHUNK_BYTES, o);
        o += 5;
      }
    }
    this.consumed = pos - start;
    if (o === 0) return EMPTY;
    if (out === null) return Buffer.from(buf.buffer, buf.byteOffset + start, o);
    return out.subarray(0, o);
  }

  /** Whether `buf[at, at + n)` (within `end`) holds `bytes[0, n)`. */
  private matches(buf: Uint8Array, at: number, end: number, bytes: Uint8Array, n: number): boolean {
    if (at + n > end) return false;
    for (let i = 0; i < n; i++) if (buf[at + i] !== bytes[i]) return false;
    return true;
  }

  /** Leaves identity mode: a new output holding the identical prefix written so far. */
  private copyMode(buf: Uint8Array, start: number, end: number, o: number): Buffer {
    const out = Buffer.allocUnsafe(end - start + 32);
    out.set(buf.subarray(start, start + o), 0);
    return out;
  }
}

const CRLF_BYTES = Buffer.from('\r\n', 'latin1');
const LAST_CHUNK_BYTES = Buffer.from('0\r\n\r\n', 'latin1');
