/**
 * A consistent-hash ring with weight-proportional virtual nodes. Each server owns
 * `weight × pointsPerWeight` points whose positions depend only on its id and the point's
 * number, so adding, removing or re-weighting one server moves only the keys on its own arcs
 * (≈ 1/n of them). The ring is two parallel sorted typed arrays; a lookup is a binary search.
 * Updates are incremental: the points of unchanged servers are kept and merged with the new
 * ones in O(points), no full re-sort. A 65 536-entry index by the top 16 bits of a position narrows
 * the binary search to the few points sharing them, so a lookup touches two or three cache lines
 * even when the ring holds a million points.
 */

/**
 * Virtual nodes per unit of weight. HAProxy uses 16; 100 keeps a server's share of keys within
 * about ±20 % of its fair share (10 equal servers: 0.82 to 1.14) at 8 bytes per point.
 */
export const POINTS_PER_WEIGHT = 100;
/** The ring never holds more points than this; past it, points per weight shrink for everyone. */
export const MAX_POINTS = 1 << 20;

const BUCKETS = 1 << 16;

/** FNV-1a then murmur3's finalizer: a well-mixed unsigned 32-bit hash of a string. */
export function hashKey(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Position of point `j` of server `id`. */
function pointHash(idHash: number, j: number): number {
  return fmix32(idHash ^ Math.imul(j + 1, 0x9e3779b9));
}

export class HashRing {
  /** Sorted point positions. */
  private positions = new Uint32Array(0);
  /** Owner slot of each point. */
  private owners = new Int32Array(0);
  /** Points currently owned per slot. */
  private owned: number[] = [];
  /** bucketStart[b]: index of the first point whose position's top 16 bits are ≥ b (65 537 entries). */
  private bucketStart = new Uint32Array(BUCKETS + 1);
  private perWeight = POINTS_PER_WEIGHT;

  get size(): number {
    return this.positions.length;
  }

  /**
   * Sets each slot's weight (0: not on the ring). `ids[slot]` names the slot's server.
   * Precondition: slots < 2^21; `changed` lists every slot whose weight differs from last time.
   */
  update(weights: readonly number[], ids: readonly (string | undefined)[], changed: readonly number[]): void {
    const total = weights.reduce((a, b) => a + b, 0);
    const perWeight = total * POINTS_PER_WEIGHT <= MAX_POINTS ? POINTS_PER_WEIGHT : Math.max(1, Math.floor(MAX_POINTS / total));
    let redo: readonly number[] = changed;
    if (perWeight !== this.perWeight) {
      // The scale changed: every server's point count changes, so rebuild all of them.
      this.perWeight = perWeight;
      redo = weights.map((_, slot) => slot);
    }
    if (redo.length === 0) return;
    const drop = new Set(redo);
    // Points of the servers to redo, sorted, packed as position·2^21 + slot in exact doubles.
    const fresh: number[] = [];
    for (const slot of drop) {
      const count = (weights[slot] ?? 0) * perWeight;
      const id = ids[slot];
      if (count > 0 && id !== undefined) {
        const idHash = hashKey(id);
        for (let j = 0; j < count; j++) fresh.push(pointHash(idHash, j) * 2097152 + slot);
      }
    }
    const added = Float64Array.from(fresh).sort();
    let kept = 0;
    for (let i = 0; i < this.owners.length; i++) if (!drop.has(this.owners[i] as number)) kept++;
    const positions = new Uint32Array(kept + added.length);
    const owners = new Int32Array(kept + added.length);
    let a = 0;
    let out = 0;
    for (let i = 0; i < this.positions.length; i++) {
      const owner = this.owners[i] as number;
      if (drop.has(owner)) continue;
      const pos = this.positions[i] as number;
      while (a < added.length && (added[a] as number) < pos * 2097152 + owner) out = this.emit(positions, owners, out, added[a++] as number);
      positions[out] = pos;
      owners[out++] = owner;
    }
    while (a < added.length) out = this.emit(positions, owners, out, added[a++] as number);
    this.positions = positions;
    this.owners = owners;
    this.indexBuckets();
    for (const slot of drop) this.owned[slot] = (weights[slot] ?? 0) * perWeight;
  }

  /** Index of the first point at or after `hash`, wrapping to 0. Precondition: the ring is not empty. */
  indexOf(hash: number): number {
    const positions = this.positions;
    const bucket = hash >>> 16;
    let lo = this.bucketStart[bucket] as number;
    let hi = this.bucketStart[bucket + 1] as number;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((positions[mid] as number) < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo === positions.length ? 0 : lo;
  }

  /** Owner slot of point `i`. */
  ownerAt(i: number): number {
    return this.owners[i] as number;
  }

  /**
   * The first slot at or after `hash` on the ring (wrapping) whose `eligible[slot]` is 1, or -1.
   * Points of ineligible slots may stay on the ring (a drained server keeps its place and gets
   * its keys back when it returns); the walk steps over them to where the keys would go if the
   * points were removed.
   */
  lookup(hash: number, eligible: Uint8Array): number {
    const n = this.positions.length;
    if (n === 0) return -1;
    for (let i = this.indexOf(hash), steps = 0; steps < n; steps++) {
      const slot = this.owners[i] as number;
      if (eligible[slot] === 1) return slot;
      i = i + 1 === n ? 0 : i + 1;
    }
    return -1;
  }

  /** Points a slot owns now (for tests). */
  pointsOf(slot: number): number {
    return this.owned[slot] ?? 0;
  }

  private indexBuckets(): void {
    const { positions, bucketStart } = this;
    let i = 0;
    for (let b = 0; b <= BUCKETS; b++) {
      while (i < positions.length && (positions[i] as number) >>> 16 < b) i++;
      bucketStart[b] = i;
    }
  }

  private emit(positions: Uint32Array, owners: Int32Array, out: number, packed: number): number {
    const slot = packed % 2097152;
    positions[out] = (packed - slot) / 2097152;
    owners[out] = slot;
    return out + 1;
  }
}
