/**
 * Connects the traffic worker pool (workers/pool.ts) to the change bus. Batches published while
 * the writer handles one burst of input (a line of `;`-joined commands, a map commit, a pipelined
 * client) are coalesced and posted once per worker at the end of that event-loop iteration.
 *
 * Once posted, a batch is visible in every worker (workers catch up before they read), so the bus
 * marks it visible at once and the runtime replies go. The exception is a batch holding a record
 * whose effect needs the worker's own event loop (a listener to bind, a TLS context a handshake
 * will use without asking the plane first): it is published with an ack and becomes visible only
 * once every worker acknowledged it. A restarted worker is brought up to date by the pool from
 * `model.snapshot()`.
 */
import type { ChangeRecord as PoolRecord } from '../workers/protocol.ts';
import type { ChangeRecord } from './change-record.ts';
import type { Subscriber } from './change-bus.ts';
import type { Model } from './model.ts';

export interface RecordSink {
  /** Delivers records to every worker (`true`: now, else when the promise resolves); later reads there see them. */
  post(records: readonly PoolRecord[]): true | Promise<void>;
  /** Queues records and resolves once every worker fully applied them. */
  publish(records: readonly PoolRecord[]): Promise<void>;
  /** The highest seq every worker has applied. */
  appliedSeq(): number;
}

/** Record kinds a reply must see applied by every worker, not just queued. */
const NEEDS_ACK: ReadonlySet<string> = new Set(['reset', 'frontend.add', 'frontend.del', 'cert.set', 'cert.del', 'crtlist.add', 'crtlist.del']);

/** Subscribes `pool` to the model's bus; returns the unsubscribe function. */
export function subscribePool(model: Model, pool: RecordSink): () => void {
  let pending: ChangeRecord[] = [];
  let needsAck = false;
  let scheduled: ReturnType<typeof setImmediate> | null = null;
  const flush = (): void => {
    scheduled = null;
    const records = pending;
    const ack = needsAck;
    pending = [];
    needsAck = false;
    const last = records[records.length - 1];
    if (last === undefined) return;
    if (ack) {
      void pool.publish(records).then(() => model.bus.ack(sub, last.seq));
    } else {
      const delivered = pool.post(records);
      if (delivered === true) model.bus.markVisible(sub, last.seq);
      else void delivered.then(() => model.bus.markVisible(sub, last.seq));
    }
  };
  const sub: Subscriber = {
    deliver(records: readonly ChangeRecord[]) {
      if (records.length === 0) return;
      if (scheduled === null) scheduled = setImmediate(flush);
      for (const r of records) {
        pending.push(r);
        if (NEEDS_ACK.has(r.kind)) needsAck = true;
      }
    },
    refresh() {
      model.bus.ack(sub, pool.appliedSeq());
    },
  };
  model.bus.subscribe(sub);
  return () => {
    if (scheduled !== null) clearImmediate(scheduled);
    model.bus.unsubscribe(sub);
  };
}
