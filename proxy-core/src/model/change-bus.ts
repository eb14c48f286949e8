/**
 * The change bus: the writer publishes records with increasing `seq`; every subscriber (a
 * worker, or an in-process table in tests) receives each batch in order and acknowledges the
 * highest `seq` it has applied. `whenVisible(seq)` resolves once every subscriber has acked
 * `seq`: a runtime reply waits for it, so after a reply no worker serves the old state.
 *
 * Invariants: seqs are dense and increasing; a subscriber sees every record after its snapshot
 * exactly once, in order; acks only move forward; with no subscriber a change is visible at once.
 */
import type { AnyChange, ChangeRecord } from './change-record.ts';

export interface Subscriber {
  /** Receives one writer section's records, in seq order. Must not throw. */
  deliver(records: readonly ChangeRecord[]): void;
}

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
}

export class ChangeBus {
  #seq = 0;
  readonly #acked = new Map<Subscriber, number>();
  #waiters: Waiter[] = [];

  /** Seq of the last published record. */
  get seq(): number {
    return this.#seq;
  }

  get subscriberCount(): number {
    return this.#acked.size;
  }

  /**
   * Adds a subscriber that already holds the state as of `this.seq` (e.g. it was built from
   * `model.snapshot()` in the same synchronous turn). Returns that seq.
   */
  subscribe(sub: Subscriber): number {
    this.#acked.set(sub, this.#seq);
    return this.#seq;
  }

  /** Removes a subscriber (a worker that exited); waiters no longer wait for it. */
  unsubscribe(sub: Subscriber): void {
    this.#acked.delete(sub);
    this.#release();
  }

  /** Assigns seqs and delivers the batch to every subscriber. Returns the last seq. */
  publish(bodies: readonly AnyChange[]): number {
    if (bodies.length === 0) return this.#seq;
    // The bodies are fresh objects owned by the writer section that built them: they are stamped
    // in place rather than copied (this is the hot path of every runtime command).
    const records = bodies as unknown as ChangeRecord[];
    for (const b of bodies) (b as { seq?: number }).seq = ++this.#seq;
    for (const sub of this.#acked.keys()) sub.deliver(records);
    return this.#seq;
  }

  /** A subscriber has applied every record up to `seq`. Acks never move backwards. */
  ack(sub: Subscriber, seq: number): void {
    const cur = this.#acked.get(sub);
    if (cur === undefined || seq <= cur) return;
    this.#acked.set(sub, Math.min(seq, this.#seq));
    this.#release();
  }

  /** The highest seq every subscriber has acked. */
  get visibleSeq(): number {
    let min = this.#seq;
    for (const v of this.#acked.values()) if (v < min) min = v;
    return min;
  }

  /** Null when `seq` is already visible everywhere (the fast path), else a promise for it. */
  whenVisible(seq: number = this.#seq): Promise<void> | null {
    if (seq <= this.visibleSeq) return null;
    return new Promise<void>((resolve) => {
      const w = this.#waiters;
      const last = w[w.length - 1];
      if (last === undefined || last.seq <= seq) w.push({ seq, resolve });
      else w.splice(w.findIndex((x) => x.seq > seq), 0, { seq, resolve });
    });
  }

  #release(): void {
    if (this.#waiters.length === 0) return;
    const visible = this.visibleSeq;
    let n = 0;
    while (n < this.#waiters.length && (this.#waiters[n] as Waiter).seq <= visible) n++;
    if (n === 0) return;
    const done = this.#waiters.slice(0, n);
    this.#waiters = this.#waiters.slice(n);
    for (const w of done) w.resolve();
  }
}
