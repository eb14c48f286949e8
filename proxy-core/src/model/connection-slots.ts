/**
 * Per-server live connection counts as the writer sees them, for `del server` ("Server still has
 * connections attached to it") and for final destruction (GUID and slot released). The counts
 * live in the traffic workers' shared counter blocks (stats/counters.ts): each worker writes its
 * own block, this sums them. A server's slot is also where its traffic counters live, so one
 * allocation serves metrics and deletion alike.
 */
import { F, SharedCounters, WorkerCounters } from '../stats/counters.ts';

export const SLOT_USED = 0;
export const SLOT_IDLE = 1;

export class ConnectionSlots {
  readonly counters: SharedCounters;
  #allocated = 0;
  /** Writes of `add()` (tests and single-process use) go to worker 0's block. */
  #local: WorkerCounters | null = null;

  constructor(counters: SharedCounters = new SharedCounters(1)) {
    this.counters = counters;
  }

  /** A zeroed slot; -1 when no slot is left. */
  alloc(): number {
    try {
      const slot = this.counters.alloc();
      this.#allocated++;
      return slot;
    } catch {
      return -1;
    }
  }

  /** Precondition: no worker uses the slot any more (the server was destroyed). */
  free(slot: number): void {
    if (slot < 0) return;
    this.counters.release(slot);
    this.#allocated--;
  }

  /** Connections attached to the server in this slot: open (idle pooled ones included) or queued. */
  attached(slot: number): number {
    if (slot < 0) return 0;
    return this.counters.sum(slot, F.CONN_CUR) + this.counters.sum(slot, F.REQ_CUR);
  }

  /** A connection attaches (+1) or goes (-1), as a worker records it. */
  add(slot: number, which: typeof SLOT_USED | typeof SLOT_IDLE, delta: number): void {
    this.#local ??= new WorkerCounters(this.counters.init(), 0);
    this.#local.add(this.#local.base(slot), which === SLOT_USED ? F.CONN_CUR : F.CONN_IDLE, delta);
    if (which === SLOT_IDLE) this.#local.add(this.#local.base(slot), F.CONN_CUR, delta);
  }

  get allocated(): number {
    return this.#allocated;
  }
}
