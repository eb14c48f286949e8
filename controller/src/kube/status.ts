/**
 * Writes `status.loadBalancer.ingress` of the Ingresses the controller serves (leader only).
 * Addresses come from the published Service's load-balancer status or from a flag. A write
 * happens only when the status differs from what the API server holds, and it carries the
 * resourceVersion it read, so a concurrent writer is never overwritten blindly.
 */
import { NetworkingV1Api, type KubeConfig, type V1IngressLoadBalancerIngress } from '@kubernetes/client-node';
import type { Logger } from 'pino';

export interface StatusTarget {
  readonly namespace: string;
  readonly name: string;
  /** False: the Ingress is ours but rejected; its address is cleared. */
  readonly accepted: boolean;
}

export interface PublishedAddress {
  readonly ip?: string;
  readonly hostname?: string;
}

export function sameAddresses(a: readonly PublishedAddress[], b: readonly PublishedAddress[]): boolean {
  const key = (x: PublishedAddress): string => `${x.ip ?? ''}/${x.hostname ?? ''}`;
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.length === kb.length && ka.every((v, i) => v === kb[i]);
}

export class StatusWriter {
  private readonly api: NetworkingV1Api;
  private readonly logger: Logger;
  /** What we last wrote per `ns/name`, to skip reads when nothing changed. */
  private readonly written = new Map<string, string>();

  constructor(kubeConfig: KubeConfig, logger: Logger) {
    this.api = kubeConfig.makeApiClient(NetworkingV1Api);
    this.logger = logger;
  }

  /** Brings every target's status to `addresses` (or to empty when not accepted). Returns failures. */
  async sync(targets: readonly StatusTarget[], addresses: readonly PublishedAddress[]): Promise<number> {
    let failures = 0;
    for (const t of targets) {
      const want = t.accepted ? addresses : [];
      const key = `${t.namespace}/${t.name}`;
      const fingerprint = JSON.stringify(want);
      if (this.written.get(key) === fingerprint) continue;
      try {
        // A GET of the Ingress itself: the chart grants `get` on ingresses and only `update` on
        // ingresses/status, and both reads return the same object and resourceVersion.
        const ing = await this.api.readNamespacedIngress({ name: t.name, namespace: t.namespace });
        const have = (ing.status?.loadBalancer?.ingress ?? []).map((x) => ({ ...(x.ip ? { ip: x.ip } : {}), ...(x.hostname ? { hostname: x.hostname } : {}) }));
        if (!sameAddresses(have, want)) {
          ing.status = { loadBalancer: { ingress: want.map((a) => ({ ...a }) as V1IngressLoadBalancerIngress) } };
          await this.api.replaceNamespacedIngressStatus({ name: t.name, namespace: t.namespace, body: ing });
        }
        this.written.set(key, fingerprint);
      } catch (err) {
        failures++;
        this.logger.warn({ ingress: key, err: String(err) }, 'could not write ingress status');
      }
    }
    return failures;
  }

  /** Forget what was written (after losing and regaining leadership, re-check everything). */
  reset(): void {
    this.written.clear();
  }
}
