// The whole of Hawser on a real control plane, once per test file: kube-apiserver + etcd, the
// chart installed with helm, hawser-proxy on the chart's own configuration, hawser-controller with
// the chart's arguments and its ServiceAccount's token, and echo backends in network namespaces.
// `useHawserStack()` registers the before/after hooks; everything is torn down in `after`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '../control-plane/control-plane.ts';
import { kubectl } from '../control-plane/kubectl.ts';
import { freeLoopbackPort } from '../control-plane/wait-ready.ts';
import { START_TIMEOUT_MS, useTools } from './control-plane-hooks.ts';
import { installHawser, localControllerArgs, localProxyConfig, type HawserRelease, type InstallOptions } from './hawser-install.ts';
import { startController, startProxy, type HawserProcess } from './hawser-processes.ts';
import { startNetnsBackend, type NetnsBackend } from './netns-backend.ts';
import { toYamlStream } from './manifests.ts';
import { get, type Reply, type RequestTarget } from './hawser-traffic.ts';

export interface HawserStack {
  readonly plane: ControlPlane;
  readonly release: HawserRelease;
  /** Private folder: proxy config, socket, logs. */
  readonly dir: string;
  readonly socketPath: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly proxy: HawserProcess;
  /** The first controller (pod name `hawser-0`); replaced by `restartController()`. */
  controller: HawserProcess;
  readonly backends: readonly NetnsBackend[];
  /** `kubectl apply -f -` of the objects, as admin. */
  apply(objects: readonly object[]): Promise<void>;
  /** kubectl as admin. */
  kubectl(args: readonly string[], input?: string): Promise<string>;
  /** Another controller process with the same arguments (plus `extra`), e.g. a second replica. */
  startController(podName: string, extra?: readonly string[], waitReady?: boolean): Promise<HawserProcess>;
  /**
   * A second pod: its own proxy (own socket and ports) and a controller with the same arguments,
   * as another replica of the chart's Deployment would be.
   */
  startReplica(podName: string): Promise<{ proxy: HawserProcess; controller: HawserProcess; httpPort: number; socketPath: string }>;
  /** GET through the proxy's HTTP (or, with `tls`, HTTPS) frontend. */
  get(host: string, path?: string, tls?: { servername: string }): Promise<Reply>;
}

export interface StackOptions {
  /** Echo backends to start; each answers with its name. */
  readonly backends?: readonly string[];
  readonly install?: InstallOptions;
  /** Extra controller flags. */
  readonly controllerArgs?: readonly string[];
  /** Objects applied before `helm install` (e.g. the namespaces a scoped install names). */
  readonly beforeInstall?: readonly object[];
}

const HOOK_TIMEOUT_MS = 4 * 60_000;

/** HAWSER_E2E_LOG_LEVEL=debug makes the controllers log more (their logs stay with HAWSER_E2E_KEEP_DIR=1). */
function logLevel(): string[] {
  const level = process.env['HAWSER_E2E_LOG_LEVEL'];
  return level === undefined || level === '' ? [] : [`--log-level=${level}`];
}

export function useHawserStack(options: StackOptions = {}): () => HawserStack {
  useTools(['etcd', 'kube-apiserver', 'kubectl', 'helm']);
  let running: ControlPlane | undefined;
  const plane = (): ControlPlane => {
    if (running === undefined) throw new Error('the control plane is not running');
    return running;
  };
  let stack: HawserStack | undefined;
  const started: Array<{ stop(): Promise<void> }> = [];
  let dir: string | undefined;

  before(async function () {
    this.timeout(START_TIMEOUT_MS + HOOK_TIMEOUT_MS);
    running = await startControlPlane();
    dir = await mkdtemp(join(tmpdir(), 'hawser-e2e-stack-'));
    const stackDir = dir;
    if (options.beforeInstall !== undefined) await kubectl(plane().kubeconfigPath, ['apply', '-f', '-'], { input: toYamlStream(options.beforeInstall) });
    const release = await installHawser(plane(), options.install);
    const socketPath = join(stackDir, 'runtime.sock');
    const httpPort = await freeLoopbackPort();
    const httpsPort = await freeLoopbackPort();
    const configPath = join(stackDir, 'hawser.cfg');
    await writeFile(configPath, localProxyConfig(release.proxyConfig, socketPath, httpPort, httpsPort));
    const backendList = await Promise.all((options.backends ?? []).map((name) => startNetnsBackend({ name })));
    started.push(...backendList);
    const proxy = await startProxy(stackDir, configPath, socketPath);
    started.push(proxy);
    const launch = async (podName: string, extra: readonly string[] = [], waitReady = true, socket = socketPath): Promise<HawserProcess> => {
      const adminPort = await freeLoopbackPort();
      const args = localControllerArgs(release.controllerArgs, {
        socketPath: socket, kubeconfig: release.identity.kubeconfigPath, adminPort, extra: [...(options.controllerArgs ?? []), ...logLevel(), ...extra],
      });
      const c = await startController({ dir: stackDir, args, adminPort, podName, podNamespace: release.namespace, logName: `controller-${podName}.log`, waitReady });
      started.push(c);
      return c;
    };
    const controller = await launch('hawser-0');
    const kc = plane().kubeconfigPath;
    stack = {
      plane: plane(), release, dir: stackDir, socketPath, httpPort, httpsPort, proxy, controller, backends: backendList,
      apply: async (objects) => {
        await kubectl(kc, ['apply', '-f', '-'], { input: toYamlStream(objects) });
      },
      kubectl: (args, input) => kubectl(kc, args, input === undefined ? {} : { input }),
      startController: (podName, extra, waitReady) => launch(podName, extra, waitReady),
      startReplica: async (podName) => {
        const replicaSocket = join(stackDir, `${podName}.sock`);
        const replicaHttp = await freeLoopbackPort();
        const replicaConfig = join(stackDir, `${podName}.cfg`);
        await writeFile(replicaConfig, localProxyConfig(release.proxyConfig, replicaSocket, replicaHttp, await freeLoopbackPort()));
        const replicaProxy = await startProxy(stackDir, replicaConfig, replicaSocket, `proxy-${podName}.log`);
        started.push(replicaProxy);
        const replicaController = await launch(podName, [], true, replicaSocket);
        return { proxy: replicaProxy, controller: replicaController, httpPort: replicaHttp, socketPath: replicaSocket };
      },
      get: (host, path = '/', tls) => {
        const target: RequestTarget = tls === undefined ? { port: httpPort, host, path } : { port: httpsPort, host, path, tls };
        return get(target);
      },
    };
  });

  after(async function () {
    this.timeout(60_000);
    // Controllers first (they talk to the proxy), then the proxy, then the backends.
    for (const p of started.reverse()) await p.stop().catch(() => undefined);
    if (dir !== undefined && process.env['HAWSER_E2E_KEEP_DIR'] !== '1') await rm(dir, { recursive: true, force: true });
    await running?.stop();
  });

  return () => {
    if (stack === undefined) throw new Error('the Hawser stack is not running (did its before hook fail?)');
    return stack;
  };
}
