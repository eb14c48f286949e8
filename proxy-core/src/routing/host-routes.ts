/**
 * The compiled routes of one host (an exact host, a wildcard suffix, or `*`): one table of Exact
 * paths and one of normalized Prefix paths. Matching walks the request path once, left to right,
 * and probes the Prefix table at every element boundary, so a lookup costs O(path length) with
 * at most (segments + 1) probes, whatever the number of routes.
 */
import type { RouteEntry } from './route-entry.ts';
import { FNV_OFFSET, FNV_PRIME, getPrefix, HASH_MASK, StringTable, type Slots } from './string-table.ts';

/** A matched route: everything the data plane, access log and metrics need, precomputed. */
export interface Route {
  readonly kind: 'route';
  readonly backend: string;
  readonly guid: string | undefined;
  readonly match: RouteEntry['match'];
  /** The route-map key that matched, as written. */
  readonly key: string;
}

export class HostRoutes {
  /** Number of distinct (match, path) routes of this host. */
  readonly size: number;
  /** Raw table layouts (see string-table.ts); null when the host has no route of that kind. */
  private readonly exact: Slots | null;
  private readonly exactMask: number;
  private readonly prefix: Slots | null;
  private readonly prefixMask: number;
  /** Length of the longest normalized Prefix path: boundaries past it cannot match a Prefix. */
  private readonly maxPrefixLength: number;
  /**
   * Bit (length mod 32) is set when some Prefix (or Exact) path has that length. A boundary whose
   * bit is clear cannot match, so its probe, and the cache miss into the table, is skipped.
   */
  private readonly prefixLengths: number;
  private readonly exactLengths: number;

  /**
   * Precondition: `entries` all belong to this host, in map order. When two entries have the same
   * match kind and normalized path (`prefix:/foo` and `prefix:/foo/`), the first one wins, as the
   * first of duplicate keys does in HAProxy maps.
   */
  constructor(entries: Iterable<RouteEntry>) {
    const exact = new Map<string, Route>();
    const prefix = new Map<string, Route>();
    let maxPrefixLength = -1;
    let prefixLengths = 0;
    let exactLengths = 0;
    for (const e of entries) {
      const target = e.match === 'exact' ? exact : prefix;
      if (target.has(e.matchPath)) continue;
      if (e.match === 'exact') exactLengths |= 1 << (e.matchPath.length & 31);
      else prefixLengths |= 1 << (e.matchPath.length & 31);
      target.set(e.matchPath, Object.freeze({ kind: 'route', backend: e.backend, guid: e.guid, match: e.match, key: e.key }));
      if (e.match === 'prefix' && e.matchPath.length > maxPrefixLength) maxPrefixLength = e.matchPath.length;
    }
    this.size = exact.size + prefix.size;
    const exactTable = new StringTable(exact).raw;
    const prefixTable = new StringTable(prefix).raw;
    this.exact = exact.size > 0 ? exactTable.slots : null;
    this.exactMask = exactTable.mask;
    this.prefix = prefix.size > 0 ? prefixTable.slots : null;
    this.prefixMask = prefixTable.mask;
    this.maxPrefixLength = maxPrefixLength;
    this.prefixLengths = prefixLengths;
    this.exactLengths = exactLengths;
  }

  /**
   * The best route for `target[0, end)` or null. `end` excludes the query string. Exact matches
   * the whole path, so when one exists it is the longest possible match and wins; otherwise the
   * longest Prefix whose elements are a prefix of the path's elements.
   */
  match(target: string, end: number): Route | null {
    const { exact, prefix, prefixMask, prefixLengths } = this;
    const limit = prefix === null ? -1 : this.maxPrefixLength;
    const exactPossible = exact !== null && (this.exactLengths & (1 << (end & 31))) !== 0;
    // When no Exact route can match, the scan stops once no Prefix is long enough to match further.
    const scanEnd = exactPossible ? end : Math.min(end, limit + 1);
    let best: Route | null = null;
    let h = FNV_OFFSET;
    for (let i = 0; i < scanEnd; i++) {
      const c = target.charCodeAt(i);
      // A '/' at i closes the element boundary target[0, i): `/foo` matches `/foo/bar` here.
      if (c === 0x2f && i <= limit && (prefixLengths & (1 << (i & 31))) !== 0) {
        best = (getPrefix(prefix as Slots, prefixMask, target, i, h & HASH_MASK) as Route | undefined) ?? best;
      }
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    if (scanEnd < end) return best;
    h &= HASH_MASK;
    if (exactPossible) {
      const hit = getPrefix(exact as Slots, this.exactMask, target, end, h) as Route | undefined;
      if (hit !== undefined) return hit;
    }
    if (end <= limit && (prefixLengths & (1 << (end & 31))) !== 0) {
      best = (getPrefix(prefix as Slots, prefixMask, target, end, h) as Route | undefined) ?? best;
    }
    return best;
  }
}
