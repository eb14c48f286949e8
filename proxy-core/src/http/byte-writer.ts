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

/**
 * Heads are written into a shared slab and handed out as exact-length views, the way Node's own
 * Buffer pool works but without the second view `allocUnsafe(bound).subarray(0, n)` costs. A
 * region is never written again once handed out; a full slab is left to the views that hold it.
 */
const SLAB_BYTES = 64 * 1024;
let slab = new Uint8Array(0);
let slabUsed = 0;

/** The slab to write a head of at most `bound` bytes into, from `slabOffset()`. */
export function slabFor(bound: number): Uint8Array {
  if (slab.length - slabUsed < bound) {
    slab = new Uint8Array(Math.max(SLAB_BYTES, bound));
    slabUsed = 0;
  }
  return slab;
}

/** Where the next head starts in the slab returned by `slabFor`. */
export function slabOffset(): number {
  return slabUsed;
}

/** Hands out the slab bytes from `slabOffset()` to `end` as a Buffer (8-byte aligned next start). */
export function takeFromSlab(end: number): Buffer {
  const start = slabUsed;
  slabUsed = (end + 7) & ~7;
  return Buffer.from(slab.buffer, start, end - start);
}

/** Latin1 text as bytes, for the constant pieces the writers copy. */
export function bytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}
