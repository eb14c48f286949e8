/**
 * The compiled routes of one host (an exact host, a wildcard suffix, or `*`): a table of Exact
 * paths and a table of normalized Prefix paths. Matching walks the request path once, left to
 * right, and probes the Prefix table at every element boundary, so a lookup costs O(path length)
 * with at most (segments + 1) probes, whatever the number of routes.
 *
 * Layout: everything lives in ONE flat array (a small header, then the Exact triples, then the
 * Prefix triples, see string-table.ts), which is what the host index points to. At 100 000 routes
 * the lookup is bound by cache misses; one array instead of an object holding two arrays saves
 * three dependent misses per request.
 */
import type { RouteEntry } from './route-entry.ts';
import { FNV_OFFSET, FNV_PRIME, getPrefixAt, HASH_MASK, StringTable, type Slots } from './string-table.ts';

/** A matched route: everything the data plane, access log and metrics need, precomputed. */
export interface Route {
  readonly kind: 'route';
  readonly backend: string;
  readonly guid: string | undefined;
  readonly match: RouteEntry['match'];
  /** The route-map key that matched, as written. */
  readonly key: string;
}

/** One host's compiled routes; never written after `compileHostRoutes` returns it. */
export type HostRoutes = Slots & { readonly __hostRoutes: true };

// Header fields of the flat array.
/** Distinct (match, path) routes of the host. */
const SIZE = 0;
/** Mask of the Exact table, -1 when the host has no Exact route. */
const EXACT_MASK = 1;
/** Mask of the Prefix table, -1 when the host has no Prefix route. */
const PREFIX_MASK = 2;
/** Where the Prefix triples start (the Exact ones start at HEADER). */
const PREFIX_BASE = 3;
/** Length of the longest normalized Prefix path: boundaries past it cannot match a Prefix. */
const MAX_PREFIX = 4;
/**
 * Bit (length mod 32) is set when some Prefix (resp. Exact) path has that length. A boundary whose
 * bit is clear cannot match, so its probe, and the cache miss into the table, is skipped.
 */
const PREFIX_LENGTHS = 5;
const EXACT_LENGTHS = 6;
const HEADER = 7;

/**
 * Precondition: `entries` all belong to this host, in map order. When two entries have the same
 * match kind and normalized path (`prefix:/foo` and `prefix:/foo/`), the first one wins, as the
 * first of duplicate keys does in HAProxy maps.
 */
export function compileHostRoutes(entries: Iterable<RouteEntry>): HostRoutes {
  const exact = new StringTable<Route>();
  const prefix = new StringTable<Route>();
  let maxPrefix = -1;
  let prefixLengths = 0;
  let exactLengths = 0;
  for (const e of entries) {
    const table = e.match === 'exact' ? exact : prefix;
    if (table.get(e.matchPath) !== undefined) continue;
    table.set(e.matchPath, Object.freeze({ kind: 'route', backend: e.backend, guid: e.guid, match: e.match, key: e.key }));
    if (e.match === 'exact') exactLengths |= 1 << (e.matchPath.length & 31);
    else {
      prefixLengths |= 1 << (e.matchPath.length & 31);
      maxPrefix = Math.max(maxPrefix, e.matchPath.length);
    }
  }
  const ex = exact.raw;
  const px = prefix.raw;
  // Filled so that V8 keeps it PACKED like every other table array: one array shape on the request path.
  const out: Slots = new Array(HEADER + ex.slots.length + px.slots.length).fill(undefined);
  out[SIZE] = exact.size + prefix.size;
  out[EXACT_MASK] = exact.size > 0 ? ex.mask : -1;
  out[PREFIX_MASK] = prefix.size > 0 ? px.mask : -1;
  out[PREFIX_BASE] = HEADER + ex.slots.length;
  out[MAX_PREFIX] = prefix.size > 0 ? maxPrefix : -1;
  out[PREFIX_LENGTHS] = prefixLengths;
  out[EXACT_LENGTHS] = exactLengths;
  for (let i = 0; i < ex.slots.length; i++) out[HEADER + i] = ex.slots[i];
  for (let i = 0; i < px.slots.length; i++) out[HEADER + ex.slots.length + i] = px.slots[i];
  return out as HostRoutes;
}

/** Number of distinct routes of a host. */
export function hostRouteCount(routes: HostRoutes): number {
  return routes[SIZE] as number;
}

/**
 * The best route for `target[0, end)` or null. `end` excludes the query string. Exact matches
 * the whole path, so when one exists it is the longest possible match and wins; otherwise the
 * longest Prefix whose elements are a prefix of the path's elements.
 */
export function matchHostRoutes(routes: HostRoutes, target: string, end: number): Route | null {
  const exactMask = routes[EXACT_MASK] as number;
  const prefixMask = routes[PREFIX_MASK] as number;
  const prefixBase = routes[PREFIX_BASE] as number;
  const limit = routes[MAX_PREFIX] as number;
  const prefixLengths = routes[PREFIX_LENGTHS] as number;
  const exactPossible = exactMask >= 0 && ((routes[EXACT_LENGTHS] as number) & (1 << (end & 31))) !== 0;
  // When no Exact route can match, the scan stops once no Prefix is long enough to match further.
  const scanEnd = exactPossible ? end : Math.min(end, limit + 1);
  let best: Route | null = null;
  let h = FNV_OFFSET;
  for (let i = 0; i < scanEnd; i++) {
    const c = target.charCodeAt(i);
    // A '/' at i closes the element boundary target[0, i): `/foo` matches `/foo/bar` here.
    if (c === 0x2f && i <= limit && (prefixLengths & (1 << (i & 31))) !== 0) {
      best = (getPrefixAt(routes, prefixBase, prefixMask, target, i, h & HASH_MASK) as Route | undefined) ?? best;
    }
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  if (scanEnd < end) return best;
  h &= HASH_MASK;
  if (exactPossible) {
    const hit = getPrefixAt(routes, HEADER, exactMask, target, end, h) as Route | undefined;
    if (hit !== undefined) return hit;
  }
  if (end <= limit && (prefixLengths & (1 << (end & 31))) !== 0) {
    best = (getPrefixAt(routes, prefixBase, prefixMask, target, end, h) as Route | undefined) ?? best;
  }
  return best;
}
