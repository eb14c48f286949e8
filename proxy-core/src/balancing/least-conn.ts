/**
 * `leastconn`: the eligible server with the fewest connections relative to its weight, i.e. the
 * smallest (conns + 1) / weight as HAProxy keys its tree; among equals, the one picked longest
 * ago (round robin). An indexed binary heap keeps the best server on top: a pick reads the top
 * and moves it behind its equals, a connection start or end re-sifts one server, O(log n) each.
 * Keys live in arrays parallel to the heap, so sifting reads neighbouring memory.
 * (conns + 1) / weight as a double is exact enough for ties: equal fractions of such small
 * integers round to the same double, different ones to different doubles.
 */
import type { Balancer, BalancerOptions, PickContext, ServerView } from './balancer.ts';
import { ServerSlots } from './server-slots.ts';

export class LeastConn<S extends ServerView> implements Balancer<S> {
  readonly algorithm: string = 'leastconn';
  private readonly slots = new ServerSlots<S>(true);
  /** Heap of eligible slots, with each entry's load and last pick time at the same index. */
  private heap = new Int32Array(0);
  private load = new Float64Array(0);
  private picked = new Float64Array(0);
  private size = 0;
  /** Heap index of each slot, -1 when not in the heap. */
  private position = new Int32Array(0);
  /** Last pick time per slot, kept across updates. */
  private lastPick = new Float64Array(0);
  private clock = 0;

  constructor(_options: BalancerOptions = {}) {}

  update(servers: readonly S[]): void {
    this.slots.sync(servers);
    const capacity = this.slots.capacity;
    if (this.position.length < capacity) {
      const lastPick = new Float64Array(capacity * 2);
      lastPick.set(this.lastPick);
      this.lastPick = lastPick;
      this.position = new Int32Array(capacity * 2);
      this.heap = new Int32Array(capacity * 2);
      this.load = new Float64Array(capacity * 2);
      this.picked = new Float64Array(capacity * 2);
    }
    this.position.fill(-1);
    const { eligible } = this.slots;
    this.size = eligible.length;
    eligible.forEach((slot, i) => {
      this.heap[i] = slot;
      this.load[i] = this.loadOf(slot);
      this.picked[i] = this.lastPick[slot] as number;
      this.position[slot] = i;
    });
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  pick(_ctx: PickContext, avoid: S | null = null): S | null {
    if (this.size === 0) return null;
    let at = 0;
    const top = this.heap[0] as number;
    if (!this.slots.hasRoom(top) || this.slots.slotOfServer(avoid) === top) at = this.bestOtherThan(this.slots.slotOfServer(avoid));
    if (at < 0) return null;
    const slot = this.heap[at] as number;
    const now = ++this.clock;
    this.lastPick[slot] = now;
    this.picked[at] = now;
    this.siftDown(at);
    return this.slots.servers[slot] as S;
  }

  /**
   * The rare path (the top is full, or is the server to avoid): the heap index of the best server
   * with room other than `avoidSlot`, else `avoidSlot`'s index if it has room, else -1. O(n).
   */
  private bestOtherThan(avoidSlot: number): number {
    let best = -1;
    let fallback = -1;
    for (let i = 0; i < this.size; i++) {
      const slot = this.heap[i] as number;
      if (!this.slots.hasRoom(slot)) continue;
      if (slot === avoidSlot) {
        fallback = i;
        continue;
      }
      const l = this.load[i] as number;
      const b = best < 0 ? Infinity : (this.load[best] as number);
      if (best < 0 || l < b || (l === b && (this.picked[i] as number) < (this.picked[best] as number))) best = i;
    }
    return best >= 0 ? best : fallback;
  }

  onStart(server: S): void {
    const slot = this.slots.start(server);
    if (slot >= 0) this.reload(slot);
  }

  onEnd(server: S): void {
    const slot = this.slots.end(server);
    if (slot >= 0) this.reload(slot);
  }

  private loadOf(slot: number): number {
    return ((this.slots.conns[slot] as number) + 1) / (this.slots.weights[slot] as number);
  }

  /** The slot's connection count changed: refresh its key and restore the heap order. */
  private reload(slot: number): void {
    const i = this.position[slot] as number;
    if (i < 0) return;
    const before = this.load[i] as number;
    const after = this.loadOf(slot);
    this.load[i] = after;
    if (after < before) this.siftUp(i);
    else this.siftDown(i);
  }

  private siftUp(i: number): void {
    const { heap, load, picked, position } = this;
    const slot = heap[i] as number;
    const l = load[i] as number;
    const p = picked[i] as number;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pl = load[parent] as number;
      if (pl < l || (pl === l && (picked[parent] as number) <= p)) break;
      this.move(parent, i);
      i = parent;
    }
    heap[i] = slot;
    load[i] = l;
    picked[i] = p;
    position[slot] = i;
  }

  private siftDown(i: number): void {
    const { heap, load, picked, position, size } = this;
    const slot = heap[i] as number;
    const l = load[i] as number;
    const p = picked[i] as number;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size) {
        const lr = load[right] as number;
        const lc = load[child] as number;
        if (lr < lc || (lr === lc && (picked[right] as number) < (picked[child] as number))) child = right;
      }
      const cl = load[child] as number;
      if (l < cl || (l === cl && p <= (picked[child] as number))) break;
      this.move(child, i);
      i = child;
    }
    heap[i] = slot;
    load[i] = l;
    picked[i] = p;
    position[slot] = i;
  }

  private move(from: number, to: number): void {
    const slot = this.heap[from] as number;
    this.heap[to] = slot;
    this.load[to] = this.load[from] as number;
    this.picked[to] = this.picked[from] as number;
    this.position[slot] = to;
  }
}
