/**
 * The worker's writable view of the shared counters (stats/counters.ts), tuned for the request
 * path: a fixed-length Float64Array over the growable SharedArrayBuffer instead of a
 * length-tracking one, whose every access re-reads the buffer's length (it showed as the
 * largest JavaScript item of the profile). The view is re-made at change time whenever a record
 * names a slot beyond it; the buffer only grows, so old offsets stay valid.
 */
import { FIELDS, LATENCY_BUCKETS, type CountersInit } from '../stats/counters.ts';

const HIST_CELLS = LATENCY_BUCKETS.length + 1;

export class PlaneCounters {
  private readonly buffer: SharedArrayBuffer;
  private readonly stride: number;
  private readonly offset: number;
  private view: Float64Array;

  constructor(init: CountersInit, workerIndex: number) {
    this.buffer = init.buffer;
    this.stride = init.workers * FIELDS;
    this.offset = workerIndex * FIELDS;
    this.view = new Float64Array(this.buffer, 0, this.buffer.byteLength / 8);
  }

  /** Index of a slot's block for this worker; widens the view when the slot is new to it. */
  base(slot: number): number {
    const base = slot * this.stride + this.offset;
    if (base + FIELDS > this.view.length) this.view = new Float64Array(this.buffer, 0, this.buffer.byteLength / 8);
    return base;
  }

  add(base: number, field: number, n: number): void {
    this.view[base + field]! += n;
  }

  /** Records a latency in seconds into the histogram family starting at `first`. */
  observe(base: number, first: number, seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    const v = this.view;
    v[base + first + i]! += 1;
    v[base + first + HIST_CELLS]! += seconds;
  }
}
