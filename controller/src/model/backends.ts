/**
 * Service backend references → backends with their servers.
 *
 * A port referenced by number must be a Service port number; by name, a Service port name. Either
 * way the backend is named after the Service port *number*, so two Ingresses that name the same
 * port differently share one backend. The servers' port is the EndpointSlice port whose name is
 * the Service port's name, and its number may differ from the Service's (that is targetPort).
 *
 * ExternalName Services are refused unless --allow-external-name: a user who may create Services
 * could otherwise point the proxy at any address reachable from it (Contour's advisory
 * GHSA-5ph6-qq5x-7jwc). Allowed, they must name an IP literal, since proxy-core does no DNS.
 */
import type { EndpointSliceRecord, ModelOptions, ServicePortRecord, ServiceRecord, ServiceBackendRef } from './types.ts';
import type { BackendSettings, BackendSpec, ServerSpec } from './proxy-state.ts';
import type { HwsErrCode } from '../errors.ts';
import type { ModelWarning } from './warnings.ts';
import { backendGuid, backendName, serverGuid, serverName } from './ids.ts';
import { buildServers } from './endpoints.ts';
import { canonicalIPv4, canonicalIPv6, portNumberProblem, preview } from './validate.ts';

export type Resolution =
  | { readonly ok: true; readonly service: ServiceRecord; readonly port: ServicePortRecord; readonly backend: string }
  | { readonly ok: false; readonly code: HwsErrCode; readonly message: string };

/** Precondition: `services` is keyed by `<namespace>/<name>`. */
export function resolveBackend(
  namespace: string,
  ref: ServiceBackendRef,
  services: ReadonlyMap<string, ServiceRecord>,
  options: ModelOptions,
): Resolution {
  const service = services.get(`${namespace}/${ref.name}`);
  if (service === undefined) return { ok: false, code: 'HWS_ERR_SERVICE_NOT_FOUND', message: `Service ${namespace}/${ref.name} does not exist` };
  if (service.type === 'ExternalName' && !options.allowExternalName) {
    return { ok: false, code: 'HWS_ERR_EXTERNALNAME_DISABLED', message: `Service ${namespace}/${ref.name} is of type ExternalName, which is off (--allow-external-name)` };
  }
  if (service.ports.length === 0) return { ok: false, code: 'HWS_ERR_SERVICE_NO_PORTS', message: `Service ${namespace}/${ref.name} has no ports` };
  const port = ref.port.number !== undefined
    ? service.ports.find((p) => p.port === ref.port.number)
    : service.ports.find((p) => p.name !== '' && p.name === ref.port.name);
  const wanted = ref.port.number !== undefined ? String(ref.port.number) : preview(ref.port.name ?? '');
  if (port === undefined || portNumberProblem(port.port) !== undefined || (port.protocol !== '' && port.protocol !== 'TCP')) {
    return { ok: false, code: 'HWS_ERR_SERVICE_PORT_NOT_FOUND', message: `Service ${namespace}/${ref.name} has no TCP port ${wanted}` };
  }
  return { ok: true, service, port, backend: backendName(namespace, service.meta.name, port.port) };
}

export interface BackendInputs {
  readonly service: ServiceRecord;
  readonly port: ServicePortRecord;
  readonly settings: BackendSettings;
  readonly slices: readonly EndpointSliceRecord[];
}

export function checksOn(settings: BackendSettings): boolean {
  return settings.checkPath !== undefined || settings.checkIntervalMs !== undefined;
}

type Built = { backend: BackendSpec; warnings: readonly ModelWarning[] };

/**
 * Memo of built backends by input identity. Records are immutable and replaced on change, so the
 * same Service record, port record, settings and slice records give the same result: a full build
 * at 100 000 endpoints re-uses every backend whose inputs did not change. Invisible to callers.
 */
const memo = new WeakMap<ServiceRecord, { port: ServicePortRecord; settings: string; slices: readonly EndpointSliceRecord[]; built: Built }[]>();

export function buildBackend(input: BackendInputs): Built {
  const settingsKey = JSON.stringify(input.settings);
  const entries = memo.get(input.service) ?? [];
  const hit = entries.find((e) => e.port === input.port && e.settings === settingsKey
    && e.slices.length === input.slices.length && e.slices.every((s, i) => s === input.slices[i]));
  if (hit !== undefined) return hit.built;
  const built = buildBackendUncached(input);
  memo.set(input.service, [...entries.filter((e) => e.port !== input.port).slice(-3), { port: input.port, settings: settingsKey, slices: [...input.slices], built }]);
  return built;
}

function buildBackendUncached(input: BackendInputs): Built {
  const { service, port, settings } = input;
  const name = backendName(service.meta.namespace, service.meta.name, port.port);
  const guid = backendGuid(service.meta.uid, port.port);
  const health = checksOn(settings);
  if (service.type === 'ExternalName') {
    const servers = externalNameServer(service, port, health);
    const warnings: ModelWarning[] = servers.length > 0 ? [] : [{
      object: { kind: 'Service', namespace: service.meta.namespace, name: service.meta.name, uid: service.meta.uid },
      code: 'HWS_ERR_EXTERNALNAME_UNSUPPORTED',
      message: `externalName ${preview(service.externalName ?? '')} is not an IP literal; proxy-core does no DNS`,
    }];
    return { backend: { name, guid, settings, servers }, warnings };
  }
  const result = buildServers({ serviceUid: service.meta.uid, servicePort: port, slices: input.slices, health });
  return { backend: { name, guid, settings, servers: result.servers }, warnings: result.warnings };
}

function externalNameServer(service: ServiceRecord, port: ServicePortRecord, health: boolean): ServerSpec[] {
  const text = service.externalName ?? '';
  const address = canonicalIPv4(text) ?? canonicalIPv6(text);
  if (address === undefined) return [];
  const name = serverName(port.port, undefined, address);
  return [{ name, guid: serverGuid(service.meta.uid, port.port, name), address, port: port.port, weight: 1, state: 'ready', health }];
}
