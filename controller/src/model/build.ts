/**
 * The model builder: a snapshot of slim records → the desired proxy state, the warnings to
 * report and the status of each Ingress that is ours. Pure and deterministic: the same snapshot
 * gives the same output whatever the order of its arrays, because every output list is sorted.
 *
 * Steps, in order: drop objects with invalid metadata; pick our Ingresses; parse each one (a bad
 * field rejects that Ingress only); resolve route conflicts; resolve Service ports; merge backend
 * annotations; build servers from EndpointSlices; build certificates and the crt-list.
 */
import type { EndpointSliceRecord, IngressRecord, ModelOptions, ObjectMeta, Snapshot } from './types.ts';
import type { BackendSpec, ProxyState, RouteEntry } from './proxy-state.ts';
import type { IngressStatus, ModelWarning, ObjectRef } from './warnings.ts';
import type { RouteClaim, TlsClaim } from './ingress.ts';
import type { SettingsSource } from '../annotations/read.ts';
import { classSelector } from './ingress-class.ts';
import { ingressRef, parseIngress } from './ingress.ts';
import { compareAge, resolveConflicts } from './routes.ts';
import { buildBackend, resolveBackend } from './backends.ts';
import type { Resolution } from './backends.ts';
import { buildTls } from './tls.ts';
import { routeGuid } from './ids.ts';
import { mergeSettings, readAnnotations } from '../annotations/read.ts';
import { cmp, compareRefs, compareWarnings } from './warnings.ts';
import { namespaceProblem, objectNameProblem, uidProblem } from './validate.ts';
import { append } from './append.ts';

export interface BuildResult {
  readonly desired: ProxyState;
  /** Sorted by object, then code, then message. */
  readonly warnings: readonly ModelWarning[];
  /** One per Ingress that is ours, sorted by namespace/name. */
  readonly statuses: readonly IngressStatus[];
}

/** Verdicts by metadata identity (records are immutable): a rebuild does not re-run the regexes. */
const metaVerdicts = new WeakMap<ObjectMeta, string | null>();

function metaProblem(meta: ObjectMeta, namespaced: boolean): string | undefined {
  const cached = metaVerdicts.get(meta);
  if (cached !== undefined) return cached ?? undefined;
  const problem = (namespaced ? namespaceProblem(meta.namespace) : undefined) ?? objectNameProblem(meta.name) ?? uidProblem(meta.uid);
  metaVerdicts.set(meta, problem ?? null);
  return problem;
}

function validObjects<T extends { meta: ObjectMeta }>(kind: ObjectRef['kind'], items: readonly T[], warnings: ModelWarning[]): T[] {
  const out: T[] = [];
  for (const item of items) {
    const problem = metaProblem(item.meta, kind !== 'IngressClass');
    if (problem === undefined) out.push(item);
    else warnings.push({ object: { kind, namespace: item.meta.namespace.slice(0, 253), name: item.meta.name.slice(0, 253), uid: item.meta.uid.slice(0, 64) }, code: 'HWS_ERR_INVALID_OBJECT_META', message: `${problem}; the object is ignored` });
  }
  return out;
}

function index<T extends { meta: ObjectMeta }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [`${i.meta.namespace}/${i.meta.name}`, i]));
}

export function slicesByService(slices: readonly EndpointSliceRecord[]): Map<string, EndpointSliceRecord[]> {
  const out = new Map<string, EndpointSliceRecord[]>();
  for (const s of slices) {
    const key = `${s.meta.namespace}/${s.serviceName}`;
    const list = out.get(key);
    if (list === undefined) out.set(key, [s]);
    else list.push(s);
  }
  return out;
}

