/**
 * The controller's view of the cluster: one reflector per kind and watched namespace, feeding the
 * cache, which wakes the sync coalescer. Secrets are the exception to "watch everything": they are
 * watched with a type=kubernetes.io/tls field selector, and only those an Ingress (or the default
 * certificate flag) references are converted and kept; a Secret that becomes referenced later is
 * read at once.
 */
import { CoreV1Api, type KubeConfig, type KubernetesObject, type V1EndpointSlice, type V1Ingress, type V1IngressClass, type V1Secret, type V1Service } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { ClusterCache, type Kind, type RecordOf } from './cache.ts';
import { endpointSliceRecord, ingressClassRecord, ingressRecord, secretRecord, serviceRecord } from './convert.ts';
import { Reflector, objectKey, type ResourceKind } from './reflector.ts';
import type { ChangeClass } from '../sync/coalescer.ts';

export interface SourcesOptions {
  readonly kubeConfig: KubeConfig;
  /** Empty: every namespace. */
  readonly namespaces: readonly string[];
  readonly cache: ClusterCache;
  readonly logger: Logger;
  readonly onChange: (lane: ChangeClass) => void;
  /** Once every reflector has completed its first list. */
  readonly onSynced: () => void;
  readonly onError?: (kind: Kind, reason: string) => void;
}

const KINDS: { readonly [K in Kind]: { resource: ResourceKind; convert: (o: KubernetesObject) => RecordOf[K]; namespaced: boolean } } = {
  IngressClass: { resource: { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses' }, convert: (o) => ingressClassRecord(o as V1IngressClass), namespaced: false },
  Ingress: { resource: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses' }, convert: (o) => ingressRecord(o as V1Ingress), namespaced: true },
  Service: { resource: { group: '', version: 'v1', kind: 'Service', plural: 'services' }, convert: (o) => serviceRecord(o as V1Service), namespaced: true },
  EndpointSlice: { resource: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices' }, convert: (o) => endpointSliceRecord(o as V1EndpointSlice), namespaced: true },
  Secret: { resource: { group: '', version: 'v1', kind: 'Secret', plural: 'secrets' }, convert: (o) => secretRecord(o as V1Secret), namespaced: true },
};

export class Sources {
  private readonly o: SourcesOptions;
  private readonly reflectors: Reflector<unknown>[] = [];
  private pendingSync = 0;
  private readonly core: CoreV1Api;
  private readonly fetched = new Set<string>();

  constructor(o: SourcesOptions) {
    this.o = o;
    this.core = o.kubeConfig.makeApiClient(CoreV1Api);
  }

  start(): void {
    const scopes: (string | null)[] = this.o.namespaces.length === 0 ? [null] : [...this.o.namespaces];
    for (const kind of Object.keys(KINDS) as Kind[]) {
      for (const ns of KINDS[kind].namespaced ? scopes : [null]) this.add(kind, ns);
    }
  }

  stop(): void {
    for (const r of this.reflectors) r.stop();
  }

  /**
   * Reads Secrets that became referenced since the last call (an Ingress named a Secret the
   * filtered stream had dropped). Called after each Ingress change.
   */
  async fetchNewlyReferencedSecrets(): Promise<void> {
    for (const key of this.o.cache.referencedSecrets()) {
      if (this.fetched.has(key)) continue;
      this.fetched.add(key);
      const [namespace, name] = key.split('/', 2) as [string, string];
      if (this.o.namespaces.length > 0 && !this.o.namespaces.includes(namespace)) continue;
      try {
        const s = await this.core.readNamespacedSecret({ name, namespace });
        if (s.type === 'kubernetes.io/tls') this.apply('Secret', key, secretRecord(s));
      } catch (err) {
        // Not found is normal (the model reports the missing Secret); anything else is retried
        // by the next reference change or by the watch.
        if ((err as { code?: number }).code !== 404) this.fetched.delete(key);
      }
    }
    for (const key of this.fetched) if (!this.o.cache.referencedSecrets().has(key)) this.fetched.delete(key);
  }

  private add<K extends Kind>(kind: K, namespace: string | null): void {
    const spec = KINDS[kind];
    this.pendingSync++;
    let synced = false;
    const r = new Reflector<RecordOf[K]>({
      kubeConfig: this.o.kubeConfig,
      resource: spec.resource,
      namespace,
      ...(kind === 'Secret' ? { fieldSelector: 'type=kubernetes.io/tls' } : {}),
      transform: (raw) => {
        if (kind === 'Secret' && !this.o.cache.isReferencedSecret(objectKey(raw))) return null;
        return spec.convert(raw);
      },
      sink: {
        upsert: (key, value) => this.apply(kind, key, value),
        remove: (key) => {
          const lane = this.o.cache.remove(kind, key);
          if (lane !== null) this.o.onChange(lane);
        },
        synced: () => {
          if (synced) return;
          synced = true;
          if (--this.pendingSync === 0) this.o.onSynced();
        },
      },
      logger: this.o.logger.child({ kind, namespace }),
      onError: (reason) => this.o.onError?.(kind, reason),
    });
    this.reflectors.push(r as Reflector<unknown>);
    r.start();
  }

  private apply<K extends Kind>(kind: K, key: string, value: RecordOf[K]): void {
    const lane = this.o.cache.upsert(kind, key, value);
    if (lane === null) return;
    this.o.onChange(lane);
    if (kind === 'Ingress') void this.fetchNewlyReferencedSecrets();
  }
}
