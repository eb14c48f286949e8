/**
 * The cache of slim records. `upsert` and `remove` answer "what does this change mean?":
 *   'none'      nothing the model reads changed (same record, or an object no Ingress uses)
 *   'endpoints' only the servers of some backend changed: the fast path
 *   'full'      routes, backends or certificates may change: a full build after the holdoff
 * Secrets are kept only while an Ingress (or --default-ssl-certificate) references them; the
 * others are remembered by name only, so a new reference can ask the edge to fetch one
 * (`missingSecrets`). The cache never holds every Secret of the cluster.
 */
import type { EndpointSliceRecord, IngressClassRecord, IngressRecord, SecretRecord, ServiceRecord, Snapshot } from '../model/types.ts';

export type Change = 'none' | 'endpoints' | 'full';
export type Kind = 'IngressClass' | 'Ingress' | 'Service' | 'EndpointSlice' | 'Secret';

type RecordOf<K extends Kind> = K extends 'IngressClass' ? IngressClassRecord
  : K extends 'Ingress' ? IngressRecord
    : K extends 'Service' ? ServiceRecord
      : K extends 'EndpointSlice' ? EndpointSliceRecord
        : SecretRecord;

export function keyOf(r: { meta: { namespace: string; name: string } }): string {
  return `${r.meta.namespace}/${r.meta.name}`;
}

export class Cache {
  readonly #classes = new Map<string, IngressClassRecord>();
  readonly #ingresses = new Map<string, IngressRecord>();
  readonly #services = new Map<string, ServiceRecord>();
  readonly #slices = new Map<string, EndpointSliceRecord>();
  readonly #secrets = new Map<string, SecretRecord>();
  /** Secrets that exist but are not referenced: names only. */
  readonly #unreferencedSecrets = new Set<string>();
  readonly #defaultSecret: string | undefined;
  /** Memoised reference sets; every Ingress change clears them (slice events are far more frequent). */
  #refServices: Set<string> | undefined;
  #refSecrets: Set<string> | undefined;
  /** `<ns>/<service>` → keys of its slices, so the fast path reads only what it needs. */
  readonly #slicesOf = new Map<string, Set<string>>();
  /** Services whose slices changed since the last `takeDirtyServices`: the fast path's scope. */
  #dirty = new Set<string>();

  constructor(defaultCertificateSecret?: string) {
    this.#defaultSecret = defaultCertificateSecret;
  }

  #map<K extends Kind>(kind: K): Map<string, RecordOf<K>> {
    const maps = { IngressClass: this.#classes, Ingress: this.#ingresses, Service: this.#services, EndpointSlice: this.#slices, Secret: this.#secrets };
    return maps[kind] as unknown as Map<string, RecordOf<K>>;
  }

  /** `<ns>/<name>` of every Service an Ingress routes to. */
  #referencedServices(): Set<string> {
    if (this.#refServices !== undefined) return this.#refServices;
    const out = new Set<string>();
    for (const ing of this.#ingresses.values()) {
      const ns = ing.meta.namespace;
      if (ing.defaultBackend?.service !== undefined) out.add(`${ns}/${ing.defaultBackend.service.name}`);
      for (const r of ing.rules) for (const p of r.paths) if (p.backend.service !== undefined) out.add(`${ns}/${p.backend.service.name}`);
    }
    this.#refServices = out;
    return out;
  }

