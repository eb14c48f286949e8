/**
 * The addresses written into Ingress status: --publish-status-address values, else the
 * --publish-service Service's load-balancer ingress, else its ClusterIP. Pure.
 */
import type { V1Service } from '@kubernetes/client-node';
import type { PublishedAddress } from './status.ts';

export function publishedAddresses(addresses: readonly string[], service: V1Service | undefined): PublishedAddress[] {
  const fromText = (a: string): PublishedAddress => (/^[0-9.]+$|:/.test(a) ? { ip: a } : { hostname: a });
  if (addresses.length > 0) return [...addresses].sort().map(fromText);
  const lb = service?.status?.loadBalancer?.ingress ?? [];
  if (lb.length > 0) return lb.map((i) => ({ ...(i.ip === undefined ? {} : { ip: i.ip }), ...(i.hostname === undefined ? {} : { hostname: i.hostname }) }));
  const ip = service?.spec?.clusterIP;
  return ip === undefined || ip === '' || ip === 'None' ? [] : [{ ip }];
}
