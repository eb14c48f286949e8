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
  private readonly slots = new ServerSlots<S>();
  private table = new AliasTable([]);
  /** Slot of each alias-table index. */
  private candidates = new Int32Array(0);

  /** Precondition: `draws` is an integer ≥ 1. */
  constructor(options: BalancerOptions & { readonly draws?: number } = {}) {
    this.draws = options.draws ?? 2;
    this.random = options.random ?? Math.random;
    this.algorithm = options.draws === undefined ? 'random' : `random(${this.draws})`;
  }

  update(servers: readonly S[]): void {
    this.slots.sync(servers);
    const eligible = this.slots.eligible;
    this.candidates = Int32Array.from(eligible);
    this.table = new AliasTable(eligible.map((slot) => this.slots.weights[slot] as number));
  }

  pick(_ctx: PickContext): S | null {
    const n = this.table.size;
    if (n === 0) return null;
    const { conns, weights } = this.slots;
    let best = this.candidates[this.table.draw(this.random())] as number;
    for (let d = 1; d < this.draws && n > 1; d++) {
      let other = this.candidates[this.table.draw(this.random())] as number;
      // One redraw when the same server comes up twice, as a second opinion is the point.
      if (other === best) other = this.candidates[this.table.draw(this.random())] as number;
      // conns/weight compared cross-multiplied; the earlier draw wins ties.
      if ((conns[other] as number) * (weights[best] as number) < (conns[best] as number) * (weights[other] as number)) best = other;
    }
    return this.slots.servers[best] as S;
  }

  onStart(server: S): void {
    this.slots.start(server);
  }

  onEnd(server: S): void {
    this.slots.end(server);
  }
}
