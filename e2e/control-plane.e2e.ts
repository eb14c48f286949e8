// The control plane itself: it starts, serves the API, works with kubectl and with the informer the
// controller uses, runs twice at once without collision, and leaves nothing behind.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscoveryV1Api, KubeConfig, makeInformer, type V1EndpointSlice } from '@kubernetes/client-node';
import { startControlPlane } from './control-plane/control-plane.ts';
import { groupAlive } from './control-plane/process-group.ts';
import { helm, kubectl } from './control-plane/kubectl.ts';
import { createServiceAccountIdentity } from './control-plane/service-account-identity.ts';
import { START_TIMEOUT_MS, useControlPlane, useTools } from './support/control-plane-hooks.ts';
import { endpointSliceManifest, namespaceManifest, serviceManifest, toYamlStream } from './support/manifests.ts';
import { waitUntil } from './support/wait-until.ts';

describe('the e2e control plane (etcd + kube-apiserver)', function () {
  const plane = useControlPlane();
  useTools(['helm']);

  it('answers /readyz with ok and reports Kubernetes v1.32', async function () {
    expect((await kubectl(plane().kubeconfigPath, ['get', '--raw', '/readyz'])).trim()).to.equal('ok');
    const version = JSON.parse(await kubectl(plane().kubeconfigPath, ['version', '-o', 'json'])) as {
      serverVersion?: { gitVersion?: string; minor?: string };
    };
    expect(version.serverVersion?.gitVersion, 'server version (the build stamps it)').to.match(/^v1\.32\.\d+$/);
  });

  it('applies a Namespace, a Service and an EndpointSlice with kubectl', async function () {
    const yaml = toYamlStream([
      namespaceManifest('apply-demo'),
      serviceManifest('apply-demo', 'web', 80, 8080),
      endpointSliceManifest('apply-demo', 'web', 'web-1', 8080, [{ address: '10.250.0.2' }]),
    ]);
    const out = await kubectl(plane().kubeconfigPath, ['apply', '-f', '-'], { input: yaml });
    expect(out).to.contain('namespace/apply-demo created');
    expect(out).to.contain('service/web created');
    expect(out).to.contain('endpointslice.discovery.k8s.io/web-1 created');
    const clusterIp = await kubectl(plane().kubeconfigPath, ['get', 'service', 'web', '-n', 'apply-demo', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(clusterIp, 'the API server allocates ClusterIPs itself').to.match(/^10\.0\.0\.\d+$/);
  });

  it('lets an informer from @kubernetes/client-node see EndpointSlices added, updated and deleted', async function () {
    const kc = new KubeConfig();
    kc.loadFromFile(plane().kubeconfigPath);
    const api = kc.makeApiClient(DiscoveryV1Api);
    const namespace = 'informer-demo';
    await kubectl(plane().kubeconfigPath, ['apply', '-f', '-'], { input: toYamlStream([namespaceManifest(namespace)]) });
    const informer = makeInformer<V1EndpointSlice>(kc, `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
      () => api.listNamespacedEndpointSlice({ namespace }));
    const addresses = (s: V1EndpointSlice): string => (s.endpoints ?? []).map((e) => e.addresses.join()).join();
    const seen: string[] = [];
    informer.on('add', (s) => seen.push(`add ${s.metadata?.name ?? '?'} ${addresses(s)}`));
    informer.on('update', (s) => seen.push(`update ${s.metadata?.name ?? '?'} ${addresses(s)}`));
    informer.on('delete', (s) => seen.push(`delete ${s.metadata?.name ?? '?'}`));
    const errors: unknown[] = [];
    informer.on('error', (err) => errors.push(err));
    await informer.start();
    try {
      const apply = (address: string): Promise<string> => kubectl(plane().kubeconfigPath, ['apply', '-f', '-'], {
        input: toYamlStream([endpointSliceManifest(namespace, 'web', 'web-abc', 8080, [{ address }])]),
      });
      await apply('10.250.0.6');
      await waitUntil(() => seen.includes('add web-abc 10.250.0.6'), 10_000, () => `informer events: ${seen.join('; ')}`);
      await apply('10.250.0.10');
      await waitUntil(() => seen.includes('update web-abc 10.250.0.10'), 10_000, () => `informer events: ${seen.join('; ')}`);
      await kubectl(plane().kubeconfigPath, ['delete', 'endpointslice', 'web-abc', '-n', namespace]);
      await waitUntil(() => seen.includes('delete web-abc'), 10_000, () => `informer events: ${seen.join('; ')}`);
      expect(informer.list(namespace)).to.have.length(0);
      expect(errors, 'informer errors').to.deep.equal([]);
    } finally {
      await informer.stop();
    }
  });

  it('issues a ServiceAccount token whose kubeconfig gets only what RBAC grants', async function () {
    const admin = plane().kubeconfigPath;
    await kubectl(admin, ['create', 'namespace', 'sa-demo']);
    await kubectl(admin, ['create', 'serviceaccount', 'reader', '-n', 'sa-demo']);
    await kubectl(admin, ['create', 'role', 'read-slices', '-n', 'sa-demo', '--verb=get,list,watch', '--resource=endpointslices.discovery.k8s.io']);
    await kubectl(admin, ['create', 'rolebinding', 'reader', '-n', 'sa-demo', '--role=read-slices', '--serviceaccount=sa-demo:reader']);
    const identity = await createServiceAccountIdentity(plane(), { namespace: 'sa-demo', serviceAccount: 'reader' });
    expect(identity.userName).to.equal('system:serviceaccount:sa-demo:reader');
    const whoami = await kubectl(identity.kubeconfigPath, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(whoami).to.equal('system:serviceaccount:sa-demo:reader');
    const canI = (args: readonly string[]): Promise<string> =>
      kubectl(identity.kubeconfigPath, ['auth', 'can-i', ...args]).then((s) => s.trim(), () => 'no');
    expect(await canI(['list', 'endpointslices.discovery.k8s.io', '-n', 'sa-demo'])).to.equal('yes');
    expect(await canI(['list', 'secrets', '-n', 'sa-demo'])).to.equal('no');
    expect(await canI(['list', 'endpointslices.discovery.k8s.io', '-n', 'default'])).to.equal('no');
  });

  it('installs a chart that requires Kubernetes >= 1.32 with helm install --no-hooks', async function () {
    const chartDir = await mkdtemp(join(tmpdir(), 'hawser-e2e-chart-'));
    try {
      await mkdir(join(chartDir, 'templates'));
      await writeFile(join(chartDir, 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 0.1.0\nkubeVersion: ">=1.32.0-0"\n');
      await writeFile(join(chartDir, 'templates', 'configmap.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n  kubeMinor: "{{ .Capabilities.KubeVersion.Minor }}"\n');
      await helm(plane().kubeconfigPath, ['install', 'probe', chartDir, '--namespace', 'helm-demo', '--create-namespace', '--no-hooks']);
      const minor = await kubectl(plane().kubeconfigPath, ['get', 'configmap', 'probe', '-n', 'helm-demo', '-o', 'jsonpath={.data.kubeMinor}']);
      expect(minor, 'helm read the server version').to.equal('32');
    } finally {
      await rm(chartDir, { recursive: true, force: true });
    }
  });

  it('restarts kube-apiserver on the same address with its data intact', async function () {
    this.timeout(START_TIMEOUT_MS);
    await kubectl(plane().kubeconfigPath, ['create', 'namespace', 'before-restart']);
    const before = plane().pids();
    await plane().restartApiServer(200);
    expect(plane().pids()[1], 'a new kube-apiserver process').not.to.equal(before[1]);
    expect(groupAlive(before[1] ?? 0), 'the old kube-apiserver').to.equal(false);
    expect(await kubectl(plane().kubeconfigPath, ['get', 'namespace', 'before-restart', '-o', 'name'])).to.contain('namespace/before-restart');
  });
});

describe('two control planes at once', function () {
  useTools();

  it('start side by side on their own ports and data, and stop without leaving a process or folder', async function () {
    this.timeout(2 * START_TIMEOUT_MS);
    const [a, b] = await Promise.all([startControlPlane(), startControlPlane()]);
    try {
      expect(a.server).not.to.equal(b.server);
      expect(a.etcdUrl).not.to.equal(b.etcdUrl);
      expect(a.dir).not.to.equal(b.dir);
      await kubectl(a.kubeconfigPath, ['create', 'namespace', 'only-in-a']);
      expect(await kubectl(a.kubeconfigPath, ['get', 'namespace', 'only-in-a', '-o', 'name'])).to.contain('only-in-a');
      const inB = await kubectl(b.kubeconfigPath, ['get', 'namespace', 'only-in-a', '--ignore-not-found', '-o', 'name']);
      expect(inB.trim(), 'a namespace created in one plane is absent from the other').to.equal('');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    for (const p of [a, b]) {
      for (const pid of p.pids()) expect(groupAlive(pid), `process group ${pid} after stop()`).to.equal(false);
      expect(existsSync(p.dir), `${p.dir} after stop()`).to.equal(false);
    }
  });
});
