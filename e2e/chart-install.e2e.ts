// Hawser installed the way users install it (issue 7 §2, the parts that need no running
// controller): `helm install` of charts/hawser, the chart's ServiceAccount token and exactly the
// permissions its RBAC grants, and a server-side dry run of deploy/hawser.yaml.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helm, kubectl } from './control-plane/kubectl.ts';
import { createServiceAccountIdentity, type ServiceAccountIdentity } from './control-plane/service-account-identity.ts';
import { repoRoot } from './control-plane/tools.ts';
import { useControlPlane, useTools } from './support/control-plane-hooks.ts';

const RELEASE_NAMESPACE = 'hawser-system';

describe('the Hawser chart on a real API server', function () {
  const plane = useControlPlane();
  useTools(['helm']);
  let identity: ServiceAccountIdentity;
  let electionId: string;

  before(async function () {
    this.timeout(120_000);
    // No Pods exist here, so nothing would ever become ready: no --wait, and no hooks.
    await helm(plane().kubeconfigPath, [
      'install', 'hawser', join(repoRoot, 'charts', 'hawser'),
      '--namespace', RELEASE_NAMESPACE, '--create-namespace', '--no-hooks',
    ], { timeoutMs: 120_000 });
    const accounts = (await kubectl(plane().kubeconfigPath, [
      'get', 'serviceaccounts', '-n', RELEASE_NAMESPACE, '-l', 'app.kubernetes.io/instance=hawser', '-o', 'jsonpath={.items[*].metadata.name}',
    ])).trim().split(/\s+/);
    expect(accounts, 'ServiceAccounts the chart created').to.have.length(1);
    identity = await createServiceAccountIdentity(plane(), { namespace: RELEASE_NAMESPACE, serviceAccount: accounts[0] ?? '' });
    const roles = JSON.parse(await kubectl(plane().kubeconfigPath, ['get', 'roles', '-n', RELEASE_NAMESPACE, '-o', 'json'])) as {
      items: Array<{ rules?: Array<{ resources?: string[]; resourceNames?: string[] }> }>;
    };
    electionId = roles.items.flatMap((r) => r.rules ?? [])
      .find((rule) => rule.resources?.includes('leases') === true && rule.resourceNames !== undefined)?.resourceNames?.[0] ?? '';
    expect(electionId, 'the leader-election Lease named in the chart\'s Role').not.to.equal('');
  });

  /** `kubectl auth can-i` as the chart's ServiceAccount, with its own token. */
  async function canI(args: readonly string[]): Promise<'yes' | 'no'> {
    try {
      return (await kubectl(identity.kubeconfigPath, ['auth', 'can-i', ...args])).trim() === 'yes' ? 'yes' : 'no';
    } catch {
      return 'no'; // can-i exits 1 for "no"
    }
  }

  it('authenticates the controller as the chart\'s ServiceAccount through a TokenRequest token', async function () {
    const whoami = await kubectl(identity.kubeconfigPath, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(whoami).to.equal(identity.userName);
    expect(identity.userName).to.match(new RegExp(`^system:serviceaccount:${RELEASE_NAMESPACE}:`));
  });

  const allowed: Array<[string, readonly string[]]> = [
    ['lets it watch Ingresses in every namespace', ['watch', 'ingresses.networking.k8s.io', '--all-namespaces']],
    ['lets it list IngressClasses', ['list', 'ingressclasses.networking.k8s.io']],
    ['lets it watch Services in every namespace', ['watch', 'services', '--all-namespaces']],
    ['lets it watch EndpointSlices in every namespace', ['watch', 'endpointslices.discovery.k8s.io', '--all-namespaces']],
    ['lets it watch Secrets for TLS in every namespace', ['watch', 'secrets', '--all-namespaces']],
    ['lets it update Ingress status', ['update', 'ingresses.networking.k8s.io', '--subresource=status', '--all-namespaces']],
    ['lets it create Events', ['create', 'events', '-n', 'default']],
    ['lets it create a Lease in its own namespace', ['create', 'leases.coordination.k8s.io', '-n', RELEASE_NAMESPACE]],
  ];
  for (const [name, args] of allowed) {
    it(name, async function () {
      expect(await canI(args), `can-i ${args.join(' ')}`).to.equal('yes');
    });
  }

  it('lets it update only its own leader-election Lease', async function () {
    expect(await canI(['update', `leases.coordination.k8s.io/${electionId}`, '-n', RELEASE_NAMESPACE])).to.equal('yes');
    expect(await canI(['update', 'leases.coordination.k8s.io/someone-elses-lease', '-n', RELEASE_NAMESPACE])).to.equal('no');
  });

  const denied: Array<[string, readonly string[]]> = [
    ['does not let it change an Ingress itself', ['update', 'ingresses.networking.k8s.io', '--all-namespaces']],
    ['does not let it create or delete Services', ['delete', 'services', '--all-namespaces']],
    ['does not let it write Secrets', ['create', 'secrets', '-n', 'default']],
    ['does not let it read Pods', ['list', 'pods', '--all-namespaces']],
    ['does not let it read ConfigMaps', ['list', 'configmaps', '--all-namespaces']],
    ['does not let it read Nodes', ['list', 'nodes']],
    ['does not let it create Leases outside its namespace', ['create', 'leases.coordination.k8s.io', '-n', 'default']],
    ['does not let it bind roles', ['create', 'rolebindings.rbac.authorization.k8s.io', '-n', RELEASE_NAMESPACE]],
    ['does not give it any wildcard', ['*', '*', '--all-namespaces']],
  ];
  for (const [name, args] of denied) {
    it(name, async function () {
      expect(await canI(args), `can-i ${args.join(' ')}`).to.equal('no');
    });
  }

  it('accepts deploy/hawser.yaml in a server-side dry run', async function () {
    const manifest = join(repoRoot, 'deploy', 'hawser.yaml');
    // A dry run creates nothing, so the objects inside the file's own Namespace need it to exist.
    const namespaces = parseAllDocuments(await readFile(manifest, 'utf8'))
      .map((doc) => doc.toJS() as { kind?: string; metadata?: { name?: string } } | null)
      .filter((o) => o?.kind === 'Namespace').map((o) => o?.metadata?.name ?? '');
    expect(namespaces, 'the Namespace in deploy/hawser.yaml').to.have.length(1);
    for (const ns of namespaces) await kubectl(plane().kubeconfigPath, ['create', 'namespace', ns]);
    const out = await kubectl(plane().kubeconfigPath, ['apply', '--dry-run=server', '-f', manifest]);
    expect(out).to.contain('(server dry run)');
    expect(out).to.contain('deployment.apps/');
  });
});
