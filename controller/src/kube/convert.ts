/**
 * @kubernetes/client-node objects → the model's slim records. The only place that knows the
 * API's shapes; managedFields, status and every field the model does not read stay behind, so
 * the cache holds a fraction of each object. Objects may arrive typed (list) or as raw JSON
 * (watch), so timestamps are accepted as Date or string. Nothing here trusts the input: the model
 * validates every field; this layer only copies, defaults and decodes.
 *
 * Certificates are parsed here, with node:crypto, because the pure model may not import it.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { V1EndpointSlice, V1Ingress, V1IngressBackend, V1IngressClass, V1ObjectMeta, V1Secret, V1Service } from '@kubernetes/client-node';
import type {
  BackendRef, CertificateVerdict, EndpointSliceRecord, IngressClassRecord, IngressRecord, ObjectMeta, SecretRecord, ServiceRecord,
} from '../model/types.ts';

const MAX_PEM_BYTES = 256 * 1024;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

function timestamp(t: Date | string | undefined): string {
  if (t === undefined) return '';
  const d = t instanceof Date ? t : new Date(t);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function convertMeta(m: V1ObjectMeta | undefined): ObjectMeta {
  return {
    namespace: m?.namespace ?? '',
    name: m?.name ?? '',
    uid: m?.uid ?? '',
    creationTimestamp: timestamp(m?.creationTimestamp as Date | string | undefined),
    annotations: { ...(m?.annotations ?? {}) },
  };
}

export function convertIngressClass(o: V1IngressClass): IngressClassRecord {
  return { meta: convertMeta(o.metadata), controller: o.spec?.controller ?? '', isDefault: o.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true' };
}

function backend(b: V1IngressBackend | undefined): BackendRef {
  const s = b?.service;
  if (s === undefined) return {};
  const port = s.port ?? {};
  return {
    service: {
      name: s.name,
      port: { ...(port.number === undefined ? {} : { number: port.number }), ...(port.name === undefined || port.name === '' ? {} : { name: port.name }) },
    },
  };
}

export function convertIngress(o: V1Ingress): IngressRecord {
  const spec = o.spec ?? {};
  return {
    meta: convertMeta(o.metadata),
    ...(spec.ingressClassName === undefined ? {} : { ingressClassName: spec.ingressClassName }),
    ...(spec.defaultBackend === undefined ? {} : { defaultBackend: backend(spec.defaultBackend) }),
    rules: (spec.rules ?? []).map((r) => ({
      ...(r.host === undefined ? {} : { host: r.host }),
      paths: (r.http?.paths ?? []).map((p) => ({ ...(p.path === undefined ? {} : { path: p.path }), pathType: p.pathType, backend: backend(p.backend) })),
    })),
    tls: (spec.tls ?? []).map((t) => ({ hosts: t.hosts ?? [], ...(t.secretName === undefined ? {} : { secretName: t.secretName }) })),
  };
}

export function convertService(o: V1Service): ServiceRecord {
  const spec = o.spec ?? {};
  return {
    meta: convertMeta(o.metadata),
    type: spec.type ?? 'ClusterIP',
    ...(spec.externalName === undefined ? {} : { externalName: spec.externalName }),
    ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

export function convertEndpointSlice(o: V1EndpointSlice): EndpointSliceRecord {
  return {
    meta: convertMeta(o.metadata),
    serviceName: o.metadata?.labels?.[SERVICE_NAME_LABEL] ?? '',
    addressType: o.addressType,
    ports: (o.ports ?? []).flatMap((p) => (p.port === undefined ? [] : [{ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' }])),
    endpoints: (o.endpoints ?? []).map((e) => ({
      addresses: e.addresses,
      conditions: {
        ...(e.conditions?.ready === undefined ? {} : { ready: e.conditions.ready }),
        ...(e.conditions?.serving === undefined ? {} : { serving: e.conditions.serving }),
        ...(e.conditions?.terminating === undefined ? {} : { terminating: e.conditions.terminating }),
      },
      ...(e.targetRef?.uid === undefined ? {} : { targetRef: { kind: e.targetRef.kind ?? '', uid: e.targetRef.uid } }),
    })),
  };
}

/** Parses the leaf certificate and checks the key matches it. Never throws. */
export function certificateVerdict(crt: string, key: string): CertificateVerdict {
  if (crt.length > MAX_PEM_BYTES || key.length > MAX_PEM_BYTES) return { ok: false, detail: `tls.crt or tls.key is over ${String(MAX_PEM_BYTES)} bytes` };
  try {
    const cert = new X509Certificate(crt);
    if (!cert.checkPrivateKey(createPrivateKey(key))) return { ok: false, detail: 'tls.key does not match the certificate in tls.crt' };
    return { ok: true, fingerprint: cert.fingerprint.replace(/:/g, '').toUpperCase(), notAfter: new Date(cert.validTo).toISOString() };
  } catch (e) {
    return { ok: false, detail: `tls.crt or tls.key does not parse (${e instanceof Error ? e.message.slice(0, 100) : 'unknown error'})` };
  }
}

function decode(b64: string | undefined): string | undefined {
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
}

export function convertSecret(o: V1Secret): SecretRecord {
  const tlsCrt = decode(o.data?.['tls.crt']);
  const tlsKey = decode(o.data?.['tls.key']);
  return {
    meta: convertMeta(o.metadata),
    type: o.type ?? 'Opaque',
    ...(tlsCrt === undefined ? {} : { tlsCrt }),
    ...(tlsKey === undefined ? {} : { tlsKey }),
    ...(tlsCrt === undefined || tlsKey === undefined ? {} : { certificate: certificateVerdict(tlsCrt, tlsKey) }),
  };
}
