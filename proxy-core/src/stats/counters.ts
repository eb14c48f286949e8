/**
 * Per-object traffic counters shared between the traffic workers and the writer thread.
 *
 * Every object that carries counters (frontend, backend, server) owns one *slot*. A slot holds one
 * block of fields per worker, and each worker writes only its own block with plain stores: there
 * is one writer per cell, so no atomics and no contention on the request path. The writer thread
 * (metrics scrapes, `del server`'s "still has connections" check, `show stat`) sums the blocks.
 * A plain 64-bit store is never torn on the platforms Node supports; a sum may be a few
 * microseconds stale, which every reader here tolerates.
 *
 * The buffer is a growable SharedArrayBuffer: slots are appended without copying, and a worker's
 * length-tracking view sees the growth.
 */

/** Field offsets inside one worker's block of a slot. */
export const F = {
  /** Responses by status class; index = class (1..5), 0 = other. */
  RESP_OTHER: 0,
  RESP_1XX: 1,
  RESP_2XX: 2,
  RESP_3XX: 3,
  RESP_4XX: 4,
  RESP_5XX: 5,
  BYTES_IN: 6,
  BYTES_OUT: 7,
  /** Connections (frontends: client side; servers: upstream side) open now, pooled ones included. */
  CONN_CUR: 8,
  /** Requests in flight now (a server with requests in flight cannot be deleted). */
  REQ_CUR: 9,
  CONN_TOTAL: 10,
  REQ_TOTAL: 11,
  CONNECT_ERRORS: 12,
  RESPONSE_ERRORS: 13,
  RETRIES: 14,
  REDISPATCHES: 15,
  /** Requests refused before routing (bad request, no route, …). */
  DENIED_REQ: 16,
  /** Idle keep-alive connections sitting in the pool (servers only). */
  CONN_IDLE: 17,
  /** Non-cumulative histogram buckets (13 bounds + Inf), then the sum: 15 cells each. */
  CONNECT_HIST: 18,
  RESPONSE_HIST: 18 + 15,
} as const;

/** Upper bounds in seconds of the latency buckets; the last bucket is +Inf. */
export const LATENCY_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Buckets + the +Inf bucket; the field after them holds the sum. */
const HIST_CELLS = LATENCY_BUCKETS.length + 1;
/** Fields per block, padded to whole cache lines so two workers never share one. */
export const FIELDS = 48;
const BYTES_PER_SLOT_WORKER = FIELDS * 8;

export interface CountersInit {
  readonly buffer: SharedArrayBuffer;
  readonly workers: number;
}

/** The writer-thread side: allocates slots and reads sums. */
export class SharedCounters {
  readonly buffer: SharedArrayBuffer;
  readonly workers: number;
  /**
   * A fixed-length view, re-made when the buffer grows: a length-tracking view re-reads the
   * buffer's length at every access (`sum` runs for every `del server` and `disable server`).
   */
  private view: Float64Array;
  private readonly free: number[] = [];
  private next = 0;

  /**
   * `workers` is the number of traffic workers (≥ 1); `maxSlots` bounds the reservation (address
   * space only: pages are committed as slots are used).
   */
  constructor(workers: number, maxSlots = 1 << 20) {
    this.workers = workers;
    const per = workers * BYTES_PER_SLOT_WORKER;
    this.buffer = new SharedArrayBuffer(per * 64, { maxByteLength: per * maxSlots });
    this.view = new Float64Array(this.buffer, 0, this.buffer.byteLength / 8);
  }

  init(): CountersInit {
    return { buffer: this.buffer, workers: this.workers };
  }

  /** A zeroed slot. Grows the buffer when needed. */
  alloc(): number {
    const reused = this.free.pop();
    if (reused !== undefined) {
      this.view.fill(0, reused * this.workers * FIELDS, (reused + 1) * this.workers * FIELDS);
      return reused;
    }
    const slot = this.next++;
    const need = (slot + 1) * this.workers * BYTES_PER_SLOT_WORKER;
    if (need > this.buffer.byteLength) {
      const grown = Math.min(this.buffer.maxByteLength, Math.max(need, this.buffer.byteLength * 2));
      if (grown < need) throw new RangeError('counter slots exhausted');
      this.buffer.grow(grown);
      this.view = new Float64Array(this.buffer, 0, this.buffer.byteLength / 8);
    }
    return slot;
  }

  /**
   * Gives a slot back. Precondition: no worker writes to it any more (the object was removed from
   * every worker and has no connection left).
   */
  release(slot: number): void {
    this.free.push(slot);
  }

  /** The sum of one field over every worker. */
  sum(slot: number, field: number): number {
    let total = 0;
    const base = slot * this.workers * FIELDS + field;
    for (let w = 0; w < this.workers; w++) total += this.view[base + w * FIELDS] ?? 0;
    return total;
  }

  /** Cumulative histogram (Prometheus shape) of one latency family: bucket counts, sum, count. */
  histogram(slot: number, first: number): { buckets: number[]; sum: number; count: number } {
    const buckets: number[] = [];
    let running = 0;
    for (let i = 0; i < HIST_CELLS; i++) {
      running += this.sum(slot, first + i);
      buckets.push(running);
    }
    return { buckets, sum: this.sum(slot, first + HIST_CELLS), count: running };
  }
}

/** The worker side: one worker's writable view of every slot. */
export class WorkerCounters {
  private readonly view: Float64Array;
  private readonly stride: number;
  private readonly offset: number;

  constructor(init: CountersInit, workerIndex: number) {
    this.view = new Float64Array(init.buffer);
    this.stride = init.workers * FIELDS;
    this.offset = workerIndex * FIELDS;
  }

  /** Index of a field of a slot in `cells`; computed once per object at change time. */
  base(slot: number): number {
    return slot * this.stride + this.offset;
  }

  get cells(): Float64Array {
    return this.view;
  }

  add(base: number, field: number, n: number): void {
    this.view[base + field] = (this.view[base + field] ?? 0) + n;
  }

  /** Records a latency in seconds into the histogram family starting at `first`. */
  observe(base: number, first: number, seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[i] ?? Infinity)) i++;
    this.add(base, first + i, 1);
    this.add(base, first + HIST_CELLS, seconds);
  }
}
