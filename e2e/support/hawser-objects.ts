// Kubernetes objects the scenarios create: Ingresses, IngressClasses, TLS Secrets, Services with
// named ports and EndpointSlices whose endpoints carry stable Pod-like UIDs (the same pod keeps
// its UID across slice updates, as a real Pod does, so the controller keeps its server).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';

const run = promisify(execFile);

export interface IngressPath {
  readonly path?: string;
  readonly pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  readonly service: string;
  readonly port: number | string;
}

export interface IngressRule {
  readonly host?: string;
  readonly paths: readonly IngressPath[];
}

export interface IngressSpec {
  readonly className?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly rules?: readonly IngressRule[];
  readonly defaultBackend?: { readonly service: string; readonly port: number | string };
  readonly tls?: ReadonlyArray<{ readonly hosts?: readonly string[]; readonly secretName: string }>;
}

function backend(service: string, port: number | string): object {
  return { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

export function ingress(namespace: string, name: string, spec: IngressSpec): object {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { namespace, name, ...(spec.annotations === undefined ? {} : { annotations: spec.annotations }) },
    spec: {
      ...(spec.className === undefined ? {} : { ingressClassName: spec.className }),
      ...(spec.defaultBackend === undefined ? {} : { defaultBackend: backend(spec.defaultBackend.service, spec.defaultBackend.port) }),
      ...(spec.tls === undefined ? {} : { tls: spec.tls }),
      rules: (spec.rules ?? []).map((r) => ({
        ...(r.host === undefined ? {} : { host: r.host }),
        http: { paths: r.paths.map((p) => ({ ...(p.path === undefined ? {} : { path: p.path }), pathType: p.pathType, backend: backend(p.service, p.port) })) },
      })),
    },
  };
}

export function ingressClass(name: string, controller: string, isDefault = false): object {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller },
  };
}

export interface ServicePort { readonly name: string; readonly port: number; readonly targetPort: number | string }

export function service(namespace: string, name: string, ports: readonly ServicePort[]): object {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { namespace, name },
    spec: { ports: ports.map((p) => ({ ...p, protocol: 'TCP' })), selector: { app: name } },
  };
}

/** A Pod-like endpoint: the UID stays with the pod for its whole life. */
export interface PodEndpoint {
  readonly pod: string;
  readonly uid: string;
  readonly address: string;
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}

export function pod(name: string, address: string): PodEndpoint {
  return { pod: name, uid: randomUUID(), address };
}

export function endpointSlice(namespace: string, serviceName: string, sliceName: string, ports: ReadonlyArray<{ name: string; port: number }>, endpoints: readonly PodEndpoint[]): object {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace, name: sliceName, labels: { 'kubernetes.io/service-name': serviceName, 'endpointslice.kubernetes.io/managed-by': 'hawser-e2e' } },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
    endpoints: endpoints.map((e) => {
      const ready = e.ready ?? true;
      return {
        addresses: [e.address],
        conditions: { ready, serving: e.serving ?? ready, terminating: e.terminating ?? false },
        targetRef: { kind: 'Pod', namespace, name: e.pod, uid: e.uid },
      };
    }),
  };
}

export interface TlsPair { readonly cert: string; readonly key: string }

/** A self-signed EC certificate for `names` (first is the CN), valid two days. */
export async function selfSigned(names: readonly string[]): Promise<TlsPair> {
  const dir = await mkdtemp(join(tmpdir(), 'hawser-e2e-cert-'));
  try {
    const san = names.map((n) => `DNS:${n}`).join(',');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '2',
      '-subj', `/CN=${names[0] ?? 'hawser-e2e'}`, '-addext', `subjectAltName=${san}`]);
    return { cert: await readFile(join(dir, 'c.pem'), 'utf8'), key: await readFile(join(dir, 'k.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function tlsSecret(namespace: string, name: string, pair: TlsPair): object {
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { namespace, name },
    data: { 'tls.crt': Buffer.from(pair.cert).toString('base64'), 'tls.key': Buffer.from(pair.key).toString('base64') },
  };
}
