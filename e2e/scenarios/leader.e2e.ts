// Issue 7 §4, status and leader election: the leader writes status.loadBalancer.ingress from the
// chart's --publish-service (its ClusterIP, as no load-balancer controller runs here); with two
// replicas (each with its own proxy, as in two pods) one leads and both serve; when the leader dies
// without releasing its Lease, the other takes over and writes status, and status is never emptied.
import { expect } from 'chai';
import { useHawserStack } from '../support/hawser-stack.ts';
import { ingress } from '../support/hawser-objects.ts';
import { backendNamed, serviceFor, waitForReply } from '../support/hawser-scenario.ts';
import { get } from '../support/hawser-traffic.ts';
import { namespaceManifest } from '../support/manifests.ts';
import { waitUntil } from '../support/wait-until.ts';
import { signalGroup } from '../control-plane/process-group.ts';

const NS = 'leader';

describe('status and leader election on a real control plane', function () {
  const stack = useHawserStack({ backends: ['alpha'] });
  let clusterIp = '';
  let electionId = '';

  const statusIp = async (name: string): Promise<string> =>
    (await stack().kubectl(['get', 'ingress', '-n', NS, name, '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}'])).trim();
  const holder = async (): Promise<string> =>
    (await stack().kubectl(['get', 'lease', '-n', stack().release.namespace, electionId, '-o', 'jsonpath={.spec.holderIdentity}'])).trim();
  const rule = (host: string): { host: string; paths: Array<{ path: string; pathType: 'Prefix'; service: string; port: number }> } =>
    ({ host, paths: [{ path: '/', pathType: 'Prefix', service: 'alpha', port: 80 }] });

  before(async function () {
    this.timeout(60_000);
    const s = stack();
    const [ns, name] = s.release.publishService.split('/');
    expect(name, 'the chart passes --publish-service').to.be.a('string').and.not.equal('');
    clusterIp = (await s.kubectl(['get', 'service', '-n', ns ?? '', name ?? '', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    electionId = /--election-id=(\S+)/.exec(s.release.controllerArgs.join(' '))?.[1] ?? '';
    await s.apply([namespaceManifest(NS), ...serviceFor(NS, 'alpha', [backendNamed(s, 'alpha')]).objects, ingress(NS, 'first', { className: 'hawser', rules: [rule('first.example')] })]);
  });

  it('writes status.loadBalancer.ingress with the published Service\'s address', async function () {
    this.timeout(30_000);
    await waitUntil(async () => (await statusIp('first')) === clusterIp, 20_000, () => `status of ${NS}/first never became ${clusterIp}`);
    expect(await holder(), 'the Lease holder').to.equal('hawser-0');
  });

  it('keeps one leader among two replicas, while both proxies serve', async function () {
    this.timeout(60_000);
    const s = stack();
    const replica = await s.startReplica('hawser-1');
    await waitForReply('GET first.example through the second replica\'s proxy', () => get({ port: replica.httpPort, host: 'first.example' }), { status: 200, backend: 'alpha' });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await holder(), 'the Lease holder with two replicas').to.equal('hawser-0');
    const leaderMetric = async (url: string): Promise<string> => ((await (await fetch(`${url}/metrics`)).text()).split('\n').find((l) => /^hawser_controller_leader(\{[^}]*\})? /.test(l)) ?? '').split(' ').pop() ?? '';
    expect(await leaderMetric(s.controller.adminUrl), 'leader metric of hawser-0').to.equal('1');
    expect(await leaderMetric(replica.controller.adminUrl), 'leader metric of hawser-1').to.equal('0');
  });

  it('fails over when the leader dies without releasing its Lease, and never empties status', async function () {
    this.timeout(90_000);
    const s = stack();
    signalGroup(s.controller.process.pid, 'SIGKILL');
    await s.controller.process.exited;
    await s.apply([ingress(NS, 'second', { className: 'hawser', rules: [rule('second.example')] })]);
    expect(await statusIp('first'), 'status right after the leader died').to.equal(clusterIp);
    // The Lease lasts 15 s: the replica takes it over once it has seen it unrenewed that long.
    await waitUntil(async () => (await holder()) === 'hawser-1', 45_000, () => 'hawser-1 never took the Lease over');
    await waitUntil(async () => (await statusIp('second')) === clusterIp, 20_000, () => `the new leader never wrote the status of ${NS}/second`);
    expect(await statusIp('first'), 'status after the failover').to.equal(clusterIp);
  });
});
