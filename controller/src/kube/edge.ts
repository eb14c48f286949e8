/**
 * What the controller writes back to Kubernetes after each full build: Events for the model's
 * warnings (EventRecorder: each once per 10 minutes at most) and Ingress status (StatusWriter).
 * Only the Lease holder (LeaderElection) writes; every replica keeps programming its own proxy,
 * logs its warnings, and never empties status on a lost lease. Failures here are logged and
 * counted; they never reach the sync loop or the proxy.
 */
import { hostname } from 'node:os';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { BuildResult } from '../model/build.ts';
import type { ControllerMetrics } from '../admin/metrics.ts';
import { HWS_ERR } from '../errors.ts';
import { LeaderElection } from './leader-election.ts';
import { StatusWriter } from './status.ts';
import type { PublishedAddress, StatusTarget } from './status.ts';
import { EventRecorder } from './events.ts';
import { publishedAddresses } from './published-address.ts';

export class KubeEdge {
  readonly #config: Config;
  readonly #log: Logger;
  readonly #metrics: ControllerMetrics;
  readonly #core: CoreV1Api;
  readonly #election: LeaderElection;
  readonly #status: StatusWriter;
  readonly #events: EventRecorder;
  #last: BuildResult | undefined;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(kc: KubeConfig, config: Config, log: Logger, metrics: ControllerMetrics) {
    const identity = process.env.POD_NAME ?? `${hostname()}-${String(process.pid)}`;
    this.#config = config;
    this.#log = log.child({ module: 'kube-edge' });
    this.#metrics = metrics;
    this.#core = kc.makeApiClient(CoreV1Api);
    this.#status = new StatusWriter(kc, this.#log);
    this.#events = new EventRecorder({ kubeConfig: kc, component: 'hawser-controller', instance: identity, logger: this.#log, onError: () => this.#metrics.errors.inc({ area: 'events' }) });
    this.#election = new LeaderElection({
      kubeConfig: kc,
      namespace: config.electionNamespace,
      name: config.electionId,
      identity,
      logger: this.#log,
      onChange: (leading) => {
        this.#metrics.leader.set(leading ? 1 : 0);
        this.#log.info({ leading }, leading ? 'acquired the status lease' : 'lost the status lease; status is left as it is');
        if (leading) {
          this.#status.reset();
          this.#kick();
        }
      },
    });
  }

  start(): void { this.#election.start(); }

  async stop(): Promise<void> {
    await this.#running;
    if (this.#config.updateStatusOnShutdown && this.#election.isLeader && this.#last !== undefined) {
      await this.#status.sync(this.#targets(this.#last).map((t) => ({ ...t, accepted: false })), []);
    }
    await this.#election.stop();
  }

  afterBuild(build: BuildResult): void {
    this.#last = build;
    this.#kick();
  }

  #targets(build: BuildResult): StatusTarget[] {
    return build.statuses.map((s) => ({ namespace: s.object.namespace, name: s.object.name, accepted: s.accepted }));
  }

  /** One write pass at a time; a build that arrives meanwhile runs right after. */
  #kick(): void {
    if (!this.#election.isLeader || this.#last === undefined) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    const build = this.#last;
    this.#running = this.#write(build).finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.#kick();
      }
    });
  }

  async #write(build: BuildResult): Promise<void> {
    await this.#events.record(build.warnings.map((w) => ({ object: w.object, type: 'Warning' as const, reason: HWS_ERR[w.code].reason, message: `${w.code}: ${w.message}` })));
    try {
      const failures = await this.#status.sync(this.#targets(build), await this.#addresses());
      if (failures > 0) this.#metrics.errors.inc({ area: 'status' }, failures);
    } catch (e) {
      this.#metrics.errors.inc({ area: 'status' });
      this.#log.warn({ err: e instanceof Error ? e.message : String(e) }, 'could not read the published Service; status not written');
    }
  }

  async #addresses(): Promise<PublishedAddress[]> {
    const c = this.#config;
    if (c.publishStatusAddresses.length > 0 || c.publishService === undefined) return publishedAddresses(c.publishStatusAddresses, undefined);
    const [namespace = '', name = ''] = c.publishService.split('/');
    return publishedAddresses([], await this.#core.readNamespacedService({ name, namespace }));
  }
}
