/**
 * Per-server live counters shared with the workers: one slot of two Int32 per server in a
 * growable SharedArrayBuffer. Workers add/subtract with `Atomics`; the writer reads them for
 * `del server` ("Server still has connections attached to it") and for final destruction.
 * Slot layout: [0] connections in use (active + queued + attached streams), [1] idle pooled.
 */
const INTS_PER_SLOT = 2;
const BYTES_PER_SLOT = INTS_PER_SLOT * 4;
const INITIAL_SLOTS = 1024;
const MAX_SLOTS = 1 << 22;

export const SLOT_USED = 0;
export const SLOT_IDLE = 1;

export class ConnectionSlots {
  readonly buffer: SharedArrayBuffer;
  readonly #view: Int32Array;
  readonly #free: number[] = [];
  #next = 0;

  constructor() {
    this.buffer = new SharedArrayBuffer(INITIAL_SLOTS * BYTES_PER_SLOT, { maxByteLength: MAX_SLOTS * BYTES_PER_SLOT });
    // Length-tracking view: follows the buffer as it grows.
    this.#view = new Int32Array(this.buffer);
  }

  /** A zeroed slot. Returns -1 when the buffer cannot grow further. */
  alloc(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    const slot = this.#next;
    if ((slot + 1) * BYTES_PER_SLOT > this.buffer.byteLength) {
      if ((slot + 1) > MAX_SLOTS) return -1;
      this.buffer.grow(Math.min(MAX_SLOTS, this.buffer.byteLength / BYTES_PER_SLOT * 2) * BYTES_PER_SLOT);
    }
    this.#next++;
    return slot;
  }

  /** Precondition: both counters are 0 (the server was destroyed). */
  free(slot: number): void {
    if (slot < 0) return;
    Atomics.store(this.#view, slot * INTS_PER_SLOT + SLOT_USED, 0);
    Atomics.store(this.#view, slot * INTS_PER_SLOT + SLOT_IDLE, 0);
    this.#free.push(slot);
  }

  /** Connections attached to the server in this slot (used + idle). */
  attached(slot: number): number {
    if (slot < 0) return 0;
    return Atomics.load(this.#view, slot * INTS_PER_SLOT + SLOT_USED) + Atomics.load(this.#view, slot * INTS_PER_SLOT + SLOT_IDLE);
  }

  /** What a worker does when a connection attaches (+1) or goes (-1). */
  add(slot: number, which: typeof SLOT_USED | typeof SLOT_IDLE, delta: number): void {
    Atomics.add(this.#view, slot * INTS_PER_SLOT + which, delta);
  }

  get allocated(): number {
    return this.#next - this.#free.length;
  }
}
