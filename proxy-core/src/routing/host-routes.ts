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
   * Precondition: `entries` all belong to this host, in map order. When two entries have the same
   * match kind and normalized path (`prefix:/foo` and `prefix:/foo/`), the first one wins, as the
   * first of duplicate keys does in HAProxy maps.
   */
  constructor(entries: Iterable<RouteEntry>) {
    const exact = new Map<string, Route>();
    const prefix = new Map<string, Route>();
    let maxPrefixLength = -1;
    for (const e of entries) {
      const target = e.match === 'exact' ? exact : prefix;
      if (target.has(e.matchPath)) continue;
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
  }

  /**
   * The best route for `target[0, end)` or null. `end` excludes the query string. Exact matches
   * the whole path, so when one exists it is the longest possible match and wins; otherwise the
   * longest Prefix whose elements are a prefix of the path's elements.
   */
  match(target: string, end: number): Route | null {
    const { exact, prefix, prefixMask } = this;
    const limit = prefix === null ? -1 : this.maxPrefixLength;
    // Without Exact routes the scan can stop once no Prefix is long enough to match further.
    const scanEnd = exact === null ? Math.min(end, limit + 1) : end;
    let best: Route | null = null;
    let h = FNV_OFFSET;
    for (let i = 0; i < scanEnd; i++) {
      const c = target.charCodeAt(i);
      // A '/' at i closes the element boundary target[0, i): `/foo` matches `/foo/bar` here.
      if (c === 0x2f && i <= limit) {
        best = (getPrefix(prefix as Slots, prefixMask, target, i, h & HASH_MASK) as Route | undefined) ?? best;
      }
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    if (scanEnd < end) return best;
    h &= HASH_MASK;
    if (exact !== null) {
      const hit = getPrefix(exact, this.exactMask, target, end, h) as Route | undefined;
      if (hit !== undefined) return hit;
    }
    if (end <= limit) best = (getPrefix(prefix as Slots, prefixMask, target, end, h) as Route | undefined) ?? best;
    return best;
  }
}
