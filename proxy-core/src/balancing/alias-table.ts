/**
 * Walker/Vose alias table: draws an index with probability proportional to its weight in O(1)
 * from one uniform number. Built in O(n) at change time, on plain arrays: a typed array's store
 * lives in the C heap, and one per change fragments it (balancing/round-robin.ts says more).
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: number[];
  private readonly alias: number[];

  /** Precondition: every weight is > 0. */
  constructor(weights: readonly number[]) {
    const n = weights.length;
    this.size = n;
    this.prob = new Array<number>(n).fill(0);
    this.alias = new Array<number>(n).fill(0);
    const total = weights.reduce((a, b) => a + b, 0);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.prob[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    // What is left is 1 up to rounding error.
    for (const i of [...small, ...large]) {
      this.prob[i] = 1;
      this.alias[i] = i;
    }
  }

  /** An index drawn by weight. `u` is uniform in [0, 1). */
  draw(u: number): number {
    const x = u * this.size;
    const i = Math.floor(x);
    return x - i < (this.prob[i] as number) ? i : (this.alias[i] as number);
  }
}
