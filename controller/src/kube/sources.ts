/**
 * The Kubernetes source: one list+watch loop per kind (and per --watch-namespace), each object
 * converted to a slim record and put in the cache; the cache's verdict goes to the sync loop.
 * Secrets are watched with `type=kubernetes.io/tls` and kept only while referenced; a Secret that
 * becomes referenced after its content was dropped is fetched with one GET.
 */
import { CoreV1Api, DiscoveryV1Api, NetworkingV1Api, Watch } from '@kubernetes/client-node';
import type { KubeConfig, V1EndpointSlice, V1Ingress, V1IngressClass, V1Secret, V1Service } from '@kubernetes/client-node';
import type { Cache, Change, Kind } from './cache.ts';
import { ListWatchLoop } from './list-watch.ts';
import type { KubeObject, ListResult, Watcher } from './list-watch.ts';
import { convertEndpointSlice, convertIngress, convertIngressClass, convertSecret, convertService } from './convert.ts';

export interface SourceEvents {
  change(c: Change): void;
  /** Every kind has been listed once: the cache is complete. */
  synced(): void;
  error(kind: Kind, e: unknown): void;
}

export interface KubeSourceOptions {
  /** Empty: all namespaces. */
  readonly namespaces: readonly string[];
}

interface KindSpec<T extends KubeObject> {
  readonly kind: Kind;
  readonly namespaced: boolean;
  readonly path: (ns?: string) => string;
  readonly list: (ns?: string) => Promise<ListResult<T>>;
  readonly fieldSelector?: string;
  readonly upsert: (o: T) => Change;
}

export class KubeSource {
  readonly #loops: ListWatchLoop<KubeObject>[] = [];
  readonly #cache: Cache;
  readonly #events: SourceEvents;
  readonly #core: CoreV1Api;
  readonly #pendingLists = new Set<string>();
  readonly #fetching = new Set<string>();
  #synced = false;

  constructor(kc: KubeConfig, cache: Cache, events: SourceEvents, o: KubeSourceOptions) {
    this.#cache = cache;
    this.#events = events;
    const net = kc.makeApiClient(NetworkingV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const disc = kc.makeApiClient(DiscoveryV1Api);
    this.#core = core;
    const watcher = new Watch(kc) as unknown as Watcher;
    const tls = 'type=kubernetes.io/tls';
    const specs: KindSpec<KubeObject>[] = [
      { kind: 'IngressClass', namespaced: false, path: () => '/apis/networking.k8s.io/v1/ingressclasses', list: () => net.listIngressClass(), upsert: (x) => cache.upsert('IngressClass', convertIngressClass(x as V1IngressClass)) },
      {
        kind: 'Ingress', namespaced: true,
        path: (ns) => (ns === undefined ? '/apis/networking.k8s.io/v1/ingresses' : `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`),
        list: (ns) => (ns === undefined ? net.listIngressForAllNamespaces() : net.listNamespacedIngress({ namespace: ns })),
        upsert: (x) => { const c = cache.upsert('Ingress', convertIngress(x as V1Ingress)); this.#fetchMissingSecrets(); return c; },
      },
      {
        kind: 'Service', namespaced: true,
        path: (ns) => (ns === undefined ? '/api/v1/services' : `/api/v1/namespaces/${ns}/services`),
        list: (ns) => (ns === undefined ? core.listServiceForAllNamespaces() : core.listNamespacedService({ namespace: ns })),
        upsert: (x) => cache.upsert('Service', convertService(x as V1Service)),
      },
      {
        kind: 'EndpointSlice', namespaced: true,
        path: (ns) => (ns === undefined ? '/apis/discovery.k8s.io/v1/endpointslices' : `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`),
        list: (ns) => (ns === undefined ? disc.listEndpointSliceForAllNamespaces() : disc.listNamespacedEndpointSlice({ namespace: ns })),
        upsert: (x) => cache.upsert('EndpointSlice', convertEndpointSlice(x as V1EndpointSlice)),
      },
      {
        kind: 'Secret', namespaced: true, fieldSelector: tls,
        path: (ns) => (ns === undefined ? '/api/v1/secrets' : `/api/v1/namespaces/${ns}/secrets`),
        list: (ns) => (ns === undefined ? core.listSecretForAllNamespaces({ fieldSelector: tls }) : core.listNamespacedSecret({ namespace: ns, fieldSelector: tls })),
        upsert: (x) => cache.upsert('Secret', convertSecret(x as V1Secret)),
      },
    ];
    for (const spec of specs) {
      const scopes: (string | undefined)[] = spec.namespaced && o.namespaces.length > 0 ? [...o.namespaces] : [undefined];
      for (const ns of scopes) {
        const id = `${spec.kind}/${ns ?? '*'}`;
        this.#pendingLists.add(id);
        this.#loops.push(new ListWatchLoop<KubeObject>({
          path: spec.path(ns),
          list: () => spec.list(ns) as Promise<ListResult<KubeObject>>,
          watcher,
          ...(spec.fieldSelector === undefined ? {} : { fieldSelector: spec.fieldSelector }),
        }, {
          upsert: (x) => this.#events.change(spec.upsert(x)),
          remove: (key) => this.#events.change(cache.remove(spec.kind, key)),
          listed: () => this.#listed(id),
          error: (e) => this.#events.error(spec.kind, e),
        }));
      }
    }
  }

  #listed(id: string): void {
    this.#pendingLists.delete(id);
    if (!this.#synced && this.#pendingLists.size === 0) {
      this.#synced = true;
      this.#events.synced();
    }
  }

  #fetchMissingSecrets(): void {
    for (const key of this.#cache.missingSecrets()) {
      if (this.#fetching.has(key)) continue;
      this.#fetching.add(key);
      const [namespace = '', name = ''] = key.split('/');
      this.#core.readNamespacedSecret({ name, namespace }).then(
        (s) => this.#events.change(this.#cache.upsert('Secret', convertSecret(s))),
        (e: unknown) => this.#events.error('Secret', e),
      ).finally(() => this.#fetching.delete(key));
    }
  }

  start(): void {
    for (const l of this.#loops) l.start();
  }

  stop(): void {
    for (const l of this.#loops) l.stop();
  }
}
