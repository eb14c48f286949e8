// Issue 7 §4, restarts: the controller restarts while the proxy serves (no failed request, no
// server re-added), and kube-apiserver restarts (the controller reconnects and applies what
// changed while it was cut off; the proxy serves throughout).
import { expect } from 'chai';
import { useHawserStack, type HawserStack } from '../support/hawser-stack.ts';
import { endpointSlice, ingress, pod, service, type PodEndpoint } from '../support/hawser-objects.ts';
import { BACKEND_PORT, backendNamed, waitForReply } from '../support/hawser-scenario.ts';
import { describeLoad, startLoad } from '../support/hawser-traffic.ts';
import { runtimeCommand, scrape } from '../support/hawser-processes.ts';
import { namespaceManifest } from '../support/manifests.ts';
import { waitUntil } from '../support/wait-until.ts';

const NS = 'restarts';
const HOST = 'web.example';

/** Server identity columns of `show servers state`: backend id, server id, name, address. */
async function serverIdentities(s: HawserStack): Promise<string[]> {
  const text = await runtimeCommand(s.socketPath, 'show servers state');
  return text.split('\n').filter((l) => /^\d+ \S+ \d+ \S+ \S+ /.test(l)).map((l) => l.split(/\s+/).slice(0, 5).join(' ')).sort();
}

/** `hawser_runtime_commands_total` for one command with result ok, from the proxy's /metrics. */
async function commandCount(s: HawserStack, command: string): Promise<number> {
  const text = await scrape(s.proxy.adminUrl);
  const line = text.split('\n').find((l) => l.startsWith(`hawser_runtime_commands_total{command="${command}",result="ok"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('restarts on a real control plane', function () {
  const stack = useHawserStack({ backends: ['b1', 'b2', 'b3'] });
  const pods: PodEndpoint[] = [];
  const slice = (endpoints: readonly PodEndpoint[]): object => endpointSlice(NS, 'web', 'web-1', [BACKEND_PORT], endpoints);

  before(async function () {
    this.timeout(60_000);
    const s = stack();
    for (const n of ['b1', 'b2', 'b3']) pods.push(pod(`web-${n}`, backendNamed(s, n).address));
    await s.apply([
      namespaceManifest(NS),
      service(NS, 'web', [{ name: BACKEND_PORT.name, port: 80, targetPort: BACKEND_PORT.port }]),
      slice(pods.slice(0, 2)),
      ingress(NS, 'web', { className: 'hawser', rules: [{ host: HOST, paths: [{ path: '/', pathType: 'Prefix', service: 'web', port: 80 }] }] }),
    ]);
    await waitForReply(`GET ${HOST}`, () => s.get(HOST), { status: 200 });
  });

  it('restarts the controller while the proxy serves: no failed request, no server re-added, no command sent', async function () {
    this.timeout(90_000);
    const s = stack();
    const before = await serverIdentities(s);
    expect(before, 'servers before the restart').to.have.length(2);
    const adds = await commandCount(s, 'add server');
    const load = startLoad({ port: s.httpPort, host: HOST }, 200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await s.controller.stop();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    s.controller = await s.startController('hawser-0-restarted');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const r = await load.stop();
    expect(r.failures, describeLoad(r)).to.deep.equal([]);
    expect(await serverIdentities(s), 'show servers state (ids, names, addresses) after the restart').to.deep.equal(before);
    expect(await commandCount(s, 'add server'), 'add server commands the proxy ran across the restart').to.equal(adds);
  });

  it('restarts kube-apiserver: the proxy keeps serving, the controller reconnects and applies what changed after', async function () {
    this.timeout(120_000);
    const s = stack();
    const load = startLoad({ port: s.httpPort, host: HOST }, 200);
    try {
      await s.plane.restartApiServer(3000);
      // Changed as soon as the API server is back, while the controller's watches are still down
      // or re-listing: a new endpoint, a new Ingress.
      await s.apply([slice(pods), ingress(NS, 'after', { className: 'hawser', rules: [{ host: 'after.example', paths: [{ path: '/', pathType: 'Prefix', service: 'web', port: 80 }] }] })]);
      await waitForReply('GET after.example (created after the API server came back)', () => s.get('after.example'), { status: 200 }, 60_000);
      const before = load.snapshot().byBackend.get('b3') ?? 0;
      const deadline = Date.now() + 30_000;
      while ((load.snapshot().byBackend.get('b3') ?? 0) === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(load.snapshot().byBackend.get('b3') ?? 0, 'requests reaching the endpoint added after the restart').to.be.greaterThan(before);
    } finally {
      const r = await load.stop();
      expect(r.failures, `traffic across the API server restart: ${describeLoad(r)}`).to.deep.equal([]);
    }
    expect(s.controller.process.hasExited(), 'the controller kept running').to.equal(false);
    // Leadership is lost while the API server is away; it must come back and write status.
    const [ns, name] = s.release.publishService.split('/');
    const clusterIp = (await s.kubectl(['get', 'service', '-n', ns ?? '', name ?? '', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    let status = '';
    await waitUntil(async () => {
      status = (await s.kubectl(['get', 'ingress', '-n', NS, 'after', '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}'])).trim();
      return status === clusterIp;
    }, 40_000, () => `status of ${NS}/after is "${status}", not ${clusterIp}: the controller did not lead again after the API server came back`);
  });
});
