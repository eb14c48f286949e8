/**
 * Lowest-free ID allocation in O(log n): HAProxy gives a new server the lowest free `puid` >= 1
 * and reuses IDs freed by `del server`; it finds it by walking the backend's ID tree, which is
 * what made 20 000 servers into one backend take 29 s. Here every free ID below `next` sits in a
 * min-heap (lazily cleaned of IDs taken since by a forced `id N`), and IDs >= `next` are free
 * unless forced.
 *
 * Used IDs are a bitmap of 30-bit small-integer words for IDs below `BITMAP_IDS` (IDs are handed
 * out lowest first, so they are dense: one bit per server instead of a Set entry of ~25 bytes)
 * and a Set for the rare larger forced ones.
 */
const WORD_BITS = 30;
const BITMAP_IDS = 1 << 16;

/** A set of used IDs, laid out as the header says. */
class UsedIds {
  readonly #words: number[] = [];
  readonly #far = new Set<number>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  has(id: number): boolean {
    if (id >= BITMAP_IDS) return this.#far.has(id);
    const w = this.#words[Math.floor(id / WORD_BITS)];
    return w !== undefined && (w & (1 << (id % WORD_BITS))) !== 0;
  }

  add(id: number): void {
    if (id >= BITMAP_IDS) {
      if (!this.#far.has(id)) this.#size++;
      this.#far.add(id);
      return;
    }
    const i = Math.floor(id / WORD_BITS);
    const bit = 1 << (id % WORD_BITS);
    while (this.#words.length <= i) this.#words.push(0);
    const w = this.#words[i] as number;
    if ((w & bit) === 0) this.#size++;
    this.#words[i] = w | bit;
  }

  /** Returns whether `id` was used. */
  delete(id: number): boolean {
    if (id >= BITMAP_IDS) {
      if (!this.#far.delete(id)) return false;
      this.#size--;
      return true;
    }
    const i = Math.floor(id / WORD_BITS);
    const bit = 1 << (id % WORD_BITS);
    const w = this.#words[i];
    if (w === undefined || (w & bit) === 0) return false;
    this.#words[i] = w & ~bit;
    this.#size--;
    if (this.#size === 0) this.#words.length = 0;
    return true;
  }
}

export class IdAllocator {
  readonly #used = new UsedIds();
  readonly #heap: number[] = [];
  #next = 1;
  readonly #max: number;

  constructor(max = 0xffffffff) {
    this.#max = max;
  }

  isUsed(id: number): boolean {
    return this.#used.has(id);
  }

  get size(): number {
    return this.#used.size;
  }

  /** The ID `allocate()` would return, without taking it; 0 when none is left. */
  peek(): number {
    this.#clean();
    const top = this.#heap[0];
    if (top !== undefined) return top;
    let n = this.#next;
    while (this.#used.has(n)) n++;
    return n > this.#max ? 0 : n;
  }

  /** Takes the lowest free ID; 0 when none is left (`no id left in proxy`). */
  allocate(): number {
    const id = this.peek();
    if (id === 0) return 0;
    this.take(id);
    return id;
  }

  /** Marks `id` used (a forced `id N`). Precondition: `!isUsed(id)`, 1 <= id <= max. */
  take(id: number): void {
    this.#used.add(id);
    if (this.#heap[0] === id) this.#pop();
    if (id === this.#next) {
      while (this.#used.has(this.#next)) this.#next++;
    }
  }

  /** Frees `id` for reuse. Idempotent. */
  release(id: number): void {
    if (!this.#used.delete(id)) return;
    if (this.#used.size === 0) {
      // Nothing used: the same answers as from scratch, without the peak's heap of freed IDs.
      this.#heap.length = 0;
      this.#next = 1;
    } else if (id < this.#next) {
      this.#push(id);
    }
  }

  #clean(): void {
    while (this.#heap.length > 0 && this.#used.has(this.#heap[0] as number)) this.#pop();
  }

  #push(v: number): void {
    const h = this.#heap;
    let i = h.length;
    h.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = h[p] as number;
      if (pv <= v) break;
      h[i] = pv;
      i = p;
    }
    h[i] = v;
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop();
    if (last === undefined || h.length === 0) return;
    let i = 0;
    const n = h.length;
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (h[r] as number) < (h[l] as number) ? r : l;
      if ((h[c] as number) >= last) break;
      h[i] = h[c] as number;
      i = c;
    }
    h[i] = last;
  }
}
