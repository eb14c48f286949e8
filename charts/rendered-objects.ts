// Typed views of rendered chart objects for the chart tests: finding objects and the pod's
// containers without repeating casts in every test.
import type { K8sObject } from './helm.ts';

export interface Probe {
  httpGet?: { path: string; port: string | number };
}

export interface Container {
  name: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
  envFrom?: unknown[];
  ports?: { name: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type: string };
  };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number }; exec?: { command: string[] } } };
}

export interface Volume {
  name: string;
  emptyDir?: Record<string, unknown>;
  configMap?: { name: string };
  projected?: { sources: Record<string, unknown>[] };
  secret?: unknown;
  hostPath?: unknown;
}

export interface PodSpec {
  serviceAccountName: string;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  hostNetwork?: boolean;
  shareProcessNamespace?: boolean;
  containers: Container[];
  volumes: Volume[];
  priorityClassName?: string;
  topologySpreadConstraints?: Record<string, unknown>[];
  affinity?: Record<string, unknown>;
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

/** All objects of `kind`. */
export function ofKind(objects: readonly K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** The one object of `kind` (and `name` when given); throws when there is not exactly one. */
export function one(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = ofKind(objects, kind).filter((o) => name === undefined || o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name === undefined ? '' : ` ${name}`}, found ${found.length}`);
  return found[0] as K8sObject;
}

/** The workload (Deployment or DaemonSet); exactly one must be rendered. */
export function workload(objects: readonly K8sObject[]): K8sObject {
  const found = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet');
  if (found.length !== 1) throw new Error(`expected one workload, found ${found.length}`);
  return found[0] as K8sObject;
}

export function podSpec(objects: readonly K8sObject[]): PodSpec {
  const spec = workload(objects)['spec'] as { template: { spec: PodSpec } };
  return spec.template.spec;
}

export function container(objects: readonly K8sObject[], name: string): Container {
  const found = podSpec(objects).containers.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no container ${name}`);
  return found;
}

export function rules(role: K8sObject): PolicyRule[] {
  return (role['rules'] as PolicyRule[] | undefined) ?? [];
}

/** The value of `--flag=value` in a container's args, or undefined. */
export function flag(c: Container, name: string): string | undefined {
  const prefix = `--${name}=`;
  return c.args?.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