  referencedSecrets(): Set<string> {
    if (this.#refSecrets !== undefined) return this.#refSecrets;
    const out = new Set<string>();
    if (this.#defaultSecret !== undefined) out.add(this.#defaultSecret);
    for (const ing of this.#ingresses.values()) {
      for (const t of ing.tls) if (t.secretName !== undefined && t.secretName !== '') out.add(`${ing.meta.namespace}/${t.secretName}`);
    }
    this.#refSecrets = out;
    return out;
  }

  /** Referenced Secrets known to exist whose content the cache does not hold: the edge fetches them. */
  missingSecrets(): string[] {
    return [...this.referencedSecrets()].filter((k) => this.#unreferencedSecrets.has(k)).sort();
  }

  upsert<K extends Kind>(kind: K, record: RecordOf<K>): Change {
    const key = keyOf(record);
    if (kind === 'Secret') return this.#upsertSecret(record as SecretRecord);
    const map = this.#map(kind);
    const before = map.get(key);
    if (before !== undefined && JSON.stringify(before) === JSON.stringify(record)) return 'none';
    map.set(key, record);
    if (kind === 'EndpointSlice') this.#indexSlice(key, before as EndpointSliceRecord | undefined, record as EndpointSliceRecord);
    if (kind === 'Ingress') this.#ingressChanged(before as IngressRecord | undefined, record as IngressRecord);
    return this.#meaning(kind, record);
  }

  remove(kind: Kind, key: string): Change {
    const map = this.#map(kind);
    const before = map.get(key);
    if (kind === 'Secret') this.#unreferencedSecrets.delete(key);
    if (before === undefined) return 'none';
    map.delete(key);
    if (kind === 'EndpointSlice') this.#indexSlice(key, before as EndpointSliceRecord, undefined);
    if (kind === 'Ingress') this.#ingressChanged(before as IngressRecord, undefined);
    return this.#meaning(kind, before);
  }

  #meaning(kind: Kind, record: RecordOf<Kind>): Change {
    if (kind === 'EndpointSlice') {
      const s = record as EndpointSliceRecord;
      const service = `${s.meta.namespace}/${s.serviceName}`;
      if (!this.#referencedServices().has(service)) return 'none';
      this.#dirty.add(service);
      return 'endpoints';
    }
    if (kind === 'Service') return this.#referencedServices().has(keyOf(record)) ? 'full' : 'none';
    if (kind === 'Secret') return this.referencedSecrets().has(keyOf(record)) ? 'full' : 'none';
    return 'full';
  }

  #upsertSecret(record: SecretRecord): Change {
    const key = keyOf(record);
    if (!this.referencedSecrets().has(key)) {
      this.#secrets.delete(key);
      this.#unreferencedSecrets.add(key);
      return 'none';
    }
    this.#unreferencedSecrets.delete(key);
    const before = this.#secrets.get(key);
    if (before !== undefined && JSON.stringify(before) === JSON.stringify(record)) return 'none';
    this.#secrets.set(key, record);
    return 'full';
  }

  /**
   * Reference sets are recomputed lazily after any Ingress change; Secret contents are dropped
   * only when the change touched spec.tls (so a burst of 10 000 Ingresses without TLS stays linear).
   */
  #ingressChanged(before: IngressRecord | undefined, after: IngressRecord | undefined): void {
    this.#refServices = undefined;
    const tls = (r: IngressRecord | undefined): string => JSON.stringify(r?.tls ?? []);
    if (tls(before) === tls(after)) return;
    this.#refSecrets = undefined;
    if (this.#secrets.size > 0) this.#dropUnreferencedSecrets();
  }

  /** After Ingresses change, Secrets no longer referenced lose their content. */
  #dropUnreferencedSecrets(): void {
    const referenced = this.referencedSecrets();
    for (const key of [...this.#secrets.keys()]) {
      if (!referenced.has(key)) {
        this.#secrets.delete(key);
        this.#unreferencedSecrets.add(key);
      }
    }
  }

  #indexSlice(key: string, before: EndpointSliceRecord | undefined, after: EndpointSliceRecord | undefined): void {
    const svc = (s: EndpointSliceRecord): string => `${s.meta.namespace}/${s.serviceName}`;
    if (before !== undefined) this.#slicesOf.get(svc(before))?.delete(key);
    if (after !== undefined) {
      const set = this.#slicesOf.get(svc(after)) ?? new Set<string>();
      set.add(key);
      this.#slicesOf.set(svc(after), set);
    }
  }

  /** The Services named (`<ns>/<name>`) and their slices: the endpoint fast path's inputs. */
  endpointInputs(services: ReadonlySet<string>): { services: ServiceRecord[]; endpointSlices: EndpointSliceRecord[] } {
    const out = { services: [] as ServiceRecord[], endpointSlices: [] as EndpointSliceRecord[] };
    for (const key of services) {
      const s = this.#services.get(key);
      if (s !== undefined) out.services.push(s);
      for (const sk of this.#slicesOf.get(key) ?? []) {
        const slice = this.#slices.get(sk);
        if (slice !== undefined) out.endpointSlices.push(slice);
      }
    }
    return out;
  }

  /** `<ns>/<name>` of the Services whose slices changed since the last call; clears the set. */
  takeDirtyServices(): Set<string> {
    const out = this.#dirty;
    this.#dirty = new Set();
    return out;
  }

  size(kind: Kind): number {
    return kind === 'Secret' ? this.#secrets.size : this.#map(kind).size;
  }

  snapshot(): Snapshot {
    return {
      ingressClasses: [...this.#classes.values()],
      ingresses: [...this.#ingresses.values()],
      services: [...this.#services.values()],
      endpointSlices: [...this.#slices.values()],
      secrets: [...this.#secrets.values()],
    };
  }
}
