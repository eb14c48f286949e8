/**
 * `first`: the first eligible server in configuration order that still has room (fewer
 * connections than its `maxconn`; no `maxconn` means it always has room), so the fewest servers
 * carry the load and the others can be scaled down. Weights only decide eligibility. A pick walks
 * the eligible list until a server has room: O(1) while the first one does.
 */
import type { Balancer, BalancerOptions, PickContext, ServerView } from './balancer.ts';
import { ServerSlots } from './server-slots.ts';

export class First<S extends ServerView> implements Balancer<S> {
  readonly algorithm: string = 'first';
  private readonly slots = new ServerSlots<S>();
  private order = new Int32Array(0);
  /** maxconn per eligible position, Infinity when unlimited. */
  private limits = new Float64Array(0);

  constructor(_options: BalancerOptions = {}) {}

  update(servers: readonly S[]): void {
    this.slots.sync(servers);
    this.order = Int32Array.from(this.slots.eligible);
    this.limits = Float64Array.from(this.slots.eligible, (slot) => {
      const max = this.slots.servers[slot]?.maxconn ?? 0;
      return max > 0 ? max : Infinity;
    });
  }

  pick(_ctx: PickContext): S | null {
    const { order, limits } = this;
    const conns = this.slots.conns;
    for (let i = 0; i < order.length; i++) {
      const slot = order[i] as number;
      if ((conns[slot] as number) < (limits[i] as number)) return this.slots.servers[slot] as S;
    }
    // Every server is full: HAProxy would queue; we pick the first rather than refuse.
    return order.length === 0 ? null : (this.slots.servers[order[0] as number] as S);
  }

  onStart(server: S): void {
    this.slots.start(server);
  }

  onEnd(server: S): void {
    this.slots.end(server);
  }
}
