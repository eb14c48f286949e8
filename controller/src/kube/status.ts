/**
 * Ingress status: `status.loadBalancer.ingress` of every Ingress we accept, from
 * --publish-status-address, else the --publish-service Service (its LoadBalancer ingress, else its
 * ClusterIP). Only the leader writes; a status is written only when it differs from what this
 * process last wrote, and regaining the lease writes everything again. Never emptied on a lost
 * lease; cleared on shutdown only with --update-status-on-shutdown.
 */
import type { V1IngressLoadBalancerIngress, V1Service } from '@kubernetes/client-node';
import type { IngressStatus } from '../model/warnings.ts';

/** Pure: the addresses to publish. */
export function publishedAddresses(addresses: readonly string[], service: V1Service | undefined): V1IngressLoadBalancerIngress[] {
  const fromText = (a: string): V1IngressLoadBalancerIngress => (/^[0-9.]+$|:/.test(a) ? { ip: a } : { hostname: a });
  if (addresses.length > 0) return [...addresses].sort().map(fromText);
  const lb = service?.status?.loadBalancer?.ingress ?? [];
  if (lb.length > 0) return lb.map((i) => ({ ...(i.ip === undefined ? {} : { ip: i.ip }), ...(i.hostname === undefined ? {} : { hostname: i.hostname }) }));
  const ip = service?.spec?.clusterIP;
  return ip === undefined || ip === '' || ip === 'None' ? [] : [{ ip }];
}

export interface StatusApi {
  write(namespace: string, name: string, ingress: readonly V1IngressLoadBalancerIngress[]): Promise<void>;
}

export class StatusWriter {
  readonly #api: StatusApi;
  readonly #written = new Map<string, { namespace: string; name: string; value: string }>();

  constructor(api: StatusApi) { this.#api = api; }

  /** Forget what was written, so the next pass writes everything (after regaining the lease). */
  reset(): void { this.#written.clear(); }

  /** Writes the status of each accepted Ingress that differs. Returns the number written. */
  async sync(statuses: readonly IngressStatus[], ingress: readonly V1IngressLoadBalancerIngress[]): Promise<number> {
    const value = JSON.stringify(ingress);
    let n = 0;
    for (const s of statuses) {
      if (!s.accepted) continue;
      if (this.#written.get(s.object.uid)?.value === value) continue;
      await this.#api.write(s.object.namespace, s.object.name, ingress);
      this.#written.set(s.object.uid, { namespace: s.object.namespace, name: s.object.name, value });
      n++;
    }
    return n;
  }

  /** --update-status-on-shutdown: empties what this process wrote. */
  async clear(): Promise<void> {
    for (const w of this.#written.values()) await this.#api.write(w.namespace, w.name, []);
    this.#written.clear();
  }
}
