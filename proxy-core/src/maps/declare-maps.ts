/**
 * Declares the route maps a configuration names (`route-map <name>` in frontends) in the map
 * store, at start-up, before any runtime command. Pure apart from the store it fills.
 */
import type { ParsedConfig } from '../config/types.ts';
import type { MapStore } from './map-store.ts';

export function declareRouteMaps(cfg: ParsedConfig, maps: MapStore): void {
  for (const p of cfg.proxies) {
    if (p.routeMap === null) continue;
    if (maps.lookup(p.routeMap) !== undefined) continue;
    const kind = p.cap === 'frontend' ? 'frontend' : 'proxy';
    maps.declare(p.routeMap, { display: `route map used by ${kind} '${p.name}' at file '${cfg.file}' line ${p.line}` });
  }
}
