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
  private readonly slots = new ServerSlots<S>(true);
  /** The slots' eligible list itself (rewritten in place by every sync, so it is always current). */
  private order: readonly number[] = [];

  constructor(_options: BalancerOptions = {}) {}

  update(servers: readonly S[]): void {
    this.slots.sync(servers);
    this.order = this.slots.eligible;
  }

  pick(_ctx: PickContext, avoid: S | null = null): S | null {
    const order = this.order;
    const slots = this.slots;
    const avoidSlot = slots.slotOfServer(avoid);
    let fallback = -1;
    for (let i = 0; i < order.length; i++) {
      const slot = order[i] as number;
      if (!slots.hasRoom(slot)) continue;
      if (slot !== avoidSlot) return slots.servers[slot] as S;
      fallback = slot;
    }
    // Every server is full: HAProxy would queue the request; the caller answers 503.
    return fallback < 0 ? null : (slots.servers[fallback] as S);
  }

  onStart(server: S): void {
    this.slots.start(server);
  }

  onEnd(server: S): void {
    this.slots.end(server);
  }
}
