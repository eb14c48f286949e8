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
import type { ServerId } from './balancer.ts';

/**
 * Virtual nodes per unit of weight. HAProxy uses 16; 100 keeps a server's share of keys within
 * about ±20 % of its fair share (10 equal servers: 0.82 to 1.14) at 8 bytes per point.
 */
export const POINTS_PER_WEIGHT = 100;
/** The ring never holds more points than this; past it, points per weight shrink for everyone. */
export const MAX_POINTS = 1 << 20;

const BUCKETS = 1 << 16;
/** Points are sorted by position, then owner slot: position·2^21 + slot is exact in a double. */
const PACK = 2097152;

/** A server's hash: a numeric id hashes as `#<id>` (the text such ids had before they were numbers). */
function hashId(id: ServerId): number {
  return hashKey(typeof id === 'number' ? `#${id}` : id);
}

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
  /** The id each slot's points were made from (a deleted server's slot loses its id before we drop them). */
  private ringIds: (ServerId | undefined)[] = [];
  /** bucketStart[b]: index of the first point whose position's top 16 bits are ≥ b (65 537 entries). */
  private bucketStart = new Uint32Array(BUCKETS + 1);
  private perWeight = POINTS_PER_WEIGHT;

  get size(): number {
    return this.positions.length;
  }

  /**
   * Sets each slot's weight (0: not on the ring). `ids[slot]` names the slot's server.
   * Precondition: slots < 2^21; `changed` lists every slot whose weight differs from last time.
   * Cost: O((removed + added points) · log points) to find where they go, plus bulk copies of
   * the unchanged runs between them, plus O(65 536) for the bucket index.
   */
  update(weights: readonly number[], ids: readonly (ServerId | undefined)[], changed: readonly number[]): void {
    const total = weights.reduce((a, b) => a + b, 0);
    const perWeight = total * POINTS_PER_WEIGHT <= MAX_POINTS ? POINTS_PER_WEIGHT : Math.max(1, Math.floor(MAX_POINTS / total));
    let redo: readonly number[] = changed;
    if (perWeight !== this.perWeight) {
      // The scale changed: every server's point count changes, so every server is redone.
      this.perWeight = perWeight;
      redo = [...new Set([...weights.keys(), ...this.ringIds.keys()])];
    }
    if (redo.length === 0) return;
    const slots = [...new Set(redo)];
    // Where the redone servers' current points are (found again from their ids), sorted.
    const removed: number[] = [];
    for (const slot of slots) {
      const count = this.owned[slot] ?? 0;
      const id = this.ringIds[slot];
      if (count === 0 || id === undefined) continue;
      const idHash = hashId(id);
      for (let j = 0; j < count; j++) {
        const i = this.lowerBound(pointHash(idHash, j) * PACK + slot);
        if (this.owners[i] === slot) removed.push(i);
      }
    }
    const gone = Int32Array.from(removed).sort();
    // Two points of one server may share a position (a 32-bit collision): both searches found the
    // first of the equal pair, and the pair is adjacent, so the repeat means the next index.
    for (let k = 1; k < gone.length; k++) if ((gone[k] as number) <= (gone[k - 1] as number)) gone[k] = (gone[k - 1] as number) + 1;
    // Their new points, sorted, packed as position·2^21 + slot in exact doubles.
    const fresh: number[] = [];
    for (const slot of slots) {
      const count = (weights[slot] ?? 0) * perWeight;
      const id = ids[slot];
      this.owned[slot] = id === undefined ? 0 : count;
      this.ringIds[slot] = count > 0 ? id : undefined;
      if (count === 0 || id === undefined) continue;
      const idHash = hashId(id);
      for (let j = 0; j < count; j++) fresh.push(pointHash(idHash, j) * PACK + slot);
    }
    const added = Float64Array.from(fresh).sort();
    this.splice(gone, added);
  }

  /** Rebuilds the arrays without the points at `gone` (sorted indexes) and with `added` (sorted, packed). */
  private splice(gone: Int32Array, added: Float64Array): void {
    const oldPositions = this.positions;
    const oldOwners = this.owners;
    const n = oldPositions.length;
    const positions = new Uint32Array(n - gone.length + added.length);
    const owners = new Int32Array(positions.length);
    // Bucket starts shift by the points removed and added below them.
    const delta = new Int32Array(BUCKETS + 1);
    for (const i of gone) delta[((oldPositions[i] as number) >>> 16) + 1]!--;
    let src = 0;
    let out = 0;
    let r = 0;
    let a = 0;
    while (src < n || a < added.length) {
      const nextGone = r < gone.length ? (gone[r] as number) : n;
      const insertAt = a < added.length ? this.lowerBound(added[a] as number) : n;
      const stop = Math.min(nextGone, insertAt);
      if (stop > src) {
        positions.set(oldPositions.subarray(src, stop), out);
        owners.set(oldOwners.subarray(src, stop), out);
        out += stop - src;
        src = stop;
      }
      if (a < added.length && src === insertAt) {
        const packed = added[a++] as number;
        const slot = packed % PACK;
        const pos = (packed - slot) / PACK;
        positions[out] = pos;
        owners[out++] = slot;
        delta[(pos >>> 16) + 1]!++;
      } else if (r < gone.length && src === nextGone) {
        src++;
        r++;
      }
    }
    this.positions = positions;
    this.owners = owners;
    let shift = 0;
    for (let b = 0; b <= BUCKETS; b++) {
      shift += delta[b] as number;
      this.bucketStart[b] = (this.bucketStart[b] as number) + shift;
    }
  }

  /** First index of the current arrays whose packed (position, owner) is ≥ `packed`. */
  private lowerBound(packed: number): number {
    const positions = this.positions;
    const owners = this.owners;
    let lo = 0;
    let hi = positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((positions[mid] as number) * PACK + (owners[mid] as number) < packed) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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
  lookup(hash: number, eligible: ArrayLike<number>): number {
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
}
