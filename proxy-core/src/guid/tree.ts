/**
 * The GUID tree: one namespace shared by proxies, listeners and servers (HAProxy's `guid_tree`).
 * Keys are compared case-sensitively, byte for byte. The tree never owns objects: each owner
 * carries its key in `guid` and the tree maps the key back to the owner.
 *
 * The tree is mutated only from inside the model's writer section (see model/model.ts); lookups
 * are plain synchronous reads on the main thread, which is the read side of the guard.
 */

export const GUID_MAX_LEN = 127;

/** Anything that can hold a GUID. `guidName` is HAProxy's `guid_name()` text for duplicates. */
export interface GuidOwner {
  guid: string | null;
  readonly guidName: string;
}

function isGuidChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x2e || c === 0x3a || c === 0x5f || c === 0x2d;
}

/** UTF-8 byte length: HAProxy counts bytes, not UTF-16 units. */
function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Each half of a surrogate pair counts 2, so a pair counts the 4 bytes it encodes to.
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return n;
}

/**
 * HAProxy's `guid_is_valid_fmt`: the length (1..127) is checked before the characters.
 * Returns null when valid, else `invalid length` or `invalid character '<c>'`.
 */
export function checkGuidFormat(key: string): string | null {
  const len = byteLength(key);
  if (len === 0 || len > GUID_MAX_LEN) return 'invalid length';
  for (let i = 0; i < key.length; i++) {
    if (!isGuidChar(key.charCodeAt(i))) {
      const cp = key.codePointAt(i) ?? 0;
      return `invalid character '${String.fromCodePoint(cp)}'`;
    }
  }
  return null;
}

export class GuidTree {
  readonly #byKey = new Map<string, GuidOwner>();

  /**
   * What `insert` would answer, without reserving anything: null when `key` can be inserted
   * for `owner`, else the error text (format first, then duplicate).
   */
  check(key: string, owner?: GuidOwner): string | null {
    const bad = checkGuidFormat(key);
    if (bad !== null) return bad;
    const holder = this.#byKey.get(key);
    if (holder !== undefined && holder !== owner) return `duplicate entry with ${holder.guidName}`;
    return null;
  }

  /**
   * Inserts `key` for `owner`. Precondition: `owner.guid` is null (a second GUID on one owner
   * is refused by the parsers, so a key is never leaked). On failure nothing is reserved and
   * `owner.guid` stays null; returns the error text, or null on success.
   */
  insert(owner: GuidOwner, key: string): string | null {
    if (owner.guid !== null) return `duplicate entry with ${owner.guidName}`;
    const err = this.check(key, owner);
    if (err !== null) return err;
    this.#byKey.set(key, owner);
    owner.guid = key;
    return null;
  }

  /** Idempotent; removes the key only if this owner holds it, never another owner's entry. */
  remove(owner: GuidOwner): void {
    const key = owner.guid;
    if (key === null) return;
    if (this.#byKey.get(key) === owner) this.#byKey.delete(key);
    owner.guid = null;
  }

  lookup(key: string): GuidOwner | undefined {
    return this.#byKey.get(key);
  }

  /** Number of keys held; equals the number of owners holding a GUID (invariant). */
  get count(): number {
    return this.#byKey.size;
  }

  entries(): IterableIterator<[string, GuidOwner]> {
    return this.#byKey.entries();
  }
}
