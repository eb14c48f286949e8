/**
 * The shared memory between the writer thread and the traffic workers: a byte ring of record
 * frames (one writer, every worker reads every frame) and a few cells per worker.
 *
 * Why a ring and not postMessage: a message wakes every worker thread for every runtime command
 * (a system call to post, a context switch to receive, on a machine with fewer cores than
 * threads), while a worker only needs the records before it next routes a request. Writing a
 * frame is a copy and two atomic stores; workers read frames when they route (`PlaneGate.sync`)
 * or when the writer wakes them in the background (a timer, a filling ring, an ack batch).
 *
 * Frames are JSON texts: `{"r":[records]}`, or `{"port":[workers]}` saying that each listed
 * worker has its next batch waiting on its inbox port (a batch too big for the ring, a snapshot,
 * or a batch that must be acknowledged); or, for batches of only `server.update` and `server.del`
 * records (nearly every runtime command), the compact binary form of record-codec.ts. Each frame
 * is a 32-bit length (its top bit set for a binary frame) and the bytes, padded to 4 bytes; a
 * length of 0xFFFFFFFF means "continue at the start of the ring".
 *
 * Layout (all offsets in bytes):
 * - 0: `frames` (Int32, frames written, wraps);
 * - 64 + 64·w, per worker: `picking` (Int32) · +4 `started` (Int32) · +8 `startFrames` (Int32) ·
 *   +16 `readPos` (BigInt64) · +24 `applied` (BigInt64, highest seq applied);
 * - then the data area of `capacity` bytes.
 *
 * Ordering: the writer copies a frame, then bumps `frames`; a reader that
 * sees `frames` move reads complete frames (sequentially consistent atomics order the plain
 * copies before them). `picking` and `frames` form the handshake described in docs/design.md
 * "Delivery": the writer publishes, then reads `picking`; a worker sets `picking`, then reads
 * `frames`.
 */
import type { ChangeRecord } from './protocol.ts';
import { compactBound, decodeCompact, encodeCompact } from './record-codec.ts';

export type RingFrame = { readonly r: readonly ChangeRecord[] } | { readonly port: readonly number[] };

const HEADER = 64;
const PER_WORKER = 64;
const FRAMES = 0;
const WRAP = 0xffffffff;
/** Length-word flag of a binary (record-codec.ts) frame. */
const BINARY = 0x80000000;

function cellBase(w: number): number {
  return HEADER + w * PER_WORKER;
}

/** Views and cell accessors both sides share. */
class RingMemory {
  readonly buffer: SharedArrayBuffer;
  readonly workers: number;
  readonly capacity: number;
  protected readonly i32: Int32Array;
  protected readonly u32: Uint32Array;
  protected readonly i64: BigInt64Array;
  protected readonly bytes: Buffer;
  protected readonly view: DataView;
  protected readonly dataStart: number;

  constructor(buffer: SharedArrayBuffer, workers: number) {
    this.buffer = buffer;
    this.workers = workers;
    this.dataStart = HEADER + workers * PER_WORKER;
    this.capacity = buffer.byteLength - this.dataStart;
    this.i32 = new Int32Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.i64 = new BigInt64Array(buffer);
    this.bytes = Buffer.from(buffer);
    this.view = new DataView(buffer);
  }

  protected cell32(w: number, k: number): number {
    return cellBase(w) / 4 + k;
  }

  protected cell64(w: number, k: number): number {
    return cellBase(w) / 8 + k;
  }

  isPicking(w: number): boolean {
    return Atomics.load(this.i32, this.cell32(w, 0)) !== 0;
  }

  applied(w: number): number {
    return Number(Atomics.load(this.i64, this.cell64(w, 3)));
  }

  readPos(w: number): number {
    return Number(Atomics.load(this.i64, this.cell64(w, 2)));
  }

  frameCount(): number {
    return Atomics.load(this.i32, FRAMES);
  }

  /** Wakes every worker waiting in `waitForFrames` (the writer's nudge, or a worker stopping). */
  wake(): void {
    Atomics.notify(this.i32, FRAMES);
  }
}

/** The writer thread's side. */
export class RingWriter extends RingMemory {
  #written = 0;
  /** The slowest active reader's position when last read from the cells (only ever behind). */
  #minRead = 0;
  readonly #active: boolean[];

  /** `capacity`: bytes of the data area (a multiple of 8). */
  constructor(workers: number, capacity: number) {
    super(new SharedArrayBuffer(HEADER + workers * PER_WORKER + capacity), workers);
    this.#active = Array.from({ length: workers }, () => false);
  }

  /** Slot `w` gets a new worker: it reads nothing until `start(w)`. */
  reset(w: number): void {
    this.#active[w] = false;
    Atomics.store(this.i32, this.cell32(w, 0), 0);
    Atomics.store(this.i32, this.cell32(w, 1), 0);
    Atomics.store(this.i64, this.cell64(w, 3), -1n);
  }

