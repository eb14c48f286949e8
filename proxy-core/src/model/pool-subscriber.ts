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

/** Subscribes `pool` to the model's bus; returns the unsubscribe function. */
export function subscribePool(model: Model, pool: RecordSink): () => void {
  const sub: Subscriber = {
    deliver(records: readonly ChangeRecord[]) {
      const last = records[records.length - 1];
      if (last === undefined) return;
      void pool.publish(records).then(() => model.bus.ack(sub, last.seq));
    },
  };
  model.bus.subscribe(sub);
  return () => model.bus.unsubscribe(sub);
}
