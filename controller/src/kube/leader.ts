/**
 * Leader election on a coordination.k8s.io/v1 Lease. Only the status writer follows it: losing
 * the lease never stops the sync loop, never touches the proxy and never empties Ingress status
 * (haproxy-ingress#1485); the elector simply keeps trying, forever.
 */
import { CoordinationV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Lease } from '@kubernetes/client-node';

export interface LeaseView {
  readonly holder?: string;
  /** Milliseconds since the epoch of the last renewal. */
  readonly renewedAt?: number;
  readonly durationS?: number;
}

export type LeaseAction = 'create' | 'renew' | 'take' | 'wait';

/** Pure: what to do with the lease as it stands. */
export function decideLease(lease: LeaseView | undefined, identity: string, now: number, durationS: number): LeaseAction {
  if (lease === undefined) return 'create';
  if (lease.holder === identity) return 'renew';
  const expires = (lease.renewedAt ?? 0) + (lease.durationS ?? durationS) * 1000;
  if (lease.holder === undefined || lease.holder === '' || now > expires) return 'take';
  return 'wait';
}

export interface ElectorOptions {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly durationS: number;
  readonly retryMs: number;
  readonly onChange: (leader: boolean) => void;
  readonly onError: (e: unknown) => void;
}

function view(l: V1Lease): LeaseView {
  const renew = l.spec?.renewTime as Date | string | undefined;
  return {
    ...(l.spec?.holderIdentity === undefined ? {} : { holder: l.spec.holderIdentity }),
    ...(renew === undefined ? {} : { renewedAt: new Date(renew).getTime() }),
    ...(l.spec?.leaseDurationSeconds === undefined ? {} : { durationS: l.spec.leaseDurationSeconds }),
  };
}

export class LeaderElector {
  readonly #api: CoordinationV1Api;
  readonly #o: ElectorOptions;
  #leader = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(kc: KubeConfig, o: ElectorOptions) {
    this.#api = kc.makeApiClient(CoordinationV1Api);
    this.#o = o;
  }

  get leader(): boolean { return this.#leader; }

  start(): void { void this.#tick(); }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  #set(leader: boolean): void {
    if (leader === this.#leader) return;
    this.#leader = leader;
    this.#o.onChange(leader);
  }

  async #tick(): Promise<void> {
    const { namespace, name, identity, durationS } = this.#o;
    try {
      let current: V1Lease | undefined;
      try {
        current = await this.#api.readNamespacedLease({ name, namespace });
      } catch (e) {
        if ((e as { code?: number }).code !== 404) throw e;
      }
      const now = Date.now();
      const action = decideLease(current === undefined ? undefined : view(current), identity, now, durationS);
      const spec = { holderIdentity: identity, leaseDurationSeconds: durationS, renewTime: new Date(now) as unknown as Date };
      if (action === 'create') {
        await this.#api.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec: { ...spec, acquireTime: new Date(now) } } });
        this.#set(true);
      } else if (action === 'renew' || action === 'take') {
        const body: V1Lease = { ...(current ?? {}), spec: { ...(current?.spec ?? {}), ...spec, ...(action === 'take' ? { acquireTime: new Date(now) } : {}) } };
        await this.#api.replaceNamespacedLease({ name, namespace, body });
        this.#set(true);
      } else {
        this.#set(false);
      }
    } catch (e) {
      // A conflict means someone else renewed first; any other error: we cannot prove we lead.
      this.#set(false);
      this.#o.onError(e);
    }
    if (!this.#stopped) this.#timer = setTimeout(() => { void this.#tick(); }, this.#o.retryMs);
  }
}
