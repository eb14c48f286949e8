/**
 * `leastconn`: the eligible server with the fewest connections relative to its weight, i.e. the
 * smallest (conns + 1) / weight as HAProxy keys its tree; among equals, the one picked longest
 * ago (round robin). An indexed binary heap keeps the best server on top: a pick reads the top
 * and moves it behind its equals, a connection start or end re-sifts one server, O(log n) each.
 */
import type { Balancer, BalancerOptions, PickContext, ServerView } from './balancer.ts';
import { ServerSlots } from './server-slots.ts';

export class LeastConn<S extends ServerView> implements Balancer<S> {
  readonly algorithm: string = 'leastconn';
  private readonly slots = new ServerSlots<S>();
  /** Heap of eligible slots. */
  private heap = new Int32Array(0);
  private size = 0;
  /** Heap index of each slot, -1 when not in the heap. */
  private position = new Int32Array(0);
  /** When each slot was last picked: the round-robin tie-break. */
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
    }
    this.position.fill(-1);
    const eligible = this.slots.eligible;
    this.size = eligible.length;
    eligible.forEach((slot, i) => {
      this.heap[i] = slot;
      this.position[slot] = i;
    });
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  pick(_ctx: PickContext): S | null {
    if (this.size === 0) return null;
    const slot = this.heap[0] as number;
    this.lastPick[slot] = ++this.clock;
    this.siftDown(0);
    return this.slots.servers[slot] as S;
  }

  onStart(server: S): void {
    const slot = this.slots.start(server);
    if (slot >= 0) this.resift(slot);
  }

  onEnd(server: S): void {
    const slot = this.slots.end(server);
    if (slot >= 0) this.resift(slot);
  }

  private resift(slot: number): void {
    const i = this.position[slot] as number;
    if (i < 0) return;
    this.siftUp(i);
    this.siftDown(this.position[slot] as number);
  }

  /** True when slot a should be served before slot b. */
  private before(a: number, b: number): boolean {
    const { conns, weights } = this.slots;
    // (ca + 1) / wa < (cb + 1) / wb, cross-multiplied to stay in integers.
    const left = ((conns[a] as number) + 1) * (weights[b] as number);
    const right = ((conns[b] as number) + 1) * (weights[a] as number);
    if (left !== right) return left < right;
    return (this.lastPick[a] as number) < (this.lastPick[b] as number);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const slot = heap[i] as number;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as number;
      if (!this.before(slot, p)) break;
      heap[i] = p;
      this.position[p] = i;
      i = parent;
    }
    heap[i] = slot;
    this.position[slot] = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const size = this.size;
    const slot = heap[i] as number;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && this.before(heap[right] as number, heap[child] as number)) child = right;
      const c = heap[child] as number;
      if (!this.before(c, slot)) break;
      heap[i] = c;
      this.position[c] = i;
      i = child;
    }
    heap[i] = slot;
    this.position[slot] = i;
  }
}
