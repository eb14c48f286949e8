/**
 * The endpoint fast path: when only EndpointSlices changed, the routes, certificates and backend
 * settings of the last build still hold, so only each backend's servers are rebuilt. Routes are
 * never touched, so the differ emits server commands only.
 */
import type { EndpointSliceRecord, ServiceRecord } from './types.ts';
import type { BackendSpec, ProxyState } from './proxy-state.ts';
import type { ModelWarning } from './warnings.ts';
import { buildBackend } from './backends.ts';
import { slicesByService } from './build.ts';
import { append } from './append.ts';

/**
 * Precondition: `desired` came from buildModel over a snapshot whose Ingresses, Services and
 * Secrets equal these; only the slices differ. Pass only the Services whose slices changed (and
 * their slices) to rebuild those backends alone; `changed` names the backends rebuilt. A backend
 * whose Service vanished keeps its servers (the full build that change triggers removes it).
 */
export function refreshServers(
  desired: ProxyState,
  services: readonly ServiceRecord[],
  endpointSlices: readonly EndpointSliceRecord[],
): { desired: ProxyState; warnings: readonly ModelWarning[]; changed: ReadonlySet<string> } {
  const byName = new Map<string, { service: ServiceRecord; port: ServiceRecord['ports'][number] }>();
  for (const service of services) {
    for (const port of service.ports) {
      byName.set(`${service.meta.namespace}_${service.meta.name}_${String(port.port)}`, { service, port });
    }
  }
  const slices = slicesByService(endpointSlices);
  const warnings: ModelWarning[] = [];
  const changed = new Set<string>();
  const backends: BackendSpec[] = desired.backends.map((b) => {
    const found = byName.get(b.name);
    if (found === undefined) return b;
    changed.add(b.name);
    const built = buildBackend({
      service: found.service,
      port: found.port,
      settings: b.settings ?? {},
      slices: slices.get(`${found.service.meta.namespace}/${found.service.meta.name}`) ?? [],
    });
    append(warnings, built.warnings);
    return built.backend;
  });
  return { desired: { ...desired, backends }, warnings, changed };
}
