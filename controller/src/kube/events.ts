/**
 * Kubernetes Events for the model's warnings. A warning is reported once while it lasts: each
 * full build reports only the warnings that the previous build did not have.
 */
import type { ModelWarning } from '../model/warnings.ts';
import { HWS_ERR } from '../errors.ts';

export function warningId(w: ModelWarning): string {
  return `${w.object.kind}|${w.object.namespace}|${w.object.name}|${w.object.uid}|${w.code}|${w.message}`;
}

/** Pure: the warnings of `next` that `previous` did not report, and the new set of reported ids. */
export function newWarnings(previous: ReadonlySet<string>, next: readonly ModelWarning[]): { fresh: ModelWarning[]; ids: Set<string> } {
  const ids = new Set(next.map(warningId));
  return { fresh: next.filter((w) => !previous.has(warningId(w))), ids };
}

export interface EventBody {
  readonly namespace: string;
  readonly name: string;
  readonly reason: string;
  readonly message: string;
  readonly involved: { kind: string; namespace: string; name: string; uid: string; apiVersion: string };
}

const API_VERSION: Record<string, string> = {
  Ingress: 'networking.k8s.io/v1', IngressClass: 'networking.k8s.io/v1', Service: 'v1', Secret: 'v1', EndpointSlice: 'discovery.k8s.io/v1',
};

/** Pure: the Event for one warning (name unique per object and moment, as kubectl's are). */
export function eventFor(w: ModelWarning, now: number): EventBody {
  const namespace = w.object.namespace === '' ? 'default' : w.object.namespace;
  return {
    namespace,
    name: `${w.object.name.slice(0, 200)}.${now.toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`,
    reason: HWS_ERR[w.code].reason,
    message: `${w.code}: ${w.message}`.slice(0, 1024),
    involved: { kind: w.object.kind, namespace: w.object.namespace, name: w.object.name, uid: w.object.uid, apiVersion: API_VERSION[w.object.kind] ?? 'v1' },
  };
}
