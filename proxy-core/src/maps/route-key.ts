/**
 * Route map keys and values (docs/design.md, "Routing maps"): key `<match>:<host><path>`,
 * value `<backend-name>[ <route-guid>]`. Pure validation; the error texts follow HAProxy's
 * style for map errors (`add map` prints them with a final period).
 */

export type RouteMatch = 'exact' | 'prefix';

export interface RouteKey {
  readonly match: RouteMatch;
  /** Lower-case exact host, `*.suffix` (one-label wildcard) or `*` (any host). */
  readonly host: string;
  readonly path: string;
}

export interface RouteValue {
  readonly backend: string;
  readonly guid: string | undefined;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const EXACT_HOST = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const WILDCARD_HOST = new RegExp(`^\\*\\.${LABEL}(?:\\.${LABEL})*$`);
/** Printable ASCII without blanks: a key is one CLI word, a path has no spaces. */
const PATH = /^\/[\x21-\x7e]*$/;
/** HAProxy's invalid_char(): names and GUIDs use [A-Za-z0-9._:-]. */
const NAME = /^[A-Za-z0-9._:-]+$/;

export function parseRouteKey(key: string): Checked<RouteKey> {
  const colon = key.indexOf(':');
  const match = colon === -1 ? '' : key.slice(0, colon);
  if (match !== 'exact' && match !== 'prefix') {
    return { ok: false, error: `invalid route key '${key}': expects 'exact:' or 'prefix:' followed by <host><path>` };
  }
  const rest = key.slice(colon + 1);
  const slash = rest.indexOf('/');
  if (slash === -1) return { ok: false, error: `invalid route key '${key}': the path must start with '/'` };
  const host = rest.slice(0, slash);
  const path = rest.slice(slash);
  if (host.length > 253 || !(host === '*' || EXACT_HOST.test(host) || WILDCARD_HOST.test(host))) {
    return { ok: false, error: `invalid route key '${key}': invalid host '${host}' (lower-case name, '*.<domain>' or '*')` };
  }
  if (!PATH.test(path)) return { ok: false, error: `invalid route key '${key}': invalid path '${path}'` };
  return { ok: true, value: { match, host, path } };
}

export function parseRouteValue(value: string): Checked<RouteValue> {
  const words = value.split(' ');
  const [backend, guid, extra] = words;
  const bad = (why: string): Checked<RouteValue> => ({ ok: false, error: `invalid route value '${value}': ${why}` });
  if (backend === undefined || backend === '' || extra !== undefined) return bad('expects <backend>[ <route-guid>]');
  if (!NAME.test(backend)) return bad(`invalid backend name '${backend}'`);
  if (guid !== undefined) {
    if (guid.length === 0 || guid.length > 127) return bad('invalid length');
    const c = [...guid].find((ch) => !NAME.test(ch));
    if (c !== undefined) return bad(`invalid character '${c}'`);
  }
  return { ok: true, value: { backend, guid } };
}
