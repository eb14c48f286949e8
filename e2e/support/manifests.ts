// Small manifest builders for e2e tests: the objects a cluster without controllers needs the test
// to create itself (no EndpointSlice controller runs, so the test writes the slices).
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';

export function namespaceManifest(name: string): object {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function serviceManifest(namespace: string, name: string, port: number, targetPort: number | string = port): object {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { namespace, name },
    spec: { ports: [{ name: 'http', port, targetPort, protocol: 'TCP' }], selector: { app: name } },
  };
}

export interface EndpointInput {
  readonly address: string;
  readonly ready?: boolean;
  readonly terminating?: boolean;
  /** Pod-like name for the targetRef; a random UID stands in for the Pod's. */
  readonly podName?: string;
}

/** A slice as the EndpointSlice controller would write it for `service`. */
export function endpointSliceManifest(namespace: string, service: string, sliceName: string, port: number, endpoints: readonly EndpointInput[]): object {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace, name: sliceName, labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'hawser-e2e' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port, protocol: 'TCP' }],
    endpoints: endpoints.map((e, i) => ({
      addresses: [e.address],
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: e.terminating ?? false },
      targetRef: { kind: 'Pod', namespace, name: e.podName ?? `${service}-${i}`, uid: randomUUID() },
    })),
  };
}

/** A multi-document YAML stream for `kubectl apply -f -`. */
export function toYamlStream(objects: readonly object[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}
