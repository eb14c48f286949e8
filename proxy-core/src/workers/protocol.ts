/**
 * Messages between the writer thread and the traffic workers. Types only.
 *
 * Invariants: records carry a strictly increasing `seq`; a worker applies them in `seq` order,
 * each exactly once, and stores the last `seq` it applied in its ring cell (record-ring.ts).
 * Batches travel in the shared record ring (big or acknowledged ones on the worker's inbox port,
 * announced in the ring); a worker applies them when woken, or earlier, synchronously, whenever it
 * is about to read its tables (`PlaneGate.sync`). That is why a runtime reply need not wait for
 * the worker: once a batch is in the ring, no read in any worker can miss it. Batches that need
 * the worker's event loop (listener binds, certificates) ask for an `ack` message, and their
 * reply waits for it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { CountersInit } from '../stats/counters.ts';

/** One ordered change. `kind` selects the handler; the rest is plain cloneable data. */
export interface ChangeRecord {
  readonly seq: number;
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** What a worker is started with (its `workerData`). */
export interface WorkerInit {
  readonly index: number;
  /** URL of the module exporting `createPlane(ctx: PlaneContext): Plane`. */
  readonly planeModule: string;
  readonly counters: CountersInit;
  /** The record ring and its cells (record-ring.ts), shared by every worker. */
  readonly ring: SharedArrayBuffer;
  /** Where the writer posts the batches a ring frame sends by port (transferred; absent in unit tests). */
  readonly inbox?: MessagePort;
  /** Free-form options for the plane (listen addresses are in the records, not here). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** One batch on a worker's inbox. `ack`: answer `{ type: 'ack' }` once it is fully applied. */
export interface RecordBatch {
  readonly records: readonly ChangeRecord[];
  readonly ack: boolean;
}

/** Control messages on the worker's parentPort. */
export type ToWorker =
  | { readonly type: 'stop'; readonly graceMs: number }
  /** Collect garbage now (memory/reclaimer.ts): many objects were just released. */
  | { readonly type: 'reclaim' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'ack'; readonly seq: number }
  | { readonly type: 'error'; readonly seq: number; readonly message: string }
  | { readonly type: 'stopped' };

/**
 * How a plane keeps its reads current. Every read of the tables that decides where traffic goes
 * starts with `sync()`; a pick (choose a server and count the connection on it) runs between
 * `beginPick()` and `endPick()`, which also syncs. In unit tests that apply records directly these
 * do nothing.
 */
export interface PlaneGate {
  sync(): void;
  beginPick(): void;
  endPick(): void;
}

export const NO_GATE: PlaneGate = { sync() {}, beginPick() {}, endPick() {} };

export interface PlaneContext {
  readonly index: number;
  readonly init: WorkerInit;
  readonly gate?: PlaneGate;
}

/** What a traffic worker runs: applies records, soft-stops. */
export interface Plane {
  /** Applies one record. Throwing is reported to the writer and does not stop the worker. */
  apply(record: ChangeRecord): void | Promise<void>;
  /** Stops accepting, lets in-flight work finish within `graceMs`, then resolves. */
  stop(graceMs: number): Promise<void>;
}
