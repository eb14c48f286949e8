/**
 * The format of one route-map entry (docs/design.md, "Routing maps"): key `<match>:<host><path>`,
 * value `<backend>[ <route-guid>]`. The runtime map commands call `parseRouteEntry` to validate an
 * `add map` / `set map` on a route map; the route table builder takes only parsed entries.
 */
import { routingError, type RoutingError } from './routing-errors.ts';

export type MatchKind = 'exact' | 'prefix';

/** `exact`: `example.com`; `wildcard`: `*.example.com` (one label); `any`: `*`. */
export type HostKind = 'exact' | 'wildcard' | 'any';

export interface RouteKey {
  /** The key as written, e.g. `prefix:*.example.com/api/`. */
  readonly key: string;
  readonly match: MatchKind;
  readonly hostKind: HostKind;
  /** The host as written (`example.com`, `*.example.com`, `*`). */
  readonly host: string;
  /** The path as written. */
  readonly path: string;
  /**
   * The path the table matches on. Exact: the path itself. Prefix: the path without one trailing
   * `/`, so `/foo/` matches as `/foo`, and `/` becomes the empty prefix that matches every path.
   */
  readonly matchPath: string;
}

export interface RouteValue {
  readonly backend: string;
  /** The route GUID carried into access logs and metrics; undefined when the value has none. */
  readonly guid: string | undefined;
}

export interface RouteEntry extends RouteKey, RouteValue {}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RoutingError };

export const MAX_ROUTE_KEY_LENGTH = 4096;
/** GUID_MAX_LEN of HAProxy. */
const MAX_GUID_LENGTH = 127;
/** `<namespace>_<service>_<port>` reaches 63 + 1 + 63 + 1 + 15 characters, so names get more room than GUIDs. */
const MAX_BACKEND_LENGTH = 255;
const MAX_HOST_LENGTH = 253;

export function parseRouteKey(key: string): Parsed<RouteKey> {
  if (key.length > MAX_ROUTE_KEY_LENGTH) return fail('PXY_ERR_ROUTE_KEY_TOO_LONG', key);
  let match: MatchKind;
  let rest: string;
  if (key.startsWith('exact:')) {
    match = 'exact';
    rest = key.slice(6);
  } else if (key.startsWith('prefix:')) {
    match = 'prefix';
    rest = key.slice(7);
  } else {
    return fail('PXY_ERR_ROUTE_KEY_MATCH', key);
  }
  const slash = rest.indexOf('/');
  if (slash < 0) return fail('PXY_ERR_ROUTE_KEY_NO_PATH', key);
  const host = rest.slice(0, slash);
  const path = rest.slice(slash);
  const hostKind = classifyHost(host);
  if (hostKind === null) return fail('PXY_ERR_ROUTE_KEY_HOST', key);
  if (!isValidPath(path)) return fail('PXY_ERR_ROUTE_KEY_PATH', key);
  const matchPath = match === 'prefix' && path.endsWith('/') ? path.slice(0, -1) : path;
  return { ok: true, value: { key, match, hostKind, host, path, matchPath } };
}

export function parseRouteValue(value: string): Parsed<RouteValue> {
  const parts = value.split(' ');
  if (parts.length > 2 || parts.some((p) => p === '')) return fail('PXY_ERR_ROUTE_VALUE_FORMAT', value);
  const [backend = '', guid] = parts;
  if (!isValidName(backend, MAX_BACKEND_LENGTH)) return fail('PXY_ERR_ROUTE_VALUE_BACKEND', value);
  if (guid !== undefined && !isValidName(guid, MAX_GUID_LENGTH)) return fail('PXY_ERR_ROUTE_VALUE_GUID', value);
  return { ok: true, value: { backend, guid } };
}

/** Parses both halves; the key is checked first, so a bad key is the error reported. */
export function parseRouteEntry(key: string, value: string): Parsed<RouteEntry> {
  const k = parseRouteKey(key);
  if (!k.ok) return k;
  const v = parseRouteValue(value);
  if (!v.ok) return v;
  return { ok: true, value: { ...k.value, ...v.value } };
}

function fail(code: RoutingError['code'], input: string): { ok: false; error: RoutingError } {
  return { ok: false, error: routingError(code, input) };
}

/** Kubernetes' own host rules: RFC 1123 subdomain, or `*.` followed by one. */
function classifyHost(host: string): HostKind | null {
  if (host === '*') return 'any';
  if (host.startsWith('*.')) return isDnsSubdomain(host.slice(2)) ? 'wildcard' : null;
  return isDnsSubdomain(host) ? 'exact' : null;
}

function isDnsSubdomain(s: string): boolean {
  if (s.length === 0 || s.length > MAX_HOST_LENGTH) return false;
  let labelStart = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e /* . */) {
      const len = i - labelStart;
      if (len === 0 || len > 63) return false;
      if (s.charCodeAt(labelStart) === 0x2d || s.charCodeAt(i - 1) === 0x2d) return false;
      labelStart = i + 1;
    } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) {
      return false;
    }
  }
  return true;
}

/** Visible ASCII without `?` and `#`: a path that a request target can carry literally. */
function isValidPath(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x3f || c === 0x23) return false;
  }
  return true;
}

/** HAProxy's `invalid_char()` rule for names and GUIDs, bounded in length. */
function isValidName(s: string, maxLength: number): boolean {
  if (s.length === 0 || s.length > maxLength) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
      c === 0x2e || c === 0x3a || c === 0x5f || c === 0x2d;
    if (!ok) return false;
  }
  return true;
}
