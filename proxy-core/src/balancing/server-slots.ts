/**
 * Dense per-server state shared by the algorithms: every server the backend knows gets a small
 * integer slot (reused after delete) so schedules are arrays of slots, and live connection counts
 * survive updates by id. Counting costs a map lookup per connection start and end, so algorithms
 * that do not weigh connections count only while some server has a maxconn. A server removed while connections are still open loses its count, and
 * the late `onEnd` for it is ignored.
 */
import { isEligible, type ServerId, type ServerView } from './balancer.ts';

export class ServerSlots<S extends ServerView> {
  /** The server of each slot (undefined for a free slot). */
  readonly servers: (S | undefined)[] = [];
  /** Live connections per slot. */
  readonly conns: number[] = [];
  /** Weight per slot, 0 when not eligible. */
  readonly weights: number[] = [];
  /** maxconn per slot, Infinity when unlimited. */
  readonly limits: number[] = [];
  /**
   * Eligible slots in configuration order; rewritten in place by `sync` (it lives until the next
   * sync, so a fresh array each time would become old-generation garbage).
   */
  readonly eligible: number[] = [];
  private readonly slotOf = new Map<ServerId, number>();
  private readonly free: number[] = [];
  /** The `generation` of the last sync that listed each slot. */
  private readonly seen: number[] = [];
  private generation = 0;
  /** Some eligible server has a maxconn. */
  private anyLimit = false;
  /** Connections are counted: always for algorithms that weigh them, else only while a maxconn exists. */
  private counting: boolean;

  /** `alwaysCount`: the algorithm weighs connections (leastconn, random, first). */
  constructor(alwaysCount: boolean) {
    this.counting = alwaysCount;
    this.alwaysCount = alwaysCount;
  }

  private readonly alwaysCount: boolean;

  /** Number of slots ever needed: arrays indexed by slot have this length. */
  get capacity(): number {
    return this.servers.length;
  }

  /**
   * Takes the new list. Returns the slots whose eligibility or weight changed (added, removed,
   * re-weighted, usable flag flipped), which is what an incremental schedule needs to redo.
   */
  sync(list: readonly S[]): number[] {
    const changed: number[] = [];
    const eligible = this.eligible;
    let eligibleCount = 0;
    const stamp = ++this.generation;
    let listed = 0;
    for (const s of list) {
      let slot = this.slotOf.get(s.id);
      if (slot === undefined) {
        slot = this.free.pop() ?? this.servers.length;
        this.slotOf.set(s.id, slot);
        this.servers[slot] = s;
        this.conns[slot] = Math.max(0, s.connections);
        this.weights[slot] = 0;
        this.seen[slot] = 0;
      } else if (this.seen[slot] === stamp) {
        continue; // a duplicate id: the first one wins
      }
      this.seen[slot] = stamp;
      listed++;
      this.servers[slot] = s;
      this.limits[slot] = s.maxconn !== undefined && s.maxconn > 0 ? s.maxconn : Infinity;
      const weight = isEligible(s) ? Math.floor(s.weight) : 0;
      if (weight !== this.weights[slot]) {
        this.weights[slot] = weight;
        changed.push(slot);
      }
      if (weight > 0) eligible[eligibleCount++] = slot;
    }
    // Servers missing from the list were deleted; skip the scan when none can be.
    if (this.slotOf.size > listed) {
      for (const [id, slot] of this.slotOf) {
        if (this.seen[slot] === stamp) continue;
        this.slotOf.delete(id);
        if (this.weights[slot] !== 0) changed.push(slot);
        this.servers[slot] = undefined;
        this.weights[slot] = 0;
        this.conns[slot] = 0;
        this.free.push(slot);
      }
      if (this.slotOf.size === 0) this.#shrink();
    }
    eligible.length = eligibleCount;
    this.anyLimit = eligible.some((slot) => (this.limits[slot] as number) !== Infinity);
    const counting = this.alwaysCount || this.anyLimit;
    if (counting && !this.counting) {
      // Counting starts now (a maxconn appeared): take the data plane's live counts as the base.
      this.servers.forEach((s, slot) => { if (s !== undefined) this.conns[slot] = Math.max(0, s.connections); });
    }
    this.counting = counting;
    return changed;
  }

  /**
   * No server left: slot-indexed arrays and the free list go back to empty. Slots are otherwise
   * reused, never compacted, so a backend emptied after a peak would keep its peak's arrays.
   */
  #shrink(): void {
    this.servers.length = 0;
    this.conns.length = 0;
    this.weights.length = 0;
    this.limits.length = 0;
    this.seen.length = 0;
    this.free.length = 0;
  }

  /** The slot of a server, or -1 when the backend no longer knows it (or `s` is null/undefined). */
  slotOfServer(s: ServerView | null | undefined): number {
    return s === null || s === undefined ? -1 : (this.slotOf.get(s.id) ?? -1);
  }

  /** Whether an eligible slot is below its maxconn. */
  hasRoom(slot: number): boolean {
    return !this.anyLimit || (this.conns[slot] as number) < (this.limits[slot] as number);
  }

  /** Counts a connection start; returns the slot, or -1 for an unknown server (or when not counting). */
  start(s: ServerView): number {
    if (!this.counting) return -1;
    const slot = this.slotOfServer(s);
    if (slot >= 0) this.conns[slot] = (this.conns[slot] as number) + 1;
    return slot;
  }

  /** Counts a connection end (never below zero); returns the slot, or -1 as `start` does. */
  end(s: ServerView): number {
    if (!this.counting) return -1;
    const slot = this.slotOfServer(s);
    if (slot >= 0 && (this.conns[slot] as number) > 0) this.conns[slot] = (this.conns[slot] as number) - 1;
    return slot;
  }
}
