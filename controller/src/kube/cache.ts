/**
 * The controller's cache of slim records, as Contour's KubernetesCache: `upsert` and `remove`
 * answer whether the change matters, and to which lane it belongs. A Service or EndpointSlice
 * that no Ingress references is kept (an Ingress may reference it later) but wakes nothing up;
 * an object that comes back unchanged (a resync, a status-only update) wakes nothing up either.
 * Pure: no I/O, no clock.
 */
import type { ChangeClass } from '../sync/coalescer.ts';
import type {
  EndpointSliceRecord, IngressClassRecord, IngressRecord, SecretRecord, ServiceRecord, Snapshot,
} from '../model/types.ts';

export type Kind = 'IngressClass' | 'Ingress' | 'Service' | 'EndpointSlice' | 'Secret';

export interface RecordOf {
  IngressClass: IngressClassRecord;
  Ingress: IngressRecord;
  Service: ServiceRecord;
  EndpointSlice: EndpointSliceRecord;
  Secret: SecretRecord;
}

export class ClusterCache {
  private readonly maps: { [K in Kind]: Map<string, RecordOf[K]> } = {
    IngressClass: new Map(), Ingress: new Map(), Service: new Map(), EndpointSlice: new Map(), Secret: new Map(),
  };
  private readonly fingerprints = new Map<string, string>();
  /** `ns/service` referenced by some Ingress (rules or default backend). */
  private services = new Set<string>();
  /** `ns/secret` referenced by some Ingress's spec.tls, plus the default certificate. */
  private secrets = new Set<string>();
  private readonly defaultSecret: string | undefined;

  constructor(defaultCertificateSecret?: string) {
    this.defaultSecret = defaultCertificateSecret;
    this.recomputeReferences();
  }

  /** Adds or replaces an object; returns the lane to wake, or null when nothing relevant changed. */
  upsert<K extends Kind>(kind: K, key: string, rec: RecordOf[K]): ChangeClass | null {
    const fp = JSON.stringify(rec);
    const id = `${kind}\u0000${key}`;
    if (this.fingerprints.get(id) === fp) return null;
    this.fingerprints.set(id, fp);
    (this.maps[kind] as Map<string, RecordOf[K]>).set(key, rec);
    return this.lane(kind, key, rec);
  }

  remove(kind: Kind, key: string): ChangeClass | null {
    const rec = this.maps[kind].get(key);
    if (rec === undefined) return null;
    this.maps[kind].delete(key);
    this.fingerprints.delete(`${kind}\u0000${key}`);
    return this.lane(kind, key, rec);
  }

  /** Secrets the controller must hold: only these are kept (never every Secret of the cluster). */
  isReferencedSecret(key: string): boolean {
    return this.secrets.has(key);
  }

  referencedSecrets(): ReadonlySet<string> {
    return this.secrets;
  }

  snapshot(): Snapshot {
    return {
      ingressClasses: [...this.maps.IngressClass.values()],
      ingresses: [...this.maps.Ingress.values()],
      services: [...this.maps.Service.values()],
      endpointSlices: [...this.maps.EndpointSlice.values()],
      secrets: [...this.maps.Secret.values()],
    };
  }

  private lane(kind: Kind, key: string, rec: RecordOf[Kind]): ChangeClass | null {
    switch (kind) {
      case 'Ingress':
        this.recomputeReferences();
        return 'routes';
      case 'IngressClass':
        return 'routes';
      case 'Secret':
        return this.secrets.has(key) ? 'routes' : null;
      case 'Service':
        return this.services.has(key) ? 'routes' : null;
      case 'EndpointSlice': {
        const s = rec as EndpointSliceRecord;
        return this.services.has(`${s.meta.namespace}/${s.serviceName}`) ? 'endpoints' : null;
      }
    }
  }

  private recomputeReferences(): void {
    const services = new Set<string>();
    const secrets = new Set<string>();
    if (this.defaultSecret !== undefined) secrets.add(this.defaultSecret);
    for (const ing of this.maps.Ingress.values()) {
      const ns = ing.meta.namespace;
      if (ing.defaultBackend?.service !== undefined) services.add(`${ns}/${ing.defaultBackend.service.name}`);
      for (const r of ing.rules) for (const p of r.paths) if (p.backend.service !== undefined) services.add(`${ns}/${p.backend.service.name}`);
      for (const t of ing.tls) if (t.secretName !== undefined) secrets.add(`${ns}/${t.secretName}`);
    }
    this.services = services;
    this.secrets = secrets;
  }
}
