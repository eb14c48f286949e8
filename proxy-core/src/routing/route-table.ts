/**
 * The compiled, immutable route table of one route map: what a worker consults for every request.
 * Built by `RouteTableBuilder` at change time; a map swap replaces the whole object, so a request
 * sees the old table or the new one, never a mix.
 */
import { matchHostRoutes, type HostRoutes, type Route } from './host-routes.ts';
import { getFolded, hashFolded, StringTable, type Slots } from './string-table.ts';

/**
 * No route: the caller uses the frontend's `default_backend`, or answers 404 without one.
 * `no-host`: no exact, wildcard or `*` entries cover the host. `no-path`: the host has entries but
 * none matches the path (Kubernetes: such a request does not fall through to a wildcard).
 */
export interface RouteMiss {
  readonly kind: 'no-host' | 'no-path';
  readonly backend: null;
  readonly guid: undefined;
}

export type RouteResult = Route | RouteMiss;

export const NO_HOST: RouteMiss = Object.freeze({ kind: 'no-host', backend: null, guid: undefined });
export const NO_PATH: RouteMiss = Object.freeze({ kind: 'no-path', backend: null, guid: undefined });

export interface RouteTableParts {
  /** Exact hosts, lower case, e.g. `example.com`. Never written once given here. */
  readonly exact: StringTable<HostRoutes>;
  /** One-label wildcards keyed by their suffix with the leading dot: `*.example.com` → `.example.com`. */
  readonly wildcard: StringTable<HostRoutes>;
  /** The `*` host, or null. */
  readonly any: HostRoutes | null;
  /** Number of distinct routes (entries shadowed by an earlier duplicate are not counted). */
  readonly size: number;
}

export class RouteTable {
  readonly size: number;
  readonly hostCount: number;
  private readonly exact: Slots;
  private readonly exactMask: number;
  private readonly wildcard: Slots;
  private readonly wildcardMask: number;
  private readonly hasWildcards: boolean;
  private readonly any: HostRoutes | null;

  constructor(parts: RouteTableParts) {
    ({ slots: this.exact, mask: this.exactMask } = parts.exact.raw);
    ({ slots: this.wildcard, mask: this.wildcardMask } = parts.wildcard.raw);
    this.hasWildcards = parts.wildcard.size > 0;
    this.any = parts.any;
    this.size = parts.size;
    this.hostCount = parts.exact.size + parts.wildcard.size + (parts.any === null ? 0 : 1);
  }

  /**
   * Routes one request. Allocates nothing.
   * - `host`: the Host header value (or the authority of an absolute-form target), trimmed; any
   *   case; a port (`example.com:8080`, `[::1]:8080`) is ignored; '' when the request has none.
   * - `target`: the request target in origin form (`/path?query`). The query is ignored; the path
   *   is compared byte for byte, percent-escapes included (no decoding, no dot-segment removal).
   */
  lookup(host: string, target: string): RouteResult {
    let hostEnd = host.length;
    if (hostEnd > 0 && host.charCodeAt(0) === 0x5b /* [ */) {
      const close = host.indexOf(']');
      if (close > 0) hostEnd = close + 1;
    } else {
      const colon = host.indexOf(':');
      if (colon >= 0) hostEnd = colon;
    }
    let routes = getFolded(this.exact, this.exactMask, host, 0, hostEnd, hashFolded(host, 0, hostEnd)) as HostRoutes | undefined;
    if (routes === undefined && this.hasWildcards) {
      // `*.example.com` covers exactly one non-empty label before `.example.com`.
      const dot = host.indexOf('.');
      if (dot > 0 && dot < hostEnd - 1) {
        const h = hashFolded(host, dot, hostEnd);
        routes = getFolded(this.wildcard, this.wildcardMask, host, dot, hostEnd, h) as HostRoutes | undefined;
      }
    }
    if (routes === undefined) {
      if (this.any === null) return NO_HOST;
      routes = this.any;
    }
    const query = target.indexOf('?');
    return matchHostRoutes(routes, target, query < 0 ? target.length : query) ?? NO_PATH;
  }

  /** An empty table: every request gets `no-host`. */
  static readonly EMPTY: RouteTable = new RouteTable({ exact: new StringTable(), wildcard: new StringTable(), any: null, size: 0 });
}

export type { Route } from './host-routes.ts';
