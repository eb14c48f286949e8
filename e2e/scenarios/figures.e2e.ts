// Issue 7 §6 figures, measured on the real stack and printed (docs/e2e.md records them):
//   Ingress created → routable, p50/p99 over 50 Ingresses;
//   EndpointSlice change → traffic follows, p50/p99 over 100 changes;
//   failed requests during a rolling replacement at 500 requests/s.
// Objects are written with @kubernetes/client-node (no kubectl process per change), so the clock
// starts right before the API call. Loose upper bounds keep the test meaningful on a busy machine.
import { expect } from 'chai';
import { DiscoveryV1Api, KubeConfig, NetworkingV1Api, type V1EndpointSlice, type V1Ingress } from '@kubernetes/client-node';
import { useHawserStack } from '../support/hawser-stack.ts';
import { endpointSlice, ingress, pod, type PodEndpoint } from '../support/hawser-objects.ts';
import { BACKEND_PORT, backendNamed, serviceFor, waitForReply } from '../support/hawser-scenario.ts';
import { describeLoad, get, startLoad } from '../support/hawser-traffic.ts';
import { namespaceManifest } from '../support/manifests.ts';
import { waitUntil } from '../support/wait-until.ts';

const NS = 'figures';
const INGRESSES = 50;
const SLICE_CHANGES = 100;
const ROLLING_RATE = 500;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(samples: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

/** Polls one request every 5 ms until `ok`; resolves with the elapsed ms since `t0`. */
async function until(t0: number, what: string, request: () => Promise<{ status: number; backend: string }>, ok: (r: { status: number; backend: string }) => boolean, timeoutMs = 20_000): Promise<number> {
  for (;;) {
    const r = await request().catch(() => ({ status: 0, backend: '' }));
    if (ok(r)) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${String(timeoutMs)} ms (last HTTP ${String(r.status)} from ${r.backend || 'the proxy'})`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('figures (issue 7 §6)', function () {
  const stack = useHawserStack({ backends: ['f1', 'f2', 'f3', 'f4'] });
  const figures: string[] = [];
  let networking: NetworkingV1Api;
  let discovery: DiscoveryV1Api;

  before(async function () {
    this.timeout(60_000);
    const s = stack();
    const kc = new KubeConfig();
    kc.loadFromFile(s.plane.kubeconfigPath);
    networking = kc.makeApiClient(NetworkingV1Api);
    discovery = kc.makeApiClient(DiscoveryV1Api);
    await s.apply([namespaceManifest(NS), ...serviceFor(NS, 'web', [backendNamed(s, 'f1')]).objects]);
  });

  after(function () {
    if (figures.length > 0) console.log(`\n  figures:\n${figures.map((f) => `    ${f}`).join('\n')}\n`);
  });

  it(`measures Ingress created → routable over ${String(INGRESSES)} Ingresses`, async function () {
    this.timeout(5 * 60_000);
    const s = stack();
    const samples: number[] = [];
    for (let i = 0; i < INGRESSES; i++) {
      const host = `fig-${String(i)}.example`;
      const body = ingress(NS, `fig-${String(i)}`, { className: 'hawser', rules: [{ host, paths: [{ path: '/', pathType: 'Prefix', service: 'web', port: 80 }] }] }) as V1Ingress;
      const t0 = performance.now();
      await networking.createNamespacedIngress({ namespace: NS, body });
      samples.push(await until(t0, `Ingress ${host} routable`, () => s.get(host), (r) => r.status === 200));
    }
    const f = summary(samples);
    figures.push(`Ingress created → routable (${String(INGRESSES)} Ingresses, one at a time): p50 ${f.p50.toFixed(0)} ms, p99 ${f.p99.toFixed(0)} ms, max ${f.max.toFixed(0)} ms`);
    expect(f.p99, 'p99 Ingress → routable (ms)').to.be.below(5000);
  });

  it(`measures EndpointSlice change → traffic follows over ${String(SLICE_CHANGES)} changes`, async function () {
    this.timeout(5 * 60_000);
    const s = stack();
    const pods: PodEndpoint[] = ['f1', 'f2'].map((n) => pod(`web-${n}`, backendNamed(s, n).address));
    const write = async (p: PodEndpoint): Promise<void> => {
      const body = endpointSlice(NS, 'web', 'web-1', [BACKEND_PORT], [p]) as V1EndpointSlice;
      await discovery.replaceNamespacedEndpointSlice({ name: 'web-1', namespace: NS, body });
    };
    await write(pods[0] as PodEndpoint);
    await waitForReply('GET fig-0.example on f1', () => s.get('fig-0.example'), { status: 200, backend: 'f1' });
    const samples: number[] = [];
    for (let i = 1; i <= SLICE_CHANGES; i++) {
      const next = pods[i % 2] as PodEndpoint;
      const name = i % 2 === 0 ? 'f1' : 'f2';
      const t0 = performance.now();
      await write(next);
      samples.push(await until(t0, `traffic to ${name} after slice change ${String(i)}`, () => s.get('fig-0.example'), (r) => r.backend === name));
    }
    const f = summary(samples);
    figures.push(`EndpointSlice change → traffic follows (${String(SLICE_CHANGES)} changes, one at a time): p50 ${f.p50.toFixed(0)} ms, p99 ${f.p99.toFixed(0)} ms, max ${f.max.toFixed(0)} ms`);
    expect(f.p99, 'p99 slice change → traffic (ms)').to.be.below(5000);
  });

  it(`counts failed requests during a rolling replacement at ${String(ROLLING_RATE)} requests/s`, async function () {
    this.timeout(2 * 60_000);
    const s = stack();
    const [p1, p2, p3, p4] = ['f1', 'f2', 'f3', 'f4'].map((n) => pod(`roll-${n}`, backendNamed(s, n).address)) as [PodEndpoint, PodEndpoint, PodEndpoint, PodEndpoint];
    const slice = (eps: readonly PodEndpoint[]): object => endpointSlice(NS, 'web', 'web-1', [BACKEND_PORT], eps);
    const term = (p: PodEndpoint): PodEndpoint => ({ ...p, ready: false, serving: true, terminating: true });
    await s.apply([slice([p1, p2])]);
    await waitUntil(async () => (await get({ port: s.httpPort, host: 'fig-0.example' })).status === 200, 10_000, () => 'fig-0.example not serving');
    const load = startLoad({ port: s.httpPort, host: 'fig-0.example' }, ROLLING_RATE, 128);
    const steps: Array<readonly PodEndpoint[]> = [[p1, p2, p3], [term(p1), p2, p3], [p2, p3], [p2, p3, p4], [term(p2), p3, p4], [p3, p4]];
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const step of steps) {
      await s.apply([slice(step)]);
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const r = await load.stop();
    figures.push(`rolling replacement of 2 endpoints (6 slice updates) at ${String(ROLLING_RATE)} req/s asked: ${describeLoad(r)}`);
    expect(r.failures, describeLoad(r)).to.deep.equal([]);
  });
});
