/**
 * Messages between the writer thread and the traffic workers. Types only.
 *
 * Invariants: records carry a strictly increasing `seq`; a worker applies them in `seq` order and
 * acknowledges the last `seq` it applied; the writer answers a runtime command only once every
 * live worker acknowledged the command's last record.
 */
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
  /** Free-form options for the plane (listen addresses are in the records, not here). */
  readonly options: Readonly<Record<string, unknown>>;
}

export type ToWorker =
  | { readonly type: 'records'; readonly records: readonly ChangeRecord[] }
  | { readonly type: 'stop'; readonly graceMs: number }
  /** Collect garbage now (memory/reclaimer.ts): many objects were just released. */
  | { readonly type: 'reclaim' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'ack'; readonly seq: number }
  | { readonly type: 'error'; readonly seq: number; readonly message: string }
  | { readonly type: 'stopped' };

export interface PlaneContext {
  readonly index: number;
  readonly init: WorkerInit;
}

/** What a traffic worker runs: applies records, soft-stops. */
export interface Plane {
  /** Applies one record. Throwing is reported to the writer and does not stop the worker. */
  apply(record: ChangeRecord): void | Promise<void>;
  /** Stops accepting, lets in-flight work finish within `graceMs`, then resolves. */
  stop(graceMs: number): Promise<void>;
}
