/**
 * One Ingress → the route claims and TLS claims it makes, or its rejection. Everything that will
 * become a runtime argument is validated here; one bad field rejects this Ingress only.
 *
 * Path semantics:
 *   Exact                   → `exact:<host><path>`
 *   Prefix                  → `prefix:<host><path without trailing />` (element-wise; `/foo/` ≡ `/foo`)
 *   ImplementationSpecific  → the same as Prefix (documented choice; no regular expressions)
 *   no host                 → `*` (any host)
 * spec.defaultBackend claims the catch-all key (any host, prefix `/`) and, for each host of this Ingress that has no `/`
 * prefix route of its own, `prefix:<host>/`: requests for those hosts that match none of their
 * paths reach the Ingress's default backend instead of the frontend's. These implied claims lose
 * silently to any explicit rule.
 */
import type { IngressRecord, ServiceBackendRef } from './types.ts';
import type { ModelWarning, ObjectRef } from './warnings.ts';
import { hostProblem, pathProblem, portNameProblem, portNumberProblem, preview, serviceNameProblem } from './validate.ts';

export type Match = 'exact' | 'prefix';

export interface RouteClaim {
  readonly key: string;
  readonly ingress: IngressRecord;
  readonly backend: ServiceBackendRef;
  /** 0: an explicit rule; 1: implied by spec.defaultBackend. Lower wins a conflict first. */
  readonly priority: 0 | 1;
  /** The route's GUID input: its key, or 'default' for defaultBackend claims. */
  readonly guidKey: string;
}

export interface TlsClaim {
  readonly ingress: IngressRecord;
  readonly secretName: string;
  /** Empty: serve whatever names the certificate holds. */
  readonly hosts: readonly string[];
}

export type IngressVerdict =
  | { readonly accepted: true; readonly routes: readonly RouteClaim[]; readonly tls: readonly TlsClaim[] }
  | { readonly accepted: false; readonly warnings: readonly ModelWarning[] };

export function ingressRef(ing: IngressRecord): ObjectRef {
  return { kind: 'Ingress', namespace: ing.meta.namespace, name: ing.meta.name, uid: ing.meta.uid };
}

export function routeKey(match: Match, host: string, path: string): string {
  return `${match}:${host}${path}`;
}

function backendProblem(ref: ServiceBackendRef | undefined): string | undefined {
  if (ref === undefined) return 'only Service backends are supported (resource backends are not)';
  const name = serviceNameProblem(ref.name);
  if (name !== undefined) return name;
  const { number, name: portName } = ref.port;
  if ((number === undefined) === (portName === undefined)) return 'a backend needs exactly one of port.number and port.name';
  if (number !== undefined) return portNumberProblem(number);
  return portName === undefined ? undefined : portNameProblem(portName);
}

/** Verdicts by record identity (records are immutable, replaced on change): pure, just cached. */
const verdicts = new WeakMap<IngressRecord, IngressVerdict>();

export function parseIngress(ing: IngressRecord): IngressVerdict {
  const cached = verdicts.get(ing);
  if (cached !== undefined) return cached;
  const verdict = parseIngressUncached(ing);
  verdicts.set(ing, verdict);
  return verdict;
}

function parseIngressUncached(ing: IngressRecord): IngressVerdict {
  const object = ingressRef(ing);
  const reject = (code: ModelWarning['code'], message: string): IngressVerdict => ({
    accepted: false,
    warnings: [{ object, code, message: `${message}; the Ingress is not served` }],
  });
  const routes: RouteClaim[] = [];
  const explicitRoots = new Set<string>();
  const hostsSeen: string[] = [];
  for (const rule of ing.rules) {
    const anyHost = rule.host === undefined || rule.host === '';
    const host = anyHost ? '*' : rule.host ?? '';
    if (!anyHost) {
      const problem = hostProblem(host);
      if (problem !== undefined) return reject('HWS_ERR_INGRESS_INVALID_HOST', problem);
      if (!hostsSeen.includes(host)) hostsSeen.push(host);
    }
    for (const p of rule.paths) {
      let match: Match;
      if (p.pathType === 'Exact') match = 'exact';
      else if (p.pathType === 'Prefix' || p.pathType === 'ImplementationSpecific') match = 'prefix';
      else return reject('HWS_ERR_INGRESS_INVALID_PATH_TYPE', `pathType ${preview(p.pathType)} is not Exact, Prefix or ImplementationSpecific`);
      let path = p.path ?? '';
      if (path === '') {
        if (p.pathType !== 'ImplementationSpecific') return reject('HWS_ERR_INGRESS_INVALID_PATH', `a path is required with pathType ${p.pathType}`);
        path = '/';
      }
      const problem = pathProblem(path);
      if (problem !== undefined) return reject('HWS_ERR_INGRESS_INVALID_PATH', problem);
      const bp = backendProblem(p.backend.service);
      if (bp !== undefined || p.backend.service === undefined) return reject('HWS_ERR_INGRESS_INVALID_BACKEND', bp ?? 'missing service');
      if (match === 'prefix' && path.length > 1) path = path.replace(/\/+$/, '');
      if (match === 'prefix' && path === '/') explicitRoots.add(host);
      const key = routeKey(match, host, path);
      routes.push({ key, ingress: ing, backend: p.backend.service, priority: 0, guidKey: key });
    }
  }
  const tls: TlsClaim[] = [];
  for (const t of ing.tls) {
    for (const h of t.hosts) {
      const problem = hostProblem(h);
      if (problem !== undefined) return reject('HWS_ERR_INGRESS_INVALID_HOST', `spec.tls: ${problem}`);
    }
    if (t.secretName === undefined || t.secretName === '') continue;
    tls.push({ ingress: ing, secretName: t.secretName, hosts: [...new Set(t.hosts)] });
  }
  if (ing.defaultBackend !== undefined) {
    const bp = backendProblem(ing.defaultBackend.service);
    const service = ing.defaultBackend.service;
    if (bp !== undefined || service === undefined) return reject('HWS_ERR_INGRESS_INVALID_BACKEND', `spec.defaultBackend: ${bp ?? 'missing service'}`);
    routes.push({ key: routeKey('prefix', '*', '/'), ingress: ing, backend: service, priority: 1, guidKey: 'default' });
    for (const host of hostsSeen) {
      if (!explicitRoots.has(host)) routes.push({ key: routeKey('prefix', host, '/'), ingress: ing, backend: service, priority: 1, guidKey: 'default' });
    }
  }
  return { accepted: true, routes, tls };
}
