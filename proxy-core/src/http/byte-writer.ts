/**
 * Small byte-copy helpers for the head writers. Heads are a few hundred bytes made of short runs,
 * where a plain loop beats the native call behind `Buffer#copy`/`TypedArray#set`; long runs go
 * native.
 */

const NATIVE_COPY_FROM = 48;

/** Copies `src[s, e)` to `out[o]`; returns the position after it. Precondition: `out` has room. */
export function copyBytes(src: Uint8Array, s: number, e: number, out: Uint8Array, o: number): number {
  const n = e - s;
  if (n >= NATIVE_COPY_FROM) {
    out.set(src.subarray(s, e), o);
    return o + n;
  }
  for (let i = 0; i < n; i++) out[o + i] = src[s + i]!;
  return o + n;
}

/** Writes a latin1 string at `out[o]`; returns the position after it. Precondition: `out` has room. */
export function writeLatin1(str: string, out: Uint8Array, o: number): number {
  const n = str.length;
  for (let i = 0; i < n; i++) out[o + i] = str.charCodeAt(i);
  return o + n;
}

/** Writes a non-negative safe integer in decimal; returns the position after it. */
export function writeDecimal(value: number, out: Uint8Array, o: number): number {
  if (value < 10) {
    out[o] = 0x30 + value;
    return o + 1;
  }
  let digits = 0;
  for (let v = value; v >= 1; v = Math.floor(v / 10)) digits++;
  let p = o + digits;
  for (let v = value; p > o; v = Math.floor(v / 10)) out[--p] = 0x30 + (v % 10);
  return o + digits;
}

/** `\r\n` at `out[o]`. */
export function writeCrlf(out: Uint8Array, o: number): number {
  out[o] = 0x0d;
  out[o + 1] = 0x0a;
  return o + 2;
}
