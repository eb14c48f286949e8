/**
 * What the builder reports about objects: each warning becomes a Kubernetes Event on the object,
 * a log line and a count in `hawser_controller_invalid_objects{reason}`. Pure data.
 */
import type { HwsErrCode } from '../errors.ts';

export interface ObjectRef {
  readonly kind: 'Ingress' | 'Service' | 'EndpointSlice' | 'Secret' | 'IngressClass';
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface ModelWarning {
  readonly object: ObjectRef;
  readonly code: HwsErrCode;
  readonly message: string;
}

/** Per Ingress that is ours: whether it is served at all (status.loadBalancer is written for it). */
export interface IngressStatus {
  readonly object: ObjectRef;
  /** False when the Ingress was rejected as a whole (invalid host, path, backend, metadata). */
  readonly accepted: boolean;
}

export function compareRefs(a: ObjectRef, b: ObjectRef): number {
  return cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.uid, b.uid);
}

export function compareWarnings(a: ModelWarning, b: ModelWarning): number {
  return compareRefs(a.object, b.object) || cmp(a.code, b.code) || cmp(a.message, b.message);
}

/** Code-unit order: locale-free, so output is the same on every machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