  /** Worker `w` reads every frame written from now on. */
  start(w: number): void {
    Atomics.store(this.i64, this.cell64(w, 2), BigInt(this.#written));
    // a reader starting now holds nothing before here; others may hold more, so keep the minimum
    if (!this.#active.some((a) => a)) this.#minRead = this.#written;
    Atomics.store(this.i32, this.cell32(w, 2), Atomics.load(this.i32, FRAMES));
    Atomics.store(this.i32, this.cell32(w, 1), 1);
    this.#active[w] = true;
  }

  /** Worker `w` is gone: its position no longer holds space. */
  stop(w: number): void {
    this.#active[w] = false;
  }

  /** Bytes not yet read by the slowest active worker (reads every reader's cell). */
  get used(): number {
    let min = this.#written;
    for (let w = 0; w < this.workers; w++) if (this.#active[w] === true) min = Math.min(min, this.readPos(w));
    this.#minRead = min;
    return this.#written - min;
  }

  /** `used` as of the last time the cells were read: never less than the truth. */
  get usedAtMost(): number {
    return this.#written - this.#minRead;
  }

  /**
   * Writes one frame: `ok`; `full` when the ring has no room now (readers are behind); `too-big`
   * when the text could never fit (it must travel by port). UTF-8 takes at most 3 bytes per UTF-16
   * unit, so room is checked against that bound and the text is encoded once, straight into the
   * ring; only a text near the limit is measured first.
   */
  put(text: string): 'ok' | 'full' | 'too-big' {
    let bound = text.length * 3;
    if (4 + bound > this.capacity / 4) {
      bound = Buffer.byteLength(text);
      if (4 + bound > this.capacity / 4) return 'too-big';
    }
    const pos = this.#reserve(bound);
    if (typeof pos === 'string') return pos;
    return this.#commit(pos, this.bytes.write(text, pos + 4, bound, 'utf8'), 0);
  }

  /** Writes a batch of records as one frame: binary when record-codec.ts has a form for all. */
  putRecords(records: readonly ChangeRecord[]): 'ok' | 'full' | 'too-big' {
    const bound = compactBound(records);
    if (bound < 0 || 4 + bound > this.capacity / 4) return this.put(JSON.stringify({ r: records } satisfies RingFrame));
    const pos = this.#reserve(bound);
    if (typeof pos === 'string') return pos;
    return this.#commit(pos, encodeCompact(records, this.bytes, this.view, pos + 4), BINARY);
  }

  /** Where a frame of at most `bound` bytes goes (wrapping first if needed), or `full`. */
  #reserve(bound: number): number | 'full' {
    const cap = this.capacity;
    const size = 4 + ((bound + 3) & ~3);
    const at = this.#written % cap;
    const skip = at + size > cap ? cap - at : 0;
    // the readers' cells are read only when the last known positions leave too little room
    if (this.usedAtMost + skip + size > cap && this.used + skip + size > cap) return 'full';
    if (skip > 0) {
      this.u32[(this.dataStart + at) / 4] = WRAP;
      this.#written += skip;
    }
    return this.dataStart + (this.#written % cap);
  }

  /** Publishes the frame of `n` bytes written at `pos`. */
  #commit(pos: number, n: number, flag: number): 'ok' {
    this.u32[pos / 4] = (n | flag) >>> 0;
    this.#written += 4 + ((n + 3) & ~3);
    Atomics.add(this.i32, FRAMES, 1);
    return 'ok';
  }
}

/** One worker's side. */
export class RingReader extends RingMemory {
  readonly index: number;
  #started = false;
  #taken = 0;
  #pos = 0;
  #dirty = false;

  constructor(buffer: SharedArrayBuffer, workers: number, index: number) {
    super(buffer, workers);
    this.index = index;
  }

  /** True once frames wait for this worker (cheap: one atomic load when there are none). */
  pending(): boolean {
    if (!this.#started && !this.#begin()) return false;
    return this.#taken !== Atomics.load(this.i32, FRAMES);
  }

  /** The next frame, or undefined when every written frame was read. */
  next(): RingFrame | undefined {
    if (!this.pending()) return undefined;
    const cap = this.capacity;
    let at = this.#pos % cap;
    let len = this.u32[(this.dataStart + at) / 4] as number;
    if (len === WRAP) {
      this.#pos += cap - at;
      at = 0;
      len = this.u32[this.dataStart / 4] as number;
    }
    const start = this.dataStart + at + 4;
    const binary = (len & BINARY) !== 0;
    const n = binary ? len & ~BINARY : len;
    this.#pos += 4 + ((n + 3) & ~3);
    this.#taken = (this.#taken + 1) | 0;
    this.#dirty = true;
    if (binary) return { r: decodeCompact(this.bytes, this.view, start) };
    return JSON.parse(this.bytes.toString('utf8', start, start + n)) as RingFrame;
  }

  /** Publishes how far this worker read (frees ring space for the writer). */
  commit(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    Atomics.store(this.i64, this.cell64(this.index, 2), BigInt(this.#pos));
  }

  setPicking(on: boolean): void {
    Atomics.store(this.i32, this.cell32(this.index, 0), on ? 1 : 0);
  }

  setApplied(seq: number): void {
    Atomics.store(this.i64, this.cell64(this.index, 3), BigInt(seq));
  }

  /** Resolves when the writer wakes the readers (or after `ms`). */
  async waitForFrames(ms: number): Promise<void> {
    const seen = Atomics.load(this.i32, FRAMES);
    if (this.pending()) return;
    const w = Atomics.waitAsync(this.i32, FRAMES, seen, ms);
    if (w.async) await w.value;
  }

  #begin(): boolean {
    if (Atomics.load(this.i32, this.cell32(this.index, 1)) === 0) return false;
    this.#taken = Atomics.load(this.i32, this.cell32(this.index, 2));
    this.#pos = Number(Atomics.load(this.i64, this.cell64(this.index, 2)));
    this.#started = true;
    return true;
  }
}