export function buildModel(snapshot: Snapshot, options: ModelOptions): BuildResult {
  const warnings: ModelWarning[] = [];
  const classes = validObjects('IngressClass', snapshot.ingressClasses, warnings);
  const selector = classSelector(classes, options);
  const ingresses = validObjects('Ingress', snapshot.ingresses, warnings).filter((i) => selector.isOurs(i)).sort(compareAge);
  const services = index(validObjects('Service', snapshot.services, warnings));
  const secrets = index(validObjects('Secret', snapshot.secrets, warnings));
  const slices = slicesByService(validObjects('EndpointSlice', snapshot.endpointSlices, warnings));

  const statuses: IngressStatus[] = [];
  const claims: RouteClaim[] = [];
  const tlsClaims: TlsClaim[] = [];
  const accepted: IngressRecord[] = [];
  for (const ing of ingresses) {
    const verdict = parseIngress(ing);
    statuses.push({ object: ingressRef(ing), accepted: verdict.accepted });
    if (!verdict.accepted) {
      append(warnings, verdict.warnings);
      continue;
    }
    accepted.push(ing);
    append(claims, verdict.routes);
    append(tlsClaims, verdict.tls);
  }

  const conflicts = resolveConflicts(claims);
  append(warnings, conflicts.warnings);

  // Resolve each winning route's Service port; collect which Ingresses use which backend.
  const routes: RouteEntry[] = [];
  const used = new Map<string, { resolution: Extract<Resolution, { ok: true }>; ingresses: Map<string, IngressRecord> }>();
  for (const claim of conflicts.winners) {
    const res = resolveBackend(claim.ingress.meta.namespace, claim.backend, services, options);
    if (!res.ok) {
      warnings.push({ object: ingressRef(claim.ingress), code: res.code, message: `${res.message}; route ${claim.key} is not served` });
      continue;
    }
    routes.push({ key: claim.key, value: `${res.backend} ${routeGuid(claim.ingress.meta.uid, claim.guidKey)}` });
    const entry = used.get(res.backend) ?? { resolution: res, ingresses: new Map<string, IngressRecord>() };
    entry.ingresses.set(claim.ingress.meta.uid, claim.ingress);
    used.set(res.backend, entry);
  }

  // Annotations: each object's own problems are reported once, then merged per backend.
  const ingressSettings = new Map(accepted.map((ing) => {
    const read = readAnnotations(ing.meta.annotations, ingressRef(ing));
    append(warnings, read.warnings);
    return [ing.meta.uid, read.settings] as const;
  }));
  const serviceSettingsDone = new Set<string>();
  const backends: BackendSpec[] = [];
  for (const name of [...used.keys()].sort(cmp)) {
    const entry = used.get(name);
    if (entry === undefined) continue;
    const { service, port } = entry.resolution;
    const svcRef: ObjectRef = { kind: 'Service', namespace: service.meta.namespace, name: service.meta.name, uid: service.meta.uid };
    const svcRead = readAnnotations(service.meta.annotations, svcRef);
    if (!serviceSettingsDone.has(service.meta.uid)) {
      serviceSettingsDone.add(service.meta.uid);
      append(warnings, svcRead.warnings);
    }
    const sources: SettingsSource[] = [{ object: svcRef, settings: svcRead.settings }];
    for (const ing of [...entry.ingresses.values()].sort(compareAge)) {
      sources.push({ object: ingressRef(ing), settings: ingressSettings.get(ing.meta.uid) ?? {} });
    }
    const merged = mergeSettings(name, sources);
    append(warnings, merged.warnings);
    const built = buildBackend({ service, port, settings: merged.settings, slices: slices.get(`${service.meta.namespace}/${service.meta.name}`) ?? [] });
    append(warnings, built.warnings);
    backends.push(built.backend);
  }

  const tls = buildTls(tlsClaims, secrets, options);
  append(warnings, tls.warnings);

  const desired: ProxyState = {
    backends,
    routes: routes.sort((a, b) => cmp(a.key, b.key)),
    certificates: tls.certificates,
    crtList: tls.crtList,
    ...(tls.defaultCertificate === undefined ? {} : { defaultCertificate: tls.defaultCertificate }),
  };
  return { desired, warnings: dedupe(warnings.sort(compareWarnings)), statuses: statuses.sort((a, b) => compareRefs(a.object, b.object)) };
}

function dedupe(sorted: ModelWarning[]): ModelWarning[] {
  return sorted.filter((w, i) => {
    const prev = sorted[i - 1];
    return prev === undefined || compareWarnings(prev, w) !== 0;
  });
}
