/**
 * `source` and `hdr(<name>)` with `hash-type consistent`: the request's client address, or the
 * value of one header, is hashed onto a ring of the eligible servers (hash-ring.ts). The same key
 * keeps reaching the same server while it stays eligible; when a server leaves, only its keys
 * move. As in HAProxy, a request without the key (no such header, no client address) is balanced
 * round robin instead.
 *
 * Drain, maint and health flaps are frequent, so they do not rebuild the ring (O(points)): an
 * unusable server keeps its points and lookups step over them to the next usable owner, which is
 * exactly where its keys would go if the points were removed. Only while unusable servers would
 * hold more than half of the points are they taken off the ring, to keep those steps short.
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
  private readonly slots = new ServerSlots<S>(false);
  private readonly ring = new HashRing();
  private readonly fallback: RoundRobin<S>;
  /** Weight each slot has on the ring (its points), which may include unusable servers. */
  private ringWeights: number[] = [];
  /** 1 for a slot that may be picked now. */
  private eligible: readonly number[] = [];
  private anyEligible = false;

  constructor(on: HashOn, options: BalancerOptions = {}) {
    this.on = on;
    this.header = on.kind === 'header' ? on.name.toLowerCase() : '';
    this.algorithm = on.kind === 'source' ? 'source' : `hdr(${on.name})`;
    this.fallback = new RoundRobin<S>(options);
  }

  update(servers: readonly S[]): void {
    const slots = this.slots;
    slots.sync(servers);
    const configured = slots.servers.map((s) => (s === undefined ? 0 : Math.max(0, Math.floor(s.weight))));
    const total = configured.reduce((a, b) => a + b, 0);
    const idle = configured.reduce((sum, w, slot) => sum + ((slots.weights[slot] as number) > 0 ? 0 : w), 0);
    // Keep unusable servers' points while they are a minority of the ring.
    const target = idle * 2 <= total ? configured : slots.weights;
    const changed: number[] = [];
    target.forEach((w, slot) => { if ((this.ringWeights[slot] ?? 0) !== w) changed.push(slot); });
    for (let slot = target.length; slot < this.ringWeights.length; slot++) if (this.ringWeights[slot] !== 0) changed.push(slot);
    this.ringWeights = target.slice();
    this.ring.update(this.ringWeights, slots.servers.map((s) => s?.id), changed);
    this.eligible = slots.weights.map((w) => (w > 0 ? 1 : 0));
    this.anyEligible = slots.eligible.length > 0;
    this.fallback.update(servers);
  }

  pick(ctx: PickContext, avoid: S | null = null): S | null {
    const key = this.on.kind === 'source' ? ctx.source : ctx.header(this.header);
    if (key === undefined || key === '') return this.fallback.pick(ctx, avoid);
    const ring = this.ring;
    const n = ring.size;
    if (!this.anyEligible || n === 0) return null;
    const slots = this.slots;
    const avoidSlot = slots.slotOfServer(avoid);
    let fallback = -1;
    // The owner of the key's point, or the next usable one clockwise: where the key would go if
    // the points of unusable, full or avoided servers were not on the ring.
    for (let i = ring.indexOf(hashKey(key)), steps = 0; steps < n; steps++) {
      const slot = ring.ownerAt(i);
      if (this.eligible[slot] === 1 && slots.hasRoom(slot)) {
        if (slot !== avoidSlot) return slots.servers[slot] as S;
        fallback = slot;
      }
      i = i + 1 === n ? 0 : i + 1;
    }
    return fallback < 0 ? null : (slots.servers[fallback] as S);
  }

  onStart(server: S): void {
    this.slots.start(server);
    this.fallback.onStart(server);
  }

  onEnd(server: S): void {
    this.slots.end(server);
    this.fallback.onEnd(server);
  }
}
