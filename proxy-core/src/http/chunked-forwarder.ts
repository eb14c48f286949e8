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
   * The output never exceeds the input by more than 32 bytes.
   */
  transform(buf: Uint8Array, start: number, end: number): Buffer | null {
    const dec = this.decoder;
    const reframe = this.mode === REFRAME;
    let out: Buffer = EMPTY;
    let o = 0;
    let pos = start;
    while (pos < end && !dec.done) {
      pos = dec.execute(buf, pos, end);
      if (pos < 0) return null;
      if (out === EMPTY) out = Buffer.allocUnsafe(end - start + 32);
      if (reframe && dec.chunkBegins) o = writeChunkHeader(out, o, dec.chunkSize);
      const n = dec.dataEnd - dec.dataStart;
      if (n > 0) {
        out.set(buf.subarray(dec.dataStart, dec.dataEnd), o);
        o += n;
        if (reframe && dec.chunkRemaining === 0) {
          out[o++] = 0x0d;
          out[o++] = 0x0a;
        }
      }
      if (reframe && dec.done) {
        out[o++] = 0x30;
        out[o++] = 0x0d;
        out[o++] = 0x0a;
        out[o++] = 0x0d;
        out[o++] = 0x0a;
      }
    }
    this.consumed = pos - start;
    return o === 0 ? EMPTY : out.subarray(0, o);
  }
}
