/**
 * The route lookup of docs/design.md over one map generation, used by `get map` to answer
 * "which entry would this request use". Pure. The data plane keeps its own precomputed index
 * (routing room); this one is a plain scan, fine for an operator command.
 */
import { parseRouteKey, type RouteKey } from './route-key.ts';

export interface LookupEntry {
  readonly key: string;
  readonly value: string;
}

/** `sample` is `<host>[:port]<path>` as a request would present it, e.g. `Example.com:8080/api/x`. */
export function lookupRoute<E extends LookupEntry>(entries: readonly E[], sample: string): E | undefined {
  const slash = sample.indexOf('/');
  const rawHost = slash === -1 ? sample : sample.slice(0, slash);
  const path = slash === -1 ? '/' : sample.slice(slash);
  const host = stripPort(rawHost).toLowerCase();

  const parsed: { entry: E; key: RouteKey }[] = [];
  for (const entry of entries) {
    const k = parseRouteKey(entry.key);
    if (k.ok) parsed.push({ entry, key: k.value });
  }
  const dot = host.indexOf('.');
  const wildcard = dot === -1 ? undefined : `*${host.slice(dot)}`;
  for (const candidate of [host, wildcard, '*']) {
    if (candidate === undefined) continue;
    const forHost = parsed.filter((p) => p.key.host === candidate);
    if (forHost.length === 0) continue;
    // a host that has entries but no path match does not fall through to a wildcard
    return bestPath(forHost, path)?.entry;
  }
  return undefined;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function bestPath<T extends { key: RouteKey }>(candidates: readonly T[], path: string): T | undefined {
  let best: T | undefined;
  let bestLen = -1;
  for (const c of candidates) {
    const p = c.key.path;
    const hit = c.key.match === 'exact' ? path === p : prefixMatches(p, path);
    if (!hit) continue;
    const better = p.length > bestLen || (p.length === bestLen && c.key.match === 'exact' && best?.key.match === 'prefix');
    if (better) {
      best = c;
      bestLen = p.length;
    }
  }
  return best;
}

/** Kubernetes Prefix matching: element-wise, so `/foo` matches `/foo`, `/foo/`, `/foo/bar`, not `/foobar`. */
function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '/') return true;
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === p || path.startsWith(`${p}/`);
}
