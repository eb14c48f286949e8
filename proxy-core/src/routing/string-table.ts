/**
 * An immutable open-addressing hash table from strings to values, probed with a range of a larger
 * string and a hash the caller computed while scanning that string. This is what lets a lookup
 * try "/a", "/a/b", "/a/b/c" of one request path, or the host part of `Example.COM:8080`, without
 * creating a substring: the request path allocates nothing.
 */

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units; `hashStep` is the same step inlined by the scanners. */
export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Host hashes fold ASCII upper case, so `Example.COM` and `example.com` probe the same slot. */
export function hashFolded(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h;
}

export class StringTable<V> {
  readonly size: number;
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly keys: (string | undefined)[];
  private readonly values: (V | undefined)[];

  /** Precondition: `entries` has unique keys (a Map guarantees it). Load factor stays at most 1/2. */
  constructor(entries: ReadonlyMap<string, V>) {
    let capacity = 2;
    while (capacity < entries.size * 2) capacity *= 2;
    this.size = entries.size;
    this.mask = capacity - 1;
    this.hashes = new Int32Array(capacity);
    this.keys = Array.from({ length: capacity }, () => undefined);
    this.values = Array.from({ length: capacity }, () => undefined);
    for (const [key, value] of entries) {
      const h = hashString(key);
      let i = h & this.mask;
      while (this.keys[i] !== undefined) i = (i + 1) & this.mask;
      this.hashes[i] = h;
      this.keys[i] = key;
      this.values[i] = value;
    }
  }

  /** The value whose key equals `s.slice(0, length)`; `h` is `hashString` of that prefix. */
  getPrefix(s: string, length: number, h: number): V | undefined {
    const { mask, hashes, keys } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const key = keys[i];
      if (key === undefined) return undefined;
      if (hashes[i] === h && key.length === length && s.startsWith(key)) return this.values[i];
    }
  }

  /**
   * The value whose key equals `s[start, end)` with ASCII upper case folded to lower case; `h` is
   * `hashFolded(s, start, end)`. Keys are stored lower case.
   */
  getFolded(s: string, start: number, end: number, h: number): V | undefined {
    const { mask, hashes, keys } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const key = keys[i];
      if (key === undefined) return undefined;
      if (hashes[i] === h && key.length === end - start && equalsFolded(key, s, start)) return this.values[i];
    }
  }

  /** Every entry, in slot order (for tests and `show`-style dumps, not for the request path). */
  *entries(): IterableIterator<[string, V]> {
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i];
      if (key !== undefined) yield [key, this.values[i] as V];
    }
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
