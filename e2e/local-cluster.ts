// `npm run local-cluster [-- --demo] [-- --json]`: the e2e control plane with Hawser on it, for a
// person to try `kubectl apply` on, kept up until Ctrl-C, which removes everything it created.
// Hawser is installed the way the e2e suite installs it: `helm install --no-hooks` of the chart,
// then hawser-proxy on the chart's own configuration and hawser-controller with the chart's
// arguments and its ServiceAccount's token, as local processes (there are no Pods here).
//   --demo  also starts two echo backends in network namespaces (root only), applies a
//           Namespace `demo`, a Service `echo`, an EndpointSlice pointing at them and an
//           Ingress `demo.localhost` → echo.
//   --json  prints one JSON line with the paths instead of the text (for scripts and tests).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startControlPlane, type ControlPlane } from './control-plane/control-plane.ts';
import { kubectl } from './control-plane/kubectl.ts';
import { ensureTool } from './control-plane/tools.ts';
import { startNetnsBackend, type NetnsBackend } from './support/netns-backend.ts';
import { endpointSliceManifest, namespaceManifest, serviceManifest, toYamlStream } from './support/manifests.ts';
import { mkdtemp } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { registerExitCleanup } from './control-plane/exit-cleanup.ts';
import { tmpdir } from 'node:os';
import { freeLoopbackPort } from './control-plane/wait-ready.ts';
import { installHawser, localControllerArgs, localProxyConfig } from './support/hawser-install.ts';
import { ingress } from './support/hawser-objects.ts';
import { startController, startProxy } from './support/hawser-processes.ts';

interface Hawser { readonly httpPort: number; readonly httpsPort: number; readonly socketPath: string; readonly proxyAdmin: string; readonly controllerAdmin: string; readonly dir: string }

/** The chart installed, then the proxy and the controller as local processes. */
async function startHawser(plane: ControlPlane): Promise<Hawser> {
  const release = await installHawser(plane);
  const dir = await mkdtemp(join(tmpdir(), 'hawser-local-'));
  // The processes' groups are killed by the exit cleanup (spawnGroup); the folder goes with them.
  registerExitCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const socketPath = join(dir, 'runtime.sock');
  const httpPort = await freeLoopbackPort();
  const httpsPort = await freeLoopbackPort();
  const configPath = join(dir, 'hawser.cfg');
  await writeFile(configPath, localProxyConfig(release.proxyConfig, socketPath, httpPort, httpsPort));
  const proxy = await startProxy(dir, configPath, socketPath);
  const adminPort = await freeLoopbackPort();
  const args = localControllerArgs(release.controllerArgs, { socketPath, kubeconfig: release.identity.kubeconfigPath, adminPort });
  const controller = await startController({ dir, args, adminPort, podName: 'hawser-0', podNamespace: release.namespace, logName: 'controller.log', waitReady: true });
  return { httpPort, httpsPort, socketPath, proxyAdmin: proxy.adminUrl, controllerAdmin: controller.adminUrl, dir };
}

async function startDemo(plane: ControlPlane): Promise<NetnsBackend[]> {
  const backends = await Promise.all([startNetnsBackend({ name: 'echo-1' }), startNetnsBackend({ name: 'echo-2' })]);
  const yaml = toYamlStream([
    namespaceManifest('demo'),
    serviceManifest('demo', 'echo', 80, 8080),
    endpointSliceManifest('demo', 'echo', 'echo-1', 8080, backends.map((b) => ({ address: b.address, podName: b.name }))),
    ingress('demo', 'demo', { className: 'hawser', rules: [{ host: 'demo.localhost', paths: [{ path: '/', pathType: 'Prefix', service: 'echo', port: 80 }] }] }),
  ]);
  await kubectl(plane.kubeconfigPath, ['apply', '-f', '-'], { input: yaml });
  return backends;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { demo: { type: 'boolean' }, json: { type: 'boolean' } }, strict: true });
  const kubectlPath = await ensureTool('kubectl');
  const plane = await startControlPlane();
  const hawser = await startHawser(plane);
  const backends = values.demo === true ? await startDemo(plane) : [];
  const envFile = join(plane.dir, 'env.sh');
  await writeFile(envFile, `export KUBECONFIG=${plane.kubeconfigPath}\nalias kubectl=${kubectlPath}\n`);
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({
      kubeconfigPath: plane.kubeconfigPath, server: plane.server, kubectl: kubectlPath, dir: plane.dir,
      pids: plane.pids(), backends: backends.map((b) => ({ name: b.name, url: b.url, netns: b.netns })),
      hawser,
    })}\n`);
  } else {
    const lines = [
      `Control plane ready: ${plane.server} (kube-apiserver v1.32, etcd 3.5; no nodes, no controllers)`,
      `  kubeconfig: ${plane.kubeconfigPath}`,
      `  kubectl:    ${kubectlPath}`,
      '',
      'Try it from another shell:',
      `  source ${envFile}`,
      '  kubectl get namespaces',
      `Hawser: proxy on http://127.0.0.1:${String(hawser.httpPort)} and https://127.0.0.1:${String(hawser.httpsPort)}, runtime socket ${hawser.socketPath}`,
      `  proxy admin ${hawser.proxyAdmin}/metrics, controller admin ${hawser.controllerAdmin}/metrics; logs in ${hawser.dir}`,
      ...backends.flatMap((b) => [`  curl ${b.url}/hello    # echo backend ${b.name} in netns ${b.netns}`]),
      ...(backends.length > 0 ? [
        '  kubectl -n demo get service,endpointslices,ingress',
        `  curl -H 'Host: demo.localhost' http://127.0.0.1:${String(hawser.httpPort)}/    # through Hawser`,
      ] : [`  kubectl apply -f <your Ingress>   # then curl -H 'Host: <host>' http://127.0.0.1:${String(hawser.httpPort)}/`]),
      '',
      'Press Ctrl-C to stop; everything above is removed.',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  // Stay up; the exit cleanup tears everything down on SIGINT/SIGTERM/SIGHUP.
  setInterval(() => {}, 1 << 30);
}

main().catch((err: unknown) => {
  process.stderr.write(`local-cluster: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
