/** Test helpers: build tables from `[key, value]` pairs as they would arrive through `add map`. */
import { parseRouteEntry, type RouteEntry } from './route-entry.ts';
import { compileRouteTable } from './route-table-builder.ts';
import type { RouteTable } from './route-table.ts';

export function entry(key: string, value: string): RouteEntry {
  const r = parseRouteEntry(key, value);
  if (!r.ok) throw new Error(`fixture ${key} ${value}: ${r.error.message}`);
  return r.value;
}

export function table(pairs: readonly (readonly [string, string])[]): RouteTable {
  return compileRouteTable(pairs.map(([k, v]) => entry(k, v)));
}

/** What a lookup resolved to, as a short string: the backend name, or `<no-host>` / `<no-path>`. */
export function resolve(t: RouteTable, host: string, target: string): string {
  const r = t.lookup(host, target);
  return r.backend ?? `<${r.kind}>`;
}
