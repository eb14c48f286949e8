/**
 * `random` / `random(<draws>)`: HAProxy's power of two choices. Draw `draws` servers at random,
 * each with probability proportional to its weight (an alias table, built at change time), and
 * keep the least loaded: fewer connections relative to weight, the earlier draw on ties. With
 * draws = 2 (the default, as in HAProxy), load spreads almost as well as leastconn without its
 * shared ordering, and a pick is O(draws).
 */
import type { Balancer, BalancerOptions, PickContext, RandomSource, ServerView } from './balancer.ts';
import { AliasTable } from './alias-table.ts';
import { ServerSlots } from './server-slots.ts';

export class PowerOfTwo<S extends ServerView> implements Balancer<S> {
  readonly algorithm: string;
  private readonly draws: number;
  private readonly random: RandomSource;
  private readonly slots = new ServerSlots<S>(true);
  private table = new AliasTable([]);
  /** Slot of each alias-table index. */
  private candidates: readonly number[] = [];

  /** Precondition: `draws` is an integer ≥ 1. */
  constructor(options: BalancerOptions & { readonly draws?: number } = {}) {
    this.draws = options.draws ?? 2;
    this.random = options.random ?? Math.random;
    this.algorithm = options.draws === undefined ? 'random' : `random(${this.draws})`;
  }

  update(servers: readonly S[]): void {
    this.slots.sync(servers);
    const eligible = this.slots.eligible;
    // The slots' list itself, rewritten in place by every sync together with this table.
    this.candidates = eligible;
    this.table = new AliasTable(eligible.map((slot) => this.slots.weights[slot] as number));
  }

  pick(_ctx: PickContext, avoid: S | null = null): S | null {
    const n = this.table.size;
    if (n === 0) return null;
    const slots = this.slots;
    const avoidSlot = slots.slotOfServer(avoid);
    let best = -1;
    for (let d = 0; d < this.draws; d++) {
      // A draw that lands on a full server, the one to avoid, or (for the second opinion) the
      // first draw again is redrawn, a few times at most.
      let drawn = -1;
      for (let attempt = 0; attempt < 4 && drawn < 0; attempt++) {
        const c = this.candidates[this.table.draw(this.random())] as number;
        if (slots.hasRoom(c) && c !== avoidSlot && (c !== best || n === 1)) drawn = c;
      }
      if (drawn >= 0 && (best < 0 || this.lighter(drawn, best))) best = drawn;
      if (n === 1) break;
    }
    if (best < 0) best = this.leastLoaded(avoidSlot);
    return best < 0 ? null : (slots.servers[best] as S);
  }

  /** conns/weight of a below that of b, cross-multiplied; equal loads keep b (the earlier draw). */
  private lighter(a: number, b: number): boolean {
    const { conns, weights } = this.slots;
    return (conns[a] as number) * (weights[b] as number) < (conns[b] as number) * (weights[a] as number);
  }

  /** The rare path when draws found nothing: a scan for the least loaded server with room. O(n). */
  private leastLoaded(avoidSlot: number): number {
    let best = -1;
    for (const slot of this.candidates) {
      if (!this.slots.hasRoom(slot) || slot === avoidSlot) continue;
      if (best < 0 || this.lighter(slot, best)) best = slot;
    }
    if (best >= 0) return best;
    // Only the server to avoid is left: it is picked if it is eligible and has room.
    const eligible = avoidSlot >= 0 && (this.slots.weights[avoidSlot] as number) > 0;
    return eligible && this.slots.hasRoom(avoidSlot) ? avoidSlot : -1;
  }

  onStart(server: S): void {
    this.slots.start(server);
  }

  onEnd(server: S): void {
    this.slots.end(server);
  }
}
