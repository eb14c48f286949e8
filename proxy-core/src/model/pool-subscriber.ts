/**
 * Connects the traffic worker pool (workers/pool.ts) to the change bus. Each writer section's
 * batch goes into the shared record ring as soon as it is published, in the same synchronous
 * turn, so the bus marks it visible at once and the command replies without waiting: every
 * later decision of every worker reads the ring first (docs/design.md "Delivery").
 *
 * Two things hold a reply back:
 * - a batch holding a record whose effect needs the worker's own event loop (a listener to bind,
 *   a TLS context a handshake will use without asking the plane first) travels with an ack and is
 *   visible only once every worker acknowledged it; batches after it are not visible before it;
 * - a full ring (workers far behind): the batch waits in the pool and is visible once it is in.
 *
 * A restarted worker is brought up to date by the pool from `model.snapshot()`.
 */
import type { ChangeRecord as PoolRecord } from '../workers/protocol.ts';
import type { ChangeRecord } from './change-record.ts';
import type { Subscriber } from './change-bus.ts';
import type { Model } from './model.ts';

export interface RecordSink {
  /** Delivers records to every worker (`true`: now, else when the promise resolves); later reads there see them. */
  post(records: readonly PoolRecord[]): true | Promise<void>;
  /** Delivers records and resolves once every worker fully applied them. */
  publish(records: readonly PoolRecord[]): Promise<void>;
  /** The highest seq every worker has applied. */
  appliedSeq(): number;
}

/** Record kinds a reply must see applied by every worker, not just delivered. */
const NEEDS_ACK: ReadonlySet<string> = new Set(['reset', 'frontend.add', 'frontend.del', 'cert.set', 'cert.del', 'crtlist.add', 'crtlist.del']);

/** Subscribes `pool` to the model's bus; returns the unsubscribe function. */
export function subscribePool(model: Model, pool: RecordSink): () => void {
  const bus = model.bus;
  /** Highest seq in the ring (or acknowledged). */
  let reach = bus.seq;
  /** Last seqs of the batches still waiting for their acks, ascending. */
  const unacked: number[] = [];
  /** Nothing at or after the oldest batch still waiting for its ack may count as visible. */
  const cap = (seq: number): number => (unacked.length > 0 ? Math.min(seq, (unacked[0] as number) - 1) : seq);
  const advance = (): void => bus.markVisible(sub, cap(reach));
  const delivered = (last: number): void => {
    if (last > reach) reach = last;
    advance();
  };
  const sub: Subscriber = {
    deliver(records: readonly ChangeRecord[]) {
      const last = records.at(-1)?.seq;
      if (last === undefined) return;
      if (records.some((r) => NEEDS_ACK.has(r.kind))) {
        unacked.push(last);
        void pool.publish(records).then(() => {
          unacked.splice(unacked.indexOf(last), 1);
          bus.ack(sub, last);
          delivered(last);
        });
        return;
      }
      const now = pool.post(records);
      if (now === true) delivered(last);
      else void now.then(() => delivered(last));
    },
    refresh() {
      bus.ack(sub, cap(pool.appliedSeq()));
    },
  };
  bus.subscribe(sub);
  return () => bus.unsubscribe(sub);
}
