/**
 * `roundrobin`: smooth weighted round robin, the sequence nginx produces (weights 5,1,1 give
 * a a b a c a a), computed without touching every server on each pick.
 *
 * nginx adds each weight to a running score, picks the highest score (first in order on ties) and
 * takes the total weight W off the winner. After t picks, server i's score before pick t+1 is
 * (t+1)·w_i − W·c_i, with c_i its picks so far. Servers of equal weight are therefore served in
 * turn (the fewest picks first, then configuration order), so only the head of each weight group
 * can win: a pick compares one candidate per distinct weight. Distinct weights are few (HAProxy
 * weights are 0..256, Kubernetes backends usually have one), so a pick is O(distinct weights),
 * allocation-free, and exact. After W picks every score is back to zero and the counters reset.
 */
import type { Balancer, BalancerOptions, PickContext, ServerId, ServerView } from './balancer.ts';
import { ServerSlots } from './server-slots.ts';

interface WeightGroup {
  readonly weight: number;
  /**
   * Slots of the group's servers, in configuration order. Plain (small-integer) arrays, rewritten
   * in place at every change of the backend: they live until the next change, so arrays made
   * afresh each time would all end up as old-generation garbage (and typed arrays, as C-heap
   * stores that fragment the allocator), which is most of what a burst of `add server` leaves.
   */
  readonly members: number[];
  /** Configuration position of each member (the tie-break between groups). */
  readonly order: number[];
  /** Rotation: the member served first in each round. */
  start: number;
  /** Members served in the current round. */
  served: number;
  /** Completed rounds: every member has been picked `rounds` times, plus one for the served ones. */
  rounds: number;
}

export class RoundRobin<S extends ServerView> implements Balancer<S> {
  readonly algorithm: string;
  private readonly slots = new ServerSlots<S>(false);
  private groups: WeightGroup[] = [];
  /** The groups by weight, kept across updates so their arrays are reused. */
  private readonly byWeight = new Map<number, WeightGroup>();
  private totalWeight = 0;
  private picks = 0;

  constructor(options: BalancerOptions & { readonly algorithm?: string } = {}) {
    this.algorithm = options.algorithm ?? 'roundrobin';
  }

  update(servers: readonly S[]): void {
    const slots = this.slots;
    slots.sync(servers);
    // The next server of each weight group, so an update does not send the next request back to
    // the first server of the list (which would overload it under frequent changes).
    const nextOf = new Map<number, ServerId>();
    for (const g of this.groups) {
      const slot = g.members[(g.start + g.served) % g.members.length] as number;
      const s = slots.servers[slot];
      if (s !== undefined) nextOf.set(g.weight, s.id);
    }
    const counts = new Map<number, number>();
    const eligible = slots.eligible;
    for (let position = 0; position < eligible.length; position++) {
      const slot = eligible[position] as number;
      const w = slots.weights[slot] as number;
      let g = this.byWeight.get(w);
      if (g === undefined) {
        g = { weight: w, members: [], order: [], start: 0, served: 0, rounds: 0 };
        this.byWeight.set(w, g);
      }
      const n = counts.get(w) ?? 0;
      g.members[n] = slot;
      g.order[n] = position;
      counts.set(w, n + 1);
    }
    const groups: WeightGroup[] = [];
    for (const [w, g] of this.byWeight) {
      const n = counts.get(w) ?? 0;
      if (n === 0) {
        this.byWeight.delete(w);
        continue;
      }
      g.members.length = n;
      g.order.length = n;
      const next = nextOf.get(w);
      g.start = next === undefined ? 0 : Math.max(0, g.members.findIndex((slot) => slots.servers[slot]?.id === next));
      g.served = 0;
      g.rounds = 0;
      groups.push(g);
    }
    // Configuration order of each weight's first server, as the groups were first met.
    groups.sort((a, b) => (a.order[0] as number) - (b.order[0] as number));
    this.groups = groups;
    this.totalWeight = groups.reduce((sum, g) => sum + g.weight * g.members.length, 0);
    this.picks = 0;
  }

  pick(_ctx: PickContext, avoid: S | null = null): S | null {
    if (this.groups.length === 0) return null;
    const slots = this.slots;
    const avoidSlot = slots.slotOfServer(avoid);
    let fallback = -1;
    // Usually the first turn is taken. Skipping full servers (or the one to avoid) walks on in
    // the sequence; one whole cycle visits every server, so it bounds the walk.
    for (let turn = 0; turn < this.totalWeight; turn++) {
      const slot = this.nextSlot();
      if (!slots.hasRoom(slot)) continue;
      if (slot !== avoidSlot) return slots.servers[slot] as S;
      fallback = slot;
    }
    return fallback < 0 ? null : (slots.servers[fallback] as S);
  }

  onStart(server: S): void {
    this.slots.start(server);
  }

  onEnd(server: S): void {
    this.slots.end(server);
  }

  /** The next slot of the smooth weighted sequence. Precondition: some group exists. */
  private nextSlot(): number {
    const groups = this.groups;
    const t1 = this.picks + 1;
    const total = this.totalWeight;
    let best: WeightGroup = groups[0] as WeightGroup;
    let bestScore = t1 * best.weight - total * best.rounds;
    let bestOrder = headOrder(best);
    for (let i = 1; i < groups.length; i++) {
      const g = groups[i] as WeightGroup;
      const score = t1 * g.weight - total * g.rounds;
      if (score > bestScore || (score === bestScore && headOrder(g) < bestOrder)) {
        best = g;
        bestScore = score;
        bestOrder = headOrder(g);
      }
    }
    const size = best.members.length;
    const slot = best.members[(best.start + best.served) % size] as number;
    if (++best.served === size) {
      best.served = 0;
      best.rounds++;
    }
    if (t1 === total) {
      // A full cycle: every server got exactly its weight in picks, every score is zero again.
      this.picks = 0;
      for (const g of groups) g.rounds = 0;
    } else {
      this.picks = t1;
    }
    return slot;
  }
}

function headOrder(g: WeightGroup): number {
  return g.order[(g.start + g.served) % g.members.length] as number;
}
