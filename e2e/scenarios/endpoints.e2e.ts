// Issue 7 §4, endpoints under load: scale up, scale down and a rolling replacement of a Service's
// endpoints (terminating → drain → gone), each while a client sends ≥ 200 requests/s through the
// proxy. No request may fail. The tests write the EndpointSlices as the EndpointSlice controller
// would, with stable Pod-like UIDs.
import { expect } from 'chai';
import { useHawserStack, type HawserStack } from '../support/hawser-stack.ts';
import { endpointSlice, ingress, pod, service, type PodEndpoint } from '../support/hawser-objects.ts';
import { BACKEND_PORT, backendNamed, waitForReply } from '../support/hawser-scenario.ts';
import { describeLoad, startLoad, type LoadResult, type LoadRun } from '../support/hawser-traffic.ts';
import { runtimeCommand } from '../support/hawser-processes.ts';
import { namespaceManifest } from '../support/manifests.ts';
import { waitUntil } from '../support/wait-until.ts';

const NS = 'endpoints';
const HOST = 'web.example';
const RATE = 250;
const NAMES = ['b1', 'b2', 'b3', 'b4'] as const;

/** Servers of the web backend in `show servers state`, by name, with their operational state. */
async function servers(s: HawserStack): Promise<Map<string, string>> {
  const text = await runtimeCommand(s.socketPath, 'show servers state');
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state …
    if (f[1] === `${NS}_web_80` && f[3] !== undefined) out.set(f[3], `${f[5] ?? ''}/${f[6] ?? ''}`);
  }
  return out;
}

describe('endpoint changes under load', function () {
  const stack = useHawserStack({ backends: [...NAMES] });
  const pods = new Map<string, PodEndpoint>();
  let load: LoadRun | undefined;

  const podOf = (name: string): PodEndpoint => {
    const p = pods.get(name);
    if (p === undefined) throw new Error(`no pod ${name}`);
    return p;
  };
  const slice = (endpoints: readonly PodEndpoint[]): object => endpointSlice(NS, 'web', 'web-1', [BACKEND_PORT], endpoints);
  const terminating = (p: PodEndpoint): PodEndpoint => ({ ...p, ready: false, serving: true, terminating: true });

  before(async function () {
    this.timeout(60_000);
    const s = stack();
    for (const n of NAMES) pods.set(n, pod(`web-${n}`, backendNamed(s, n).address));
    await s.apply([
      namespaceManifest(NS),
      service(NS, 'web', [{ name: BACKEND_PORT.name, port: 80, targetPort: BACKEND_PORT.port }]),
      slice([podOf('b1')]),
      ingress(NS, 'web', { className: 'hawser', rules: [{ host: HOST, paths: [{ path: '/', pathType: 'Prefix', service: 'web', port: 80 }] }] }),
    ]);
    await waitForReply(`GET ${HOST}`, () => s.get(HOST), { status: 200, backend: 'b1' });
  });

  beforeEach(function () {
    load = startLoad({ port: stack().httpPort, host: HOST }, RATE);
  });

  afterEach(async function () {
    await load?.stop();
    load = undefined;
  });

  /** Stops the load and asserts it saw no failure at the rate asked. */
  async function finish(what: string): Promise<LoadResult> {
    const run = load;
    load = undefined;
    if (run === undefined) throw new Error('no load running');
    const r = await run.stop();
    expect(r.failures, `${what}: ${describeLoad(r)}`).to.deep.equal([]);
    expect(r.perSecond, `${what}: rate achieved (${describeLoad(r)})`).to.be.at.least(200);
    return r;
  }

  /** Load counters from now on, to see where traffic goes after a change. */
  async function sampleFor(ms: number): Promise<Map<string, number>> {
    const before = load?.snapshot().byBackend ?? new Map<string, number>();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const after = load?.snapshot().byBackend ?? new Map<string, number>();
    return new Map([...after].map(([b, n]) => [b, n - (before.get(b) ?? 0)]));
  }

  it('scales up from one endpoint to three with zero failed requests, and traffic reaches all three', async function () {
    this.timeout(60_000);
    const s = stack();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await s.apply([slice([podOf('b1'), podOf('b2'), podOf('b3')])]);
    await waitUntil(async () => (await servers(s)).size === 3, 15_000, () => 'the web backend never had three servers');
    const seen = await sampleFor(2000);
    const r = await finish('scale up');
    for (const n of ['b1', 'b2', 'b3']) expect(seen.get(n) ?? 0, `requests to ${n} after the scale-up (${describeLoad(r)})`).to.be.greaterThan(0);
  });

  it('scales down to one endpoint through terminating (drain) with zero failed requests', async function () {
    this.timeout(60_000);
    const s = stack();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await s.apply([slice([podOf('b1'), terminating(podOf('b2')), terminating(podOf('b3'))])]);
    // srv_admin_state 0 is ready; the two terminating ones carry the drain flag.
    let last = new Map<string, string>();
    await waitUntil(async () => {
      last = await servers(s);
      return [...last.values()].filter((st) => st.endsWith('/0')).length === 1;
    }, 15_000, () => `expected two servers draining and one serving (op/admin state): ${JSON.stringify([...last])}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await s.apply([slice([podOf('b1')])]);
    await waitUntil(async () => (await servers(s)).size === 1, 20_000, () => 'the drained servers were never deleted');
    const seen = await sampleFor(1500);
    await finish('scale down');
    expect([...seen.keys()].filter((b) => (seen.get(b) ?? 0) > 0), 'backends that still get traffic').to.deep.equal(['b1']);
  });

  it('replaces every endpoint in a rolling update (new ready, old terminating, old gone) with zero failed requests', async function () {
    this.timeout(60_000);
    const s = stack();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // b1 → b3, b4 one at a time, as a Deployment with maxSurge 1 would.
    await s.apply([slice([podOf('b1'), podOf('b3')])]);
    await s.apply([slice([terminating(podOf('b1')), podOf('b3'), podOf('b4')])]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await s.apply([slice([podOf('b3'), podOf('b4')])]);
    await waitUntil(async () => (await servers(s)).size === 2, 20_000, () => 'the old server was never deleted');
    const seen = await sampleFor(1500);
    await finish('rolling replacement');
    expect(seen.get('b1') ?? 0, 'requests to the replaced endpoint after it left').to.equal(0);
    expect(seen.get('b3') ?? 0).to.be.greaterThan(0);
    expect(seen.get('b4') ?? 0).to.be.greaterThan(0);
  });
});
