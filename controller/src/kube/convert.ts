/**
 * From @kubernetes/client-node objects to the model's slim records (model/types.ts). This is the
 * only place that reads raw API objects: managedFields, status and every field the model does not
 * read are dropped here, so the cache stays small and the model's inputs stay obvious. Nothing is
 * trusted: shapes are checked, unexpected types become empty values, and the model validates
 * every field that becomes a runtime argument.
 */
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import type {
  KubernetesObject, V1EndpointSlice, V1Ingress, V1IngressBackend, V1IngressClass, V1Secret, V1Service,
} from '@kubernetes/client-node';
import type {
  BackendRef, CertificateVerdict, EndpointSliceRecord, IngressClassRecord, IngressRecord, ObjectMeta, SecretRecord, ServiceRecord,
} from '../model/types.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const arr = <T>(v: readonly T[] | undefined | null): readonly T[] => (Array.isArray(v) ? v : []);

export function meta(o: KubernetesObject): ObjectMeta {
  const m = o.metadata ?? {};
  const ts = m.creationTimestamp as unknown;
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.annotations ?? {})) if (typeof v === 'string') annotations[k] = v;
  return {
    namespace: str(m.namespace),
    name: str(m.name),
    uid: str(m.uid),
    creationTimestamp: ts instanceof Date ? ts.toISOString().replace(/\.\d{3}Z$/, 'Z') : str(ts),
    annotations,
  };
}

export function ingressClassRecord(o: V1IngressClass): IngressClassRecord {
  const m = meta(o);
  return { meta: m, controller: str(o.spec?.controller), isDefault: m.annotations['ingressclass.kubernetes.io/is-default-class'] === 'true' };
}

function backendRef(b: V1IngressBackend | undefined): BackendRef {
  const svc = b?.service;
  if (svc === undefined) return {};
  const port: { number?: number; name?: string } = {};
  if (typeof svc.port?.number === 'number') port.number = svc.port.number;
  if (typeof svc.port?.name === 'string') port.name = svc.port.name;
  return { service: { name: str(svc.name), port } };
}

export function ingressRecord(o: V1Ingress): IngressRecord {
  const spec = o.spec ?? {};
  const rec: { -readonly [K in keyof IngressRecord]: IngressRecord[K] } = {
    meta: meta(o),
    rules: arr(spec.rules).map((r) => {
      const host = optStr(r.host);
      const paths = arr(r.http?.paths).map((p) => {
        const path = optStr(p.path);
        return { ...(path !== undefined ? { path } : {}), pathType: str(p.pathType), backend: backendRef(p.backend) };
      });
      return { ...(host !== undefined ? { host } : {}), paths };
    }),
    tls: arr(spec.tls).map((t) => {
      const secretName = optStr(t.secretName);
      return { hosts: arr(t.hosts).map(str), ...(secretName !== undefined ? { secretName } : {}) };
    }),
  };
  const cls = optStr(spec.ingressClassName);
  if (cls !== undefined) rec.ingressClassName = cls;
  if (spec.defaultBackend !== undefined) rec.defaultBackend = backendRef(spec.defaultBackend);
  return rec;
}

export function serviceRecord(o: V1Service): ServiceRecord {
  const spec = o.spec ?? {};
  const externalName = optStr(spec.externalName);
  return {
    meta: meta(o),
    type: str(spec.type) || 'ClusterIP',
    ...(externalName !== undefined ? { externalName } : {}),
    ports: arr(spec.ports).map((p) => ({ name: str(p.name), port: num(p.port), protocol: str(p.protocol) || 'TCP' })),
  };
}

export function endpointSliceRecord(o: V1EndpointSlice): EndpointSliceRecord {
  const m = meta(o);
  return {
    meta: m,
    serviceName: str(o.metadata?.labels?.['kubernetes.io/service-name']),
    addressType: str(o.addressType),
    ports: arr(o.ports).map((p) => ({ name: str(p.name), port: num(p.port), protocol: str(p.protocol) || 'TCP' })),
    endpoints: arr(o.endpoints).map((e) => {
      const c = e.conditions ?? {};
      const conditions: { ready?: boolean; serving?: boolean; terminating?: boolean } = {};
      if (typeof c.ready === 'boolean') conditions.ready = c.ready;
      if (typeof c.serving === 'boolean') conditions.serving = c.serving;
      if (typeof c.terminating === 'boolean') conditions.terminating = c.terminating;
      const t = e.targetRef;
      return {
        addresses: arr(e.addresses).map(str),
        conditions,
        ...(t !== undefined && typeof t.uid === 'string' ? { targetRef: { kind: str(t.kind), uid: t.uid } } : {}),
      };
    }),
  };
}

/** Parses the certificate once here (the pure model may not use node:crypto). */
export function certificateVerdict(crt: string, key: string): CertificateVerdict {
  try {
    const cert = new X509Certificate(crt);
    const pkey = createPrivateKey(key);
    if (!cert.checkPrivateKey(pkey)) return { ok: false, detail: 'the private key does not match the certificate' };
    const fingerprint = createHash('sha1').update(cert.raw).digest('hex').toUpperCase();
    return { ok: true, fingerprint, notAfter: new Date(cert.validTo).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message.slice(0, 200) : 'unparsable certificate or key' };
  }
}

export function secretRecord(o: V1Secret): SecretRecord {
  const data = o.data ?? {};
  const decode = (v: unknown): string | undefined => (typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined);
  const tlsCrt = decode(data['tls.crt']);
  const tlsKey = decode(data['tls.key']);
  return {
    meta: meta(o),
    type: str(o.type),
    ...(tlsCrt !== undefined ? { tlsCrt } : {}),
    ...(tlsKey !== undefined ? { tlsKey } : {}),
    ...(tlsCrt !== undefined && tlsKey !== undefined ? { certificate: certificateVerdict(tlsCrt, tlsKey) } : {}),
  };
}
