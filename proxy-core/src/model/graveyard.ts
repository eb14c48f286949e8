/**
 * What the model removed but has not destroyed yet: deleted servers (zombies) and the counter
 * slots of removed proxies. A traffic worker may still write to a slot until it has applied the
 * removal, and a deleted server's connections may still be counted there, so a slot is released
 * for reuse only once every worker applied the removal (`applied`, from the record ring) and, for
 * a server, its connection counters read 0. Names, IDs and GUIDs are not held here: `del server`
 * frees them at once (model.ts `deleteServer`).
 */
import type { SharedCounters } from '../stats/counters.ts';
import type { Server } from './server.ts';

export class Graveyard {
  /** Deleted servers not yet destroyed, in deletion order (so their seqs only grow). */
  readonly zombies = new Set<Server>();
  readonly #counters: SharedCounters;
  /** Slots a worker may still write to until it applies the removal of their object. */
  #retired: { slot: number; seq: number }[] = [];

  constructor(counters: SharedCounters) {
    this.#counters = counters;
  }

  /** A removed proxy's counter slot, free once every worker applied `seq`. */
  retire(slot: number, seq: number): void {
    this.#retired.push({ slot, seq });
  }

  get empty(): boolean {
    return this.#retired.length === 0 && this.zombies.size === 0;
  }

  /**
   * Destroys at most `limit` zombies whose deletion every worker applied (seq <= `applied`) and
   * whose `connections` read 0, releasing their slots, and releases the retired slots every
   * worker is done with. `settle` runs first when there are zombies, so the counters read next
   * include every pick in flight. Returns how many servers were destroyed.
   */
  reap(applied: number, limit: number, connections: (s: Server) => number, settle: () => void): number {
    if (this.#retired.length > 0) {
      const keep: { slot: number; seq: number }[] = [];
      for (const r of this.#retired) {
        if (r.seq <= applied) this.#counters.release(r.slot);
        else keep.push(r);
      }
      this.#retired = keep;
    }
    if (this.zombies.size === 0) return 0;
    // After a mass deletion this pass runs every 250 ms over what is left: stop at the first
    // zombie not applied everywhere, as every later one was deleted after it.
    settle();
    const ready: Server[] = [];
    for (const s of this.zombies) {
      if (s.deletedSeq > applied || ready.length >= limit) break;
      if (connections(s) === 0) ready.push(s);
    }
    for (const s of ready) {
      this.zombies.delete(s);
      this.#counters.release(s.slot);
      s.slot = -1;
    }
    return ready.length;
  }
}
