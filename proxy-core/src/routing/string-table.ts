/**
 * An open-addressing hash table from strings to values, probed with a range of a larger string
 * and a hash the caller computed while scanning that string. This is what lets a lookup try "/a",
 * "/a/b", "/a/b/c" of one request path, or the host part of `Example.COM:8080`, without creating
 * a substring: the request path allocates nothing.
 *
 * Layout: one flat array of [hash, key, value] triples, linear probing, load factor at most 1/2,
 * so a probe usually touches one cache line. Hashes are kept to 30 bits so they stay small
 * integers (V8 "Smis") inside the plain array. Tables are mutable only while a builder owns them;
 * once a RouteTable holds one, nothing writes to it again (builders `clone()` first).
 */

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;
/** Applied to every FNV-1a state before it is stored or compared. */
export const HASH_MASK = 0x3fffffff;

/** FNV-1a over UTF-16 code units, masked; the scanners inline the same steps. */
export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h & HASH_MASK;
}

/** Host hashes fold ASCII upper case, so `Example.COM` and `example.com` probe the same slot. */
export function hashFolded(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h & HASH_MASK;
}

/** Slots are `[hash, key, value]`; an empty slot has key `undefined`. */
export type Slots = unknown[];

export class StringTable<V> {
  private count = 0;
  private mask = 1;
  private slots: Slots = emptySlots(2);

  constructor(entries?: Iterable<readonly [string, V]>) {
    if (entries !== undefined) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.count;
  }

  /** The raw layout, read by the scanners of the request path. Never written after publication. */
  get raw(): { readonly slots: Slots; readonly mask: number } {
    return { slots: this.slots, mask: this.mask };
  }

  /** A copy that can be edited while this table keeps serving. O(capacity), a memcpy in practice. */
  clone(): StringTable<V> {
    const t = new StringTable<V>();
    t.count = this.count;
    t.mask = this.mask;
    t.slots = this.slots.slice();
    return t;
  }

  /** Change-time lookup; it has its own loop so that it does not share type feedback with the request path. */
  get(key: string): V | undefined {
    const { slots, mask } = this;
    for (let i = hashString(key) & mask; ; i = (i + 1) & mask) {
      const k = slots[i * 3 + 1];
      if (k === undefined) return undefined;
      if (k === key) return slots[i * 3 + 2] as V;
    }
  }

  /** Inserts or replaces. Precondition: the table is not published yet. */
  set(key: string, value: V): void {
    const h = hashString(key);
    const { slots, mask } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = slots[i * 3 + 1];
      if (k === undefined) break;
      if (k === key) {
        slots[i * 3 + 2] = value;
        return;
      }
    }
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    this.insertNew(h, flat(key), value);
    this.count++;
  }

  /** Removes `key` with backward-shift deletion (no tombstones). Precondition: not published. */
  delete(key: string): boolean {
    const { slots, mask } = this;
    let i = hashString(key) & mask;
    for (; ; i = (i + 1) & mask) {
      const k = slots[i * 3 + 1];
      if (k === undefined) return false;
      if (k === key) break;
    }
    // Shift later members of the probe run back into the hole while they may live there.
    for (let j = (i + 1) & mask; slots[j * 3 + 1] !== undefined; j = (j + 1) & mask) {
      const home = (slots[j * 3] as number) & mask;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      slots[i * 3] = slots[j * 3];
      slots[i * 3 + 1] = slots[j * 3 + 1];
      slots[i * 3 + 2] = slots[j * 3 + 2];
      i = j;
    }
    slots[i * 3] = 0;
    slots[i * 3 + 1] = undefined;
    slots[i * 3 + 2] = undefined;
    this.count--;
    return true;
  }

  *entries(): IterableIterator<[string, V]> {
    for (let i = 0; i <= this.mask; i++) {
      const k = this.slots[i * 3 + 1];
      if (k !== undefined) yield [k as string, this.slots[i * 3 + 2] as V];
    }
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = emptySlots(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < old.length; i += 3) {
      if (old[i + 1] !== undefined) this.insertNew(old[i] as number, old[i + 1] as string, old[i + 2]);
    }
  }

  private insertNew(h: number, key: string, value: unknown): void {
    const { slots, mask } = this;
    let i = h & mask;
    while (slots[i * 3 + 1] !== undefined) i = (i + 1) & mask;
    slots[i * 3] = h;
    slots[i * 3 + 1] = key;
    slots[i * 3 + 2] = value;
  }
}

function emptySlots(capacity: number): Slots {
  // Sized once, so the array's storage is exactly the slots (push would over-allocate); filled, so
  // V8 marks it PACKED like every table array (one array shape keeps the request path monomorphic).
  const slots: Slots = new Array(capacity * 3).fill(undefined);
  for (let i = 0; i < capacity; i++) slots[i * 3] = 0;
  return slots;
}

/**
 * A copy of `s` in one piece. Keys often come from `slice()` of a longer map key, which V8 keeps
 * as a view into that string; comparing against a view costs the request path one more cache miss.
 */
function flat(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** The value whose key equals `s.slice(0, length)`; `h` is the masked FNV-1a of that prefix. */
export function getPrefix(slots: Slots, mask: number, s: string, length: number, h: number): unknown {
  return getPrefixAt(slots, 0, mask, s, length, h);
}

/** As `getPrefix`, for a table whose triples start at `slots[base]` inside a larger array. */
export function getPrefixAt(slots: Slots, base: number, mask: number, s: string, length: number, h: number): unknown {
  for (let i = h & mask; ; i = (i + 1) & mask) {
    const at = base + i * 3;
    const key = slots[at + 1] as string | undefined;
    if (key === undefined) return undefined;
    if (slots[at] === h && key.length === length && s.startsWith(key)) return slots[at + 2];
  }
}

/**
 * The value whose key equals `s[start, end)` with ASCII upper case folded to lower case; `h` is
 * `hashFolded(s, start, end)`. Keys are stored lower case.
 */
export function getFolded(slots: Slots, mask: number, s: string, start: number, end: number, h: number): unknown {
  for (let i = h & mask; ; i = (i + 1) & mask) {
    const key = slots[i * 3 + 1] as string | undefined;
    if (key === undefined) return undefined;
    if (slots[i * 3] === h && key.length === end - start && equalsFolded(key, s, start)) return slots[i * 3 + 2];
  }
}

function equalsFolded(key: string, s: string, start: number): boolean {
  for (let j = 0; j < key.length; j++) {
    let c = s.charCodeAt(start + j);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== key.charCodeAt(j)) return false;
  }
  return true;
}
