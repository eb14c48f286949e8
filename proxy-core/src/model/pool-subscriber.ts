/**
 * Connects the traffic worker pool (workers/pool.ts) to the change bus: every batch a writer
 * section publishes is handed to the pool in seq order, and the bus counts it acknowledged once
 * every live worker applied it. A runtime reply that waits on `model.whenVisible()` therefore
 * waits for every worker. A restarted worker is brought up to date by `model.snapshot()`.
 */
import type { ChangeRecord as PoolRecord } from '../workers/protocol.ts';
import type { ChangeRecord } from './change-record.ts';
import type { Subscriber } from './change-bus.ts';
import type { Model } from './model.ts';

export interface RecordSink {
  publish(records: readonly PoolRecord[]): Promise<void>;
}

/**
 * Subscribes `pool` to the model's bus; returns the unsubscribe function. Batches published in
 * the same turn of the event loop (several commands of one line, a map commit) travel in one
 * message per worker: one structured clone and one ack round trip for all of them.
 */
export function subscribePool(model: Model, pool: RecordSink): () => void {
  let pending: ChangeRecord[] = [];
  const flush = (): void => {
    const records = pending;
    pending = [];
    const last = records[records.length - 1];
    if (last === undefined) return;
    void pool.publish(records).then(() => model.bus.ack(sub, last.seq));
  };
  const sub: Subscriber = {
    deliver(records: readonly ChangeRecord[]) {
      if (records.length === 0) return;
      if (pending.length === 0) queueMicrotask(flush);
      for (const r of records) pending.push(r);
    },
  };
  model.bus.subscribe(sub);
  return () => model.bus.unsubscribe(sub);
}
