/**
 * What the controller writes back to Kubernetes after each full build: Events for new warnings
 * and Ingress status. Every replica logs its warnings; only the leader writes Events (no
 * duplicates) and status. Failures here are logged and counted; they never affect the sync loop
 * or the proxy.
 */
import { hostname } from 'node:os';
import { CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1IngressLoadBalancerIngress } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { BuildResult } from '../model/build.ts';
import type { ControllerMetrics } from '../admin/metrics.ts';
import { LeaderElector } from './leader.ts';
import { StatusWriter, publishedAddresses } from './status.ts';
import { eventFor, newWarnings } from './events.ts';

export class KubeEdge {
  readonly #config: Config;
  readonly #log: Logger;
  readonly #metrics: ControllerMetrics;
  readonly #core: CoreV1Api;
  readonly #net: NetworkingV1Api;
  readonly #elector: LeaderElector;
  readonly #status: StatusWriter;
  #reported = new Set<string>();
  #last: BuildResult | undefined;
  #statusRunning: Promise<void> | undefined;
  #statusAgain = false;

  constructor(kc: KubeConfig, config: Config, log: Logger, metrics: ControllerMetrics) {
    this.#config = config;
    this.#log = log.child({ module: 'kube-edge' });
    this.#metrics = metrics;
    this.#core = kc.makeApiClient(CoreV1Api);
    this.#net = kc.makeApiClient(NetworkingV1Api);
    this.#status = new StatusWriter({
      write: async (namespace, name, ingress) => {
        const current = await this.#net.readNamespacedIngressStatus({ name, namespace });
        current.status = { ...(current.status ?? {}), loadBalancer: { ingress: [...ingress] } };
        await this.#net.replaceNamespacedIngressStatus({ name, namespace, body: current });
      },
    });
    this.#elector = new LeaderElector(kc, {
      namespace: config.electionNamespace,
      name: config.electionId,
      identity: process.env.POD_NAME ?? `${hostname()}-${String(process.pid)}`,
      durationS: 15,
      retryMs: 2000,
      onChange: (leader) => {
        this.#metrics.leader.set(leader ? 1 : 0);
        this.#log.info({ leader }, leader ? 'acquired the status lease' : 'lost the status lease; status is left as it is');
        if (leader) {
          this.#status.reset();
          this.#kickStatus();
        }
      },
      onError: (e) => { this.#metrics.errors.inc({ area: 'election' }); this.#log.debug({ err: String(e) }, 'lease attempt failed'); },
    });
  }

  start(): void { this.#elector.start(); }

  async stop(): Promise<void> {
    this.#elector.stop();
    await this.#statusRunning;
    if (this.#config.updateStatusOnShutdown && this.#elector.leader) {
      await this.#status.clear().catch((e: unknown) => this.#log.warn({ err: String(e) }, 'could not clear status'));
    }
  }

  afterBuild(build: BuildResult): void {
    this.#last = build;
    const { fresh, ids } = newWarnings(this.#reported, build.warnings);
    this.#reported = ids;
    for (const w of fresh) {
      this.#log.warn({ code: w.code, kind: w.object.kind, namespace: w.object.namespace, name: w.object.name }, w.message);
      if (!this.#elector.leader) continue;
      const e = eventFor(w, Date.now());
      this.#core.createNamespacedEvent({
        namespace: e.namespace,
        body: {
          metadata: { name: e.name, namespace: e.namespace },
          involvedObject: e.involved,
          reason: e.reason,
          message: e.message,
          type: 'Warning',
          source: { component: 'hawser-controller' },
          firstTimestamp: new Date(),
          lastTimestamp: new Date(),
          count: 1,
        },
      }).catch(() => this.#metrics.errors.inc({ area: 'events' }));
    }
    this.#kickStatus();
  }

  #kickStatus(): void {
    if (!this.#elector.leader || this.#last === undefined) return;
    if (this.#statusRunning !== undefined) {
      this.#statusAgain = true;
      return;
    }
    const build = this.#last;
    this.#statusRunning = this.#writeStatus(build).finally(() => {
      this.#statusRunning = undefined;
      if (this.#statusAgain) {
        this.#statusAgain = false;
        this.#kickStatus();
      }
    });
  }

  async #writeStatus(build: BuildResult): Promise<void> {
    try {
      const addresses = await this.#addresses();
      const n = await this.#status.sync(build.statuses, addresses);
      if (n > 0) this.#log.info({ written: n }, 'Ingress status written');
    } catch (e) {
      this.#metrics.errors.inc({ area: 'status' });
      this.#log.warn({ err: e instanceof Error ? e.message : String(e) }, 'status write failed; next build retries');
      this.#status.reset();
    }
  }

  async #addresses(): Promise<V1IngressLoadBalancerIngress[]> {
    const c = this.#config;
    if (c.publishStatusAddresses.length > 0 || c.publishService === undefined) return publishedAddresses(c.publishStatusAddresses, undefined);
    const [namespace = '', name = ''] = c.publishService.split('/');
    return publishedAddresses([], await this.#core.readNamespacedService({ name, namespace }));
  }
}
