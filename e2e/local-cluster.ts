// `npm run local-cluster [-- --demo] [-- --json]`: the e2e control plane for a person to try
// things on, kept up until Ctrl-C, which removes everything it created.
//   --demo  also starts two echo backends in network namespaces (root only) and applies a
//           Namespace `demo`, a Service `echo` and an EndpointSlice pointing at them.
//   --json  prints one JSON line with the paths instead of the text (for scripts and tests).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startControlPlane, type ControlPlane } from './control-plane/control-plane.ts';
import { kubectl } from './control-plane/kubectl.ts';
import { ensureTool } from './control-plane/tools.ts';
import { startNetnsBackend, type NetnsBackend } from './support/netns-backend.ts';
import { endpointSliceManifest, namespaceManifest, serviceManifest, toYamlStream } from './support/manifests.ts';

async function startDemo(plane: ControlPlane): Promise<NetnsBackend[]> {
  const backends = await Promise.all([startNetnsBackend({ name: 'echo-1' }), startNetnsBackend({ name: 'echo-2' })]);
  const yaml = toYamlStream([
    namespaceManifest('demo'),
    serviceManifest('demo', 'echo', 80, 8080),
    endpointSliceManifest('demo', 'echo', 'echo-1', 8080, backends.map((b) => ({ address: b.address, podName: b.name }))),
  ]);
  await kubectl(plane.kubeconfigPath, ['apply', '-f', '-'], { input: yaml });
  return backends;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { demo: { type: 'boolean' }, json: { type: 'boolean' } }, strict: true });
  const kubectlPath = await ensureTool('kubectl');
  const plane = await startControlPlane();
  const backends = values.demo === true ? await startDemo(plane) : [];
  const envFile = join(plane.dir, 'env.sh');
  await writeFile(envFile, `export KUBECONFIG=${plane.kubeconfigPath}\nalias kubectl=${kubectlPath}\n`);
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({
      kubeconfigPath: plane.kubeconfigPath, server: plane.server, kubectl: kubectlPath, dir: plane.dir,
      pids: plane.pids(), backends: backends.map((b) => ({ name: b.name, url: b.url, netns: b.netns })),
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
      ...backends.flatMap((b) => [`  curl ${b.url}/hello    # echo backend ${b.name} in netns ${b.netns}`]),
      ...(backends.length > 0 ? ['  kubectl -n demo get service,endpointslices'] : []),
      '',
      'The Hawser controller and proxy are not started yet (issue 7 §5, once they exist).',
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
