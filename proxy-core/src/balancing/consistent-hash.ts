/**
 * `source` and `hdr(<name>)` with `hash-type consistent`: the request's client address, or the
 * value of one header, is hashed onto a ring of the eligible servers (hash-ring.ts). The same key
 * keeps reaching the same server while it stays eligible; when a server leaves, only its keys
 * move. As in HAProxy, a request without the key (no such header, no client address) is balanced
 * round robin instead.
 */
import type { Balancer, BalancerOptions, PickContext, ServerView } from './balancer.ts';
import { HashRing, hashKey } from './hash-ring.ts';
import { RoundRobin } from './round-robin.ts';
import { ServerSlots } from './server-slots.ts';

export type HashOn = { readonly kind: 'source' } | { readonly kind: 'header'; readonly name: string };

export class ConsistentHash<S extends ServerView> implements Balancer<S> {
  readonly algorithm: string;
  private readonly on: HashOn;
  /** The header name, lower case ('' for `source`). */
  private readonly header: string;
  private readonly slots = new ServerSlots<S>();
  private readonly ring = new HashRing();
  private readonly fallback: RoundRobin<S>;

  constructor(on: HashOn, options: BalancerOptions = {}) {
    this.on = on;
    this.header = on.kind === 'header' ? on.name.toLowerCase() : '';
    this.algorithm = on.kind === 'source' ? 'source' : `hdr(${on.name})`;
    this.fallback = new RoundRobin<S>(options);
  }

  update(servers: readonly S[]): void {
    const changed = this.slots.sync(servers);
    this.ring.update(this.slots.weights, this.slots.servers.map((s) => s?.id), changed);
    this.fallback.update(servers);
  }

  pick(ctx: PickContext): S | null {
    const key = this.on.kind === 'source' ? ctx.source : ctx.header(this.header);
    if (key === undefined || key === '') return this.fallback.pick(ctx);
    const slot = this.ring.lookup(hashKey(key));
    return slot < 0 ? null : (this.slots.servers[slot] as S);
  }

  onStart(_server: S): void {}

  onEnd(_server: S): void {}
}
