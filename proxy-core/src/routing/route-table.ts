/**
 * The compiled, immutable route table of one route map: what a worker consults for every request.
 * Built by `RouteTableBuilder` at change time; a map swap replaces the whole object, so a request
 * sees the old table or the new one, never a mix.
 */
import { HostRoutes, type Route } from './host-routes.ts';
import { hashFolded, StringTable } from './string-table.ts';

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
  /** Exact hosts, lower case, e.g. `example.com`. */
  readonly exact: ReadonlyMap<string, HostRoutes>;
  /** One-label wildcards keyed by their suffix with the leading dot: `*.example.com` → `.example.com`. */
  readonly wildcard: ReadonlyMap<string, HostRoutes>;
  /** The `*` host, or null. */
  readonly any: HostRoutes | null;
}

export class RouteTable {
  /** Number of distinct routes (entries shadowed by an earlier duplicate are not counted). */
  readonly size: number;
  readonly hostCount: number;
  private readonly exact: StringTable<HostRoutes>;
  private readonly wildcard: StringTable<HostRoutes>;
  private readonly any: HostRoutes | null;

  constructor(parts: RouteTableParts) {
    this.exact = new StringTable(parts.exact);
    this.wildcard = new StringTable(parts.wildcard);
    this.any = parts.any;
    let size = parts.any?.size ?? 0;
    for (const h of parts.exact.values()) size += h.size;
    for (const h of parts.wildcard.values()) size += h.size;
    this.size = size;
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
    let routes = this.exact.getFolded(host, 0, hostEnd, hashFolded(host, 0, hostEnd));
    if (routes === undefined && this.wildcard.size > 0) {
      // `*.example.com` covers exactly one non-empty label before `.example.com`.
      const dot = host.indexOf('.');
      if (dot > 0 && dot < hostEnd - 1) routes = this.wildcard.getFolded(host, dot, hostEnd, hashFolded(host, dot, hostEnd));
    }
    if (routes === undefined) {
      if (this.any === null) return NO_HOST;
      routes = this.any;
    }
    const query = target.indexOf('?');
    return routes.match(target, query < 0 ? target.length : query) ?? NO_PATH;
  }

  /** An empty table: every request gets `no-host`. */
  static readonly EMPTY: RouteTable = new RouteTable({ exact: new Map(), wildcard: new Map(), any: null });
}

export type { Route } from './host-routes.ts';
