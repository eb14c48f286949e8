/**
 * Leader election on a Lease in the controller's namespace. Only the leader writes Ingress
 * status; every replica keeps programming its own proxy (each pod has its own proxy core), so a
 * lost election never stops traffic.
 */
import { CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { decide, type LeaseRecord, type Observation } from './lease.ts';

export interface LeaderElectionOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationSeconds?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly logger: Logger;
  readonly onChange: (leading: boolean) => void;
}

export class LeaderElection {
  private readonly o: Required<Omit<LeaderElectionOptions, 'kubeConfig'>> & { kubeConfig: KubeConfig };
  private readonly api: CoordinationV1Api;
  private observed: Observation = { record: null, seenAt: 0 };
  private leading = false;
  private lastRenew = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(opts: LeaderElectionOptions) {
    this.o = { leaseDurationSeconds: 15, renewDeadlineMs: 10000, retryPeriodMs: 2000, ...opts };
    this.api = opts.kubeConfig.makeApiClient(CoordinationV1Api);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stops and, when leading, releases the lease so that another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (!this.leading) return;
    this.setLeading(false);
    try {
      const lease = await this.api.readNamespacedLease({ name: this.o.name, namespace: this.o.namespace });
      if (lease.spec?.holderIdentity === this.o.identity) {
        lease.spec = { ...lease.spec, holderIdentity: '' };
        await this.api.replaceNamespacedLease({ name: this.o.name, namespace: this.o.namespace, body: lease });
      }
    } catch (err) {
      this.o.logger.warn({ err: String(err) }, 'could not release the lease');
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.attempt();
    } catch (err) {
      this.o.logger.debug({ err: String(err) }, 'lease attempt failed');
    }
    // A leader that could not renew within the deadline steps down before its lease can expire
    // for others, so two leaders never write status at once.
    if (this.leading && Date.now() - this.lastRenew > this.o.renewDeadlineMs) this.setLeading(false);
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.o.retryPeriodMs);
  }

  private async attempt(): Promise<void> {
    const { name, namespace, identity } = this.o;
    let lease: V1Lease | null = null;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
    const current = lease === null ? null : toRecord(lease);
    const now = performance.now();
    const d = decide({ me: identity, current, observed: this.observed, nowMs: now, wallTime: new Date().toISOString(), leaseDurationSeconds: this.o.leaseDurationSeconds });
    if (current !== null && (this.observed.record === null || this.observed.record.renewTime !== current.renewTime || this.observed.record.holder !== current.holder)) {
      this.observed = { record: current, seenAt: now };
    }
    if (d.action === 'wait') {
      if (this.leading) this.setLeading(false);
      return;
    }
    const body: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: lease?.metadata ?? { name, namespace },
      spec: {
        holderIdentity: d.record.holder,
        leaseDurationSeconds: d.record.leaseDurationSeconds,
        acquireTime: microTime(d.record.acquireTime),
        renewTime: microTime(d.record.renewTime),
        leaseTransitions: d.record.transitions,
      },
    };
    // Optimistic concurrency: replace carries the resourceVersion we read, so two candidates
    // racing for an expired lease cannot both win.
    if (d.action === 'create') await this.api.createNamespacedLease({ namespace, body });
    else await this.api.replaceNamespacedLease({ name, namespace, body });
    this.lastRenew = Date.now();
    this.observed = { record: d.record, seenAt: now };
    if (!this.leading) this.setLeading(true);
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    this.o.logger.info({ leading, identity: this.o.identity }, leading ? 'became leader' : 'stopped leading');
    this.o.onChange(leading);
  }
}

/**
 * A Lease's times are MicroTime: the API server parses exactly six fractional digits and answers
 * 400 to a Date's `toISOString()` (three). client-node passes a string through unchanged, so the
 * value is sent as one even though its typings say Date.
 */
export function microTime(iso: string): Date {
  const parsed = new Date(iso);
  const t = (Number.isNaN(parsed.getTime()) ? new Date() : parsed).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  return t as unknown as Date; // a string on the wire; see above
}

function toRecord(l: V1Lease): LeaseRecord {
  const s = l.spec ?? {};
  const iso = (d: Date | string | undefined): string => (d === undefined ? '' : d instanceof Date ? d.toISOString() : String(d));
  return {
    holder: s.holderIdentity ?? '',
    renewTime: iso(s.renewTime),
    acquireTime: iso(s.acquireTime),
    leaseDurationSeconds: s.leaseDurationSeconds ?? 15,
    transitions: s.leaseTransitions ?? 0,
  };
}
