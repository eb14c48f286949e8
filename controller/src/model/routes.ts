/**
 * Route conflicts: one key (match, host, path) has one owner. Explicit rules beat claims implied
 * by spec.defaultBackend; then the oldest Ingress (creationTimestamp) wins, then namespace/name;
 * within one Ingress the first rule wins. Losing explicit claims get HWS_ERR_ROUTE_CONFLICT.
 */
import type { IngressRecord } from './types.ts';
import type { ModelWarning } from './warnings.ts';
import type { RouteClaim } from './ingress.ts';
import { ingressRef } from './ingress.ts';
import { cmp } from './warnings.ts';

export function compareAge(a: IngressRecord, b: IngressRecord): number {
  return cmp(a.meta.creationTimestamp, b.meta.creationTimestamp)
    || cmp(a.meta.namespace, b.meta.namespace)
    || cmp(a.meta.name, b.meta.name);
}

export function resolveConflicts(claims: readonly RouteClaim[]): { winners: RouteClaim[]; warnings: ModelWarning[] } {
  const byKey = new Map<string, RouteClaim[]>();
  for (const c of claims) {
    const list = byKey.get(c.key);
    if (list === undefined) byKey.set(c.key, [c]);
    else list.push(c);
  }
  const winners: RouteClaim[] = [];
  const warnings: ModelWarning[] = [];
  for (const key of [...byKey.keys()].sort(cmp)) {
    // Array.prototype.sort is stable: claims of one Ingress keep their rule order.
    const group = [...(byKey.get(key) ?? [])].sort((a, b) => a.priority - b.priority || compareAge(a.ingress, b.ingress));
    const [winner, ...losers] = group;
    if (winner === undefined) continue;
    winners.push(winner);
    for (const loser of losers) {
      if (loser.priority === 1) continue;
      const same = loser.ingress.meta.uid === winner.ingress.meta.uid;
      const by = same ? 'an earlier rule of this Ingress' : `Ingress ${winner.ingress.meta.namespace}/${winner.ingress.meta.name}, which is older`;
      warnings.push({ object: ingressRef(loser.ingress), code: 'HWS_ERR_ROUTE_CONFLICT', message: `route ${key} is already claimed by ${by}; this rule is not served` });
    }
  }
  return { winners, warnings };
}
