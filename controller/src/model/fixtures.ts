/**
 * Test fixtures: small builders for slim records, so a table row fits on a line:
 *   ingress('ns/a').host('x.example.com').path('/p', 'Prefix', 'svc', 80).build()
 * UIDs are UUID-shaped and derived from kind and name, so they are stable across test runs.
 */
import type {
  EndpointRecord, EndpointSliceRecord, IngressClassRecord, IngressPathRecord, IngressRecord, IngressRuleRecord,
  IngressTLSRecord, ObjectMeta, SecretRecord, ServicePortRecord, ServiceRecord, Snapshot, BackendRef,
} from './types.ts';
import { DEFAULT_MODEL_OPTIONS } from './types.ts';
import type { ModelOptions } from './types.ts';
import { fnv1a64 } from './ids.ts';

export function uidFor(kind: string, id: string): string {
  const h = fnv1a64(`${kind}/${id}`) + fnv1a64(`${id}/${kind}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function meta(kind: string, id: string, created = '2024-01-01T00:00:00Z'): ObjectMeta {
  const [namespace, name] = id.includes('/') ? id.split('/', 2) as [string, string] : ['', id];
  return { namespace, name, uid: uidFor(kind, id), creationTimestamp: created, annotations: {} };
}

function backendRef(service: string, port: number | string): BackendRef {
  return { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

export class IngressBuilder {
  #meta: ObjectMeta;
  #className: string | undefined;
  #rules: { host?: string; paths: IngressPathRecord[] }[] = [];
  #tls: IngressTLSRecord[] = [];
  #defaultBackend: BackendRef | undefined;
  constructor(id: string) { this.#meta = meta('Ingress', id); }
  cls(name: string): this { this.#className = name; return this; }
  created(ts: string): this { this.#meta = { ...this.#meta, creationTimestamp: ts }; return this; }
  uid(uid: string): this { this.#meta = { ...this.#meta, uid }; return this; }
  annotate(key: string, value: string): this { this.#meta = { ...this.#meta, annotations: { ...this.#meta.annotations, [key]: value } }; return this; }
  /** Starts a rule for this host; `path()` calls before any `host()` go to a host-less rule. */
  host(host: string): this { this.#rules.push({ host, paths: [] }); return this; }
  path(path: string | undefined, pathType: string, service: string, port: number | string): this {
    if (this.#rules.length === 0) this.#rules.push({ paths: [] });
    const rule = this.#rules[this.#rules.length - 1];
    rule?.paths.push({ ...(path === undefined ? {} : { path }), pathType, backend: backendRef(service, port) });
    return this;
  }
  rawPath(p: IngressPathRecord): this {
    if (this.#rules.length === 0) this.#rules.push({ paths: [] });
    this.#rules[this.#rules.length - 1]?.paths.push(p);
    return this;
  }
  defaultBackend(service: string, port: number | string): this { this.#defaultBackend = backendRef(service, port); return this; }
  tls(secretName: string | undefined, ...hosts: string[]): this {
    this.#tls.push({ hosts, ...(secretName === undefined ? {} : { secretName }) });
    return this;
  }
  build(): IngressRecord {
    const rules: IngressRuleRecord[] = this.#rules.map((r) => ({ ...(r.host === undefined ? {} : { host: r.host }), paths: r.paths }));
    return {
      meta: this.#meta,
      ...(this.#className === undefined ? {} : { ingressClassName: this.#className }),
      ...(this.#defaultBackend === undefined ? {} : { defaultBackend: this.#defaultBackend }),
      rules,
      tls: this.#tls,
    };
  }
}

export function ingress(id: string): IngressBuilder { return new IngressBuilder(id).cls('hawser'); }

export class ServiceBuilder {
  #meta: ObjectMeta;
  #type = 'ClusterIP';
  #externalName: string | undefined;
  #ports: ServicePortRecord[] = [];
  constructor(id: string) { this.#meta = meta('Service', id); }
  port(port: number, name = '', protocol = 'TCP'): this { this.#ports.push({ port, name, protocol }); return this; }
  externalName(target: string): this { this.#type = 'ExternalName'; this.#externalName = target; return this; }
  annotate(key: string, value: string): this { this.#meta = { ...this.#meta, annotations: { ...this.#meta.annotations, [key]: value } }; return this; }
  uid(uid: string): this { this.#meta = { ...this.#meta, uid }; return this; }
  build(): ServiceRecord {
    return { meta: this.#meta, type: this.#type, ...(this.#externalName === undefined ? {} : { externalName: this.#externalName }), ports: this.#ports };
  }
}

export function service(id: string): ServiceBuilder { return new ServiceBuilder(id); }

export interface EndpointOptions {
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
  /** Pod name; its UID is derived like every fixture UID. */
  readonly pod?: string;
}

export class SliceBuilder {
  #meta: ObjectMeta;
  #serviceName: string;
  #addressType = 'IPv4';
  #ports: { name: string; port: number; protocol: string }[] = [];
  #endpoints: EndpointRecord[] = [];
  constructor(id: string, serviceName: string) { this.#meta = meta('EndpointSlice', id); this.#serviceName = serviceName; }
  addressType(t: string): this { this.#addressType = t; return this; }
  port(port: number, name = '', protocol = 'TCP'): this { this.#ports.push({ port, name, protocol }); return this; }
  endpoint(address: string, o: EndpointOptions = {}): this {
    const conditions = {
      ...(o.ready === undefined ? { ready: true } : { ready: o.ready }),
      ...(o.serving === undefined ? {} : { serving: o.serving }),
      ...(o.terminating === undefined ? {} : { terminating: o.terminating }),
    };
    const ns = this.#meta.namespace;
    this.#endpoints.push({ addresses: [address], conditions, ...(o.pod === undefined ? {} : { targetRef: { kind: 'Pod', uid: uidFor('Pod', `${ns}/${o.pod}`) } }) });
    return this;
  }
  rawEndpoint(e: EndpointRecord): this { this.#endpoints.push(e); return this; }
  build(): EndpointSliceRecord {
    return { meta: this.#meta, serviceName: this.#serviceName, addressType: this.#addressType, ports: this.#ports, endpoints: this.#endpoints };
  }
}

export function slice(id: string, serviceName: string): SliceBuilder { return new SliceBuilder(id, serviceName); }

/** A fake but well-formed PEM pair; the edge's verdict is supplied, as the model never parses X.509. */
export const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQk1hd3Nlcg==\n-----END CERTIFICATE-----\n';
export const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

/** SHA-1 of CERT_PEM's DER, as the edge and `show ssl cert` compute it (a runtime test checks it). */
export const CERT_FINGERPRINT = '4D51E52D30EC476D1DB2ADC08D94B44C7C644983';

export function tlsSecret(id: string, fingerprint = CERT_FINGERPRINT, o: Partial<Pick<SecretRecord, 'type' | 'tlsCrt' | 'tlsKey' | 'certificate'>> = {}): SecretRecord {
  return {
    meta: meta('Secret', id),
    type: o.type ?? 'kubernetes.io/tls',
    tlsCrt: o.tlsCrt ?? CERT_PEM,
    tlsKey: o.tlsKey ?? KEY_PEM,
    certificate: o.certificate ?? { ok: true, fingerprint, notAfter: '2030-01-01T00:00:00Z' },
  };
}

export function ingressClass(name: string, controller = DEFAULT_MODEL_OPTIONS.controllerName, isDefault = false): IngressClassRecord {
  return { meta: meta('IngressClass', name), controller, isDefault };
}

type AnyRecord = IngressRecord | ServiceRecord | EndpointSliceRecord | SecretRecord | IngressClassRecord;

/** A snapshot from mixed records; our IngressClass `hawser` is included unless `withClass` is false. */
export function snapshot(objects: readonly AnyRecord[], withClass = true): Snapshot {
  const s = { ingressClasses: [] as IngressClassRecord[], ingresses: [] as IngressRecord[], services: [] as ServiceRecord[], endpointSlices: [] as EndpointSliceRecord[], secrets: [] as SecretRecord[] };
  if (withClass) s.ingressClasses.push(ingressClass('hawser'));
  for (const o of objects) {
    if ('controller' in o) s.ingressClasses.push(o);
    else if ('rules' in o) s.ingresses.push(o);
    else if ('endpoints' in o) s.endpointSlices.push(o);
    else if ('ports' in o) s.services.push(o);
    else s.secrets.push(o);
  }
  return s;
}

export function options(o: Partial<ModelOptions> = {}): ModelOptions {
  return { ...DEFAULT_MODEL_OPTIONS, ...o };
}
