/**
 * EndpointSlices → the servers of one backend. This is also the endpoint fast path: it needs only
 * the Service, its port and its slices, never the Ingresses.
 *
 * Conditions (the API's meaning, KEP-1672):
 *   ready (or unknown)         → state ready: in rotation
 *   serving && terminating     → state drain: no new requests, in-flight ones finish
 *   anything else              → absent: the differ puts it in maint, then deletes it
 * The same server listed by several slices (a Pod moving between slices) is kept once, with the
 * best state. Only the first address of an endpoint is used, as the API asks of consumers.
 */
import type { EndpointRecord, EndpointSliceRecord, ServicePortRecord } from './types.ts';
import type { ServerSpec, ServerState } from './proxy-state.ts';
import type { ModelWarning } from './warnings.ts';
import { cmp } from './warnings.ts';
import { canonicalAddress, portNumberProblem, preview, uidProblem } from './validate.ts';
import { serverGuid, serverName } from './ids.ts';

export interface ServerInputs {
  readonly serviceUid: string;
  readonly servicePort: ServicePortRecord;
  /** Only the slices labelled with this Service, in its namespace. */
  readonly slices: readonly EndpointSliceRecord[];
  /** Whether active checks are on for this backend. */
  readonly health: boolean;
}

export interface ServerResult {
  readonly servers: readonly ServerSpec[];
  readonly warnings: readonly ModelWarning[];
}

export function endpointState(ep: EndpointRecord): ServerState | undefined {
  const c = ep.conditions;
  // Unknown conditions take the API's documented defaults: ready and serving true, terminating false.
  const ready = c.ready ?? true;
  const serving = c.serving ?? ready;
  if (c.terminating === true) return serving ? 'drain' : undefined;
  return ready ? 'ready' : undefined;
}

const RANK: Readonly<Record<ServerState, number>> = { ready: 2, drain: 1, maint: 0 };

export function buildServers(input: ServerInputs): ServerResult {
  const warnings: ModelWarning[] = [];
  const byName = new Map<string, ServerSpec>();
  const slices = [...input.slices].sort((a, b) => cmp(a.meta.name, b.meta.name));
  for (const slice of slices) {
    const ref = { kind: 'EndpointSlice', namespace: slice.meta.namespace, name: slice.meta.name, uid: slice.meta.uid } as const;
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') {
      warnings.push({ object: ref, code: 'HWS_ERR_ENDPOINT_SLICE_UNSUPPORTED', message: `addressType ${preview(slice.addressType)} is not served; only IPv4 and IPv6 slices are` });
      continue;
    }
    const port = slice.ports.find((p) => p.name === input.servicePort.name && (p.protocol === '' || p.protocol === 'TCP'));
    if (port === undefined || portNumberProblem(port.port) !== undefined) continue;
    for (const ep of slice.endpoints) {
      const state = endpointState(ep);
      if (state === undefined) continue;
      const raw = ep.addresses[0];
      const address = raw === undefined ? undefined : canonicalAddress(slice.addressType, raw);
      if (address === undefined) {
        warnings.push({ object: ref, code: 'HWS_ERR_ENDPOINT_INVALID_ADDRESS', message: `address ${preview(raw ?? '')} is not a valid ${slice.addressType} address; the endpoint is skipped` });
        continue;
      }
      const pod = ep.targetRef !== undefined && ep.targetRef.kind === 'Pod' && uidProblem(ep.targetRef.uid) === undefined ? ep.targetRef.uid : undefined;
      const name = serverName(port.port, pod, address);
      const previous = byName.get(name);
      if (previous !== undefined && RANK[previous.state] >= RANK[state]) continue;
      byName.set(name, {
        name,
        guid: serverGuid(input.serviceUid, input.servicePort.port, name),
        address,
        port: port.port,
        weight: 1,
        state,
        health: input.health,
      });
    }
  }
  const servers = [...byName.values()].sort((a, b) => cmp(a.name, b.name));
  return { servers, warnings };
}
