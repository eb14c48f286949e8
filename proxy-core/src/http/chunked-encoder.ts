/**
 * The chunked framing the proxy writes: normalized chunk headers (lower-case hex, no extensions)
 * and the last chunk without trailers.
 */

/** `0\r\n\r\n`: the last chunk, no trailer fields. */
export const LAST_CHUNK: Buffer = Buffer.from('0\r\n\r\n', 'latin1');
export const CRLF: Buffer = Buffer.from('\r\n', 'latin1');

/**
 * Writes `<hex size>\r\n` at `out[at]`; returns the position after it.
 * Precondition: 0 < size <= Number.MAX_SAFE_INTEGER and `out` has room for 16 bytes.
 */
export function writeChunkHeader(out: Uint8Array, at: number, size: number): number {
  let digits = 1;
  for (let v = size; v >= 16; v = Math.floor(v / 16)) digits++;
  let p = at + digits;
  for (let v = size; p > at; v = Math.floor(v / 16)) {
    const d = v % 16;
    out[--p] = d < 10 ? 0x30 + d : 0x57 + d;
  }
  p = at + digits;
  out[p] = 0x0d;
  out[p + 1] = 0x0a;
  return p + 2;
}

/** One chunk holding `data[start, end)`, as one Buffer (for a body of unknown length sent chunked). */
export function encodeChunk(data: Uint8Array, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start + 20);
  let p = writeChunkHeader(out, 0, end - start);
  out.set(data.subarray(start, end), p);
  p += end - start;
  out[p] = 0x0d;
  out[p + 1] = 0x0a;
  return out.subarray(0, p + 2);
}
