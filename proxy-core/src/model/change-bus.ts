/**
 * The change bus: the writer publishes records with increasing `seq`; every subscriber (the
 * worker pool, or an in-process table in tests) receives each batch in order and reports two
 * marks per subscriber:
 * - *visible*: every read the subscriber makes from now on sees the record (the worker pool
 *   reaches it as soon as the batch is queued in every worker: workers catch up before they read).
 *   `whenVisible(seq)` waits for it: a runtime reply waits for it, so after a reply no worker
 *   serves the old state.
 * - *applied* (`ack`): the subscriber holds no reference to what the record removed, so the
 *   writer may reuse it (counter slots). `appliedSeq` reads it; `refresh()` lets a subscriber
 *   bring it up to date from shared memory when asked.
 *
 * Invariants: seqs are dense and increasing; a subscriber sees every record after its snapshot
 * exactly once, in order; marks only move forward; applied ≤ visible ≤ seq; with no subscriber a
 * change is visible and applied at once.
 */
import type { AnyChange, ChangeRecord } from './change-record.ts';

export interface Subscriber {
  /** Receives one writer section's records, in seq order. Must not throw. */
  deliver(records: readonly ChangeRecord[]): void;
  /** Reports its current applied mark with `ack` (called by `appliedSeq`). */
  refresh?(): void;
}

interface Marks {
  visible: number;
  applied: number;
}

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
}

export class ChangeBus {
  #seq = 0;
  readonly #marks = new Map<Subscriber, Marks>();
  readonly #observers = new Set<(records: readonly ChangeRecord[]) => void>();
  #waiters: Waiter[] = [];

  /** Seq of the last published record. */
  get seq(): number {
    return this.#seq;
  }

  get subscriberCount(): number {
    return this.#marks.size;
  }

  /**
   * Adds a subscriber that already holds the state as of `this.seq` (e.g. it was built from
   * `model.snapshot()` in the same synchronous turn). Returns that seq.
   */
  subscribe(sub: Subscriber): number {
    this.#marks.set(sub, { visible: this.#seq, applied: this.#seq });
    return this.#seq;
  }

  /**
   * Adds an observer: it sees every batch after it is stamped, like a subscriber, but holds no mark
   * and so never holds a reply back (the writer's own followers, e.g. the health checker). Returns
   * the function that removes it. It must not throw.
   */
  observe(fn: (records: readonly ChangeRecord[]) => void): () => void {
    this.#observers.add(fn);
    return () => this.#observers.delete(fn);
  }

  /** Removes a subscriber (a worker that exited); waiters no longer wait for it. */
  unsubscribe(sub: Subscriber): void {
    this.#marks.delete(sub);
    this.#release();
  }

  /** Assigns seqs and delivers the batch to every subscriber. Returns the last seq. */
  publish(bodies: readonly AnyChange[]): number {
    if (bodies.length === 0) return this.#seq;
    // The bodies are fresh objects owned by the writer section that built them: they are stamped
    // in place rather than copied (this is the hot path of every runtime command).
    const records = bodies as unknown as ChangeRecord[];
    for (const b of bodies) (b as { seq?: number }).seq = ++this.#seq;
    for (const sub of this.#marks.keys()) sub.deliver(records);
    for (const fn of this.#observers) fn(records);
    return this.#seq;
  }

  /** Every later read of `sub` sees the records up to `seq`. Marks never move backwards. */
  markVisible(sub: Subscriber, seq: number): void {
    const m = this.#marks.get(sub);
    if (m === undefined || seq <= m.visible) return;
    m.visible = Math.min(seq, this.#seq);
    this.#release();
  }

  /** A subscriber has applied every record up to `seq` (which makes them visible too). */
  ack(sub: Subscriber, seq: number): void {
    const m = this.#marks.get(sub);
    if (m === undefined) return;
    const s = Math.min(seq, this.#seq);
    if (s > m.applied) m.applied = s;
    if (s > m.visible) {
      m.visible = s;
      this.#release();
    }
  }

  /** The highest seq every subscriber sees. */
  get visibleSeq(): number {
    let min = this.#seq;
    for (const m of this.#marks.values()) if (m.visible < min) min = m.visible;
    return min;
  }

  /** The highest seq every subscriber has applied (asks each subscriber to refresh first). */
  get appliedSeq(): number {
    for (const sub of this.#marks.keys()) sub.refresh?.();
    let min = this.#seq;
    for (const m of this.#marks.values()) if (m.applied < min) min = m.applied;
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
