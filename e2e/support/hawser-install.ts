// Hawser installed the way users install it: `helm install` of charts/hawser (no hooks: nothing
// runs Pods here), then what the pod would have been given, read back from the release itself:
// the proxy's configuration file (the chart's ConfigMap), the controller's arguments (the chart's
// Deployment) and a TokenRequest token of the chart's ServiceAccount.
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helm, kubectl } from '../control-plane/kubectl.ts';
import { repoRoot } from '../control-plane/tools.ts';
import { createServiceAccountIdentity, type ServiceAccountIdentity } from '../control-plane/service-account-identity.ts';
import type { ControlPlane } from '../control-plane/control-plane.ts';

export interface HawserRelease {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly identity: ServiceAccountIdentity;
  /** `hawser.cfg` from the chart's proxy ConfigMap, as the proxy container would read it. */
  readonly proxyConfig: string;
  /** The controller container's `args`, as rendered. */
  readonly controllerArgs: readonly string[];
  /** `<namespace>/<name>` the chart passes as --publish-service ('' when it passes none). */
  readonly publishService: string;
}

export interface InstallOptions {
  readonly release?: string;
  readonly namespace?: string;
  /** `--set` pairs, e.g. `controller.scope.namespaces={a,b}`. */
  readonly set?: readonly string[];
}

interface K8sObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string>;
  spec?: { template?: { spec?: { containers?: Array<{ name?: string; args?: string[] }> } } };
}

/** Installs the chart and returns what the pod's containers would have received. */
export async function installHawser(plane: ControlPlane, options: InstallOptions = {}): Promise<HawserRelease> {
  const name = options.release ?? 'hawser';
  const namespace = options.namespace ?? 'hawser-system';
  const sets = (options.set ?? []).flatMap((s) => ['--set', s]);
  await helm(plane.kubeconfigPath, [
    'install', name, join(repoRoot, 'charts', 'hawser'), '--namespace', namespace, '--create-namespace', '--no-hooks', ...sets,
  ], { timeoutMs: 120_000 });
  const manifest = await helm(plane.kubeconfigPath, ['get', 'manifest', name, '--namespace', namespace]);
  const objects = parseAllDocuments(manifest).map((d) => d.toJS() as K8sObject | null).filter((o): o is K8sObject => o !== null);
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.data?.['hawser.cfg'] !== undefined);
  const proxyConfig = configMap?.data?.['hawser.cfg'];
  if (proxyConfig === undefined) throw new Error(`the release ${namespace}/${name} has no ConfigMap with hawser.cfg`);
  const workload = objects.find((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet');
  const controller = workload?.spec?.template?.spec?.containers?.find((c) => c.name === 'controller');
  if (controller?.args === undefined) throw new Error(`the release ${namespace}/${name} renders no controller container with args`);
  const serviceAccount = objects.find((o) => o.kind === 'ServiceAccount')?.metadata?.name;
  if (serviceAccount === undefined) throw new Error(`the release ${namespace}/${name} renders no ServiceAccount`);
  const identity = await createServiceAccountIdentity(plane, { namespace, serviceAccount });
  const publish = controller.args.find((a) => a.startsWith('--publish-service='))?.slice('--publish-service='.length) ?? '';
  return { name, namespace, serviceAccount, identity, proxyConfig, controllerArgs: controller.args, publishService: publish };
}

/** `kubectl auth can-i <args> --as=<the release's ServiceAccount>` from the admin kubeconfig. */
export async function canI(plane: ControlPlane, release: HawserRelease, args: readonly string[]): Promise<'yes' | 'no'> {
  try {
    const out = await kubectl(plane.kubeconfigPath, ['auth', 'can-i', ...args, `--as=${release.identity.userName}`]);
    return out.trim() === 'yes' ? 'yes' : 'no';
  } catch {
    return 'no'; // can-i exits 1 for "no"
  }
}

/**
 * The proxy configuration of the chart with what a pod gives for free replaced by what a shared
 * host needs: the runtime socket in a private folder, the frontends on loopback ports of our own.
 * Precondition: the file binds `:<http>` and `:<https> ssl …` once each, as the chart renders it.
 */
export function localProxyConfig(chartConfig: string, socketPath: string, httpPort: number, httpsPort: number): string {
  let binds = 0;
  const lines = chartConfig.split('\n').map((line) => {
    if (/^\s*stats socket /.test(line)) return line.replace(/stats socket \S+/, `stats socket ${socketPath}`);
    const bind = /^(\s*)bind :\d+(.*)$/.exec(line);
    if (bind === null) return line;
    binds++;
    const ssl = (bind[2] ?? '').includes(' ssl ');
    return `${bind[1] ?? ''}bind 127.0.0.1:${String(ssl ? httpsPort : httpPort)}${bind[2] ?? ''}`;
  });
  if (binds !== 2) throw new Error(`expected the chart's proxy configuration to bind two ports, found ${String(binds)}:\n${chartConfig}`);
  return lines.join('\n');
}

/**
 * The chart's controller arguments turned into ones for a local process. The chart renders flag
 * names that hawser-controller does not know (a product bug, pinned by a skipped test in
 * e2e/scenarios/install.e2e.ts); until it is fixed they are renamed here, and the admin-port flags
 * are replaced by one free loopback port.
 */
export const CHART_FLAG_RENAMES: Readonly<Record<string, string | null>> = {
  '--ingress-class-controller': '--controller-class',
  '--allow-external-name-services': '--allow-external-name',
  '--metrics-port': null,
  '--health-port': null,
};

export function localControllerArgs(chartArgs: readonly string[], local: { socketPath: string; kubeconfig: string; adminPort: number; extra?: readonly string[] }): string[] {
  const out: string[] = [];
  for (const arg of chartArgs) {
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? undefined : arg.slice(eq + 1);
    if (flag === '--runtime-socket' || flag === '--admin-port' || flag === '--admin-address') continue;
    const renamed = flag in CHART_FLAG_RENAMES ? CHART_FLAG_RENAMES[flag] : flag;
    if (renamed === null || renamed === undefined) continue;
    out.push(value === undefined ? renamed : `${renamed}=${value}`);
  }
  out.push(`--runtime-socket=${local.socketPath}`, `--kubeconfig=${local.kubeconfig}`,
    '--admin-address=127.0.0.1', `--admin-port=${String(local.adminPort)}`, ...(local.extra ?? []));
  return out;
}
