import { expect } from 'chai';
import { SyncLoop } from './loop.ts';
import type { SyncReport } from './loop.ts';
import { FakeClock } from './fake-clock.ts';
import { Cache } from '../kube/cache.ts';
import { buildModel } from '../model/build.ts';
import { ingress, ingressClass, options, service, slice } from '../model/fixtures.ts';
import { fakeRuntime } from '../runtime/fake-client.ts';
import type { RuntimeClient } from '../runtime/client.ts';

interface Harness {
  loop: SyncLoop;
  clock: FakeClock;
  cache: Cache;
  reports: SyncReport[];
  builds: number[];
  rt: ReturnType<typeof fakeRuntime>;
  /** Advances time and waits for the run it may start. */
  tick(ms: number): Promise<void>;
}

function harness(client?: RuntimeClient): Harness {
  const clock = new FakeClock();
  const cache = new Cache();
  const rt = fakeRuntime();
  const reports: SyncReport[] = [];
  const builds: number[] = [];
  cache.upsert('IngressClass', ingressClass('hawser'));
  cache.upsert('Service', service('ns/web').port(80).build());
  cache.upsert('Ingress', ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 80).build());
  const loop = new SyncLoop({
    snapshot: () => cache.snapshot(),
    dirtyServices: () => cache.takeDirtyServices(),
    endpointInputs: (s) => cache.endpointInputs(s),
    client: client ?? rt.client,
    modelOptions: options(),
    diffOptions: { routeMap: 'ingress', crtList: 'ingress' },
    clock,
    build: (s, o) => { builds.push(clock.now()); return buildModel(s, o); },
    onReport: (r) => reports.push(r),
  });
  const tick = async (ms: number): Promise<void> => { clock.advance(ms); await loop.idle(); };
  return { loop, clock, cache, reports, builds, rt, tick };
}

describe('sync loop: holdoff, fast path, retries', () => {
  it('runs a full sync at start and turns ready once it is applied', async () => {
    const h = harness();
    h.loop.start();
    expect(h.loop.ready).to.equal(false);
    await h.tick(0);
    expect(h.loop.ready).to.equal(true);
    expect(h.reports.map((r) => [r.kind, r.type])).to.deep.equal([['full', 'dynamic']]);
  });

  it('coalesces a burst of route changes into one build, 100 ms after the last event', async () => {
    const h = harness();
    h.loop.start();
    await h.tick(0);
    for (let i = 0; i < 5; i++) {
      h.loop.notify(h.cache.upsert('Ingress', ingress(`ns/b${String(i)}`).host(`b${String(i)}.example.com`).path('/', 'Prefix', 'web', 80).build()));
      await h.tick(50);
    }
    expect(h.builds).to.have.length(1);
    await h.tick(50);
    expect(h.builds).to.deep.equal([0, 300]);
    expect(h.reports[1]?.commands).to.equal(1);
  });

  it('never holds route changes more than 500 ms after the first event', async () => {
    const h = harness();
    h.loop.start();
    await h.tick(0);
    for (let i = 0; i < 20; i++) {
      h.loop.notify(h.cache.upsert('Ingress', ingress(`ns/c${String(i)}`).host(`c${String(i)}.example.com`).path('/', 'Prefix', 'web', 80).build()));
      await h.tick(60);
    }
    expect(h.builds.slice(0, 2)).to.deep.equal([0, 500]);
  });

  it('applies an endpoint change at once, without rebuilding routes', async () => {
    const h = harness();
    h.loop.start();
    await h.tick(0);
    h.loop.notify(h.cache.upsert('EndpointSlice', slice('ns/web-1', 'web').port(8080).endpoint('10.0.0.1').build()));
    await h.tick(0);
    expect(h.builds).to.have.length(1);
    expect(h.reports[1]).to.include({ kind: 'endpoints', type: 'dynamic', commands: 2 });
    expect(h.rt.proxy.backends.get('ns_web_80')?.servers.size).to.equal(1);
  });

  it('reports noop and sends nothing when a change does not alter the proxy', async () => {
    const h = harness();
    h.loop.start();
    await h.tick(0);
    const writes = h.rt.transport.writes.length;
    h.loop.notify(h.cache.upsert('Ingress', ingress('ns/a').annotate('unrelated', 'x').host('a.example.com').path('/', 'Prefix', 'web', 80).build()));
    await h.tick(100);
    expect(h.reports[1]).to.include({ type: 'noop', commands: 0 });
    expect(h.rt.transport.writes.length).to.equal(writes);
  });

  it('reads the proxy back only on the first run', async () => {
    const h = harness();
    h.loop.start();
    await h.tick(0);
    h.loop.notify(h.cache.upsert('EndpointSlice', slice('ns/web-1', 'web').port(8080).endpoint('10.0.0.1').build()));
    await h.tick(0);
    expect(h.rt.transport.writes.filter((w) => w.startsWith('show backend'))).to.have.length(1);
  });

  it('retries with backoff while the proxy is down, then converges', async () => {
    const rt = fakeRuntime();
    let down = true;
    const flaky: RuntimeClient = {
      execute: (c) => (down ? Promise.reject(new Error('ECONNREFUSED')) : rt.client.execute(c)),
      readState: () => (down ? Promise.reject(new Error('ECONNREFUSED')) : rt.client.readState()),
      close: () => Promise.resolve(),
    };
    const h = harness(flaky);
    h.loop.start();
    await h.tick(0);
    await h.tick(999);
    expect(h.reports).to.have.length(0);
    h.loop.notify(h.cache.upsert('Ingress', ingress('ns/z').host('z.example.com').path('/', 'Prefix', 'web', 80).build()));
    await h.tick(100);
    // The event may not run before the backoff (1 s) ends; it then fails again, and waits 2 s.
    expect(h.builds).to.deep.equal([0, 1099]);
    down = false;
    await h.tick(1999);
    expect(h.loop.ready).to.equal(false);
    await h.tick(1);
    expect(h.loop.ready).to.equal(true);
    expect([...(rt.proxy.maps.get('ingress')?.keys() ?? [])]).to.deep.equal(['prefix:a.example.com/', 'prefix:z.example.com/']);
  });

  it('does not retry a run whose only refusal is an advisory backend setting', async () => {
    const rt = fakeRuntime();
    let reads = 0;
    const client: RuntimeClient = {
      execute: async (c) => {
        const r = await rt.client.execute(c);
        return { ...r, outcomes: [...r.outcomes, { command: { op: 'set-backend', backend: 'x', setting: { kind: 'timeout-server', ms: 1 } }, status: 'failed', code: 'HWS_ERR_RUNTIME_REJECTED', reply: 'Unknown command.' }] };
      },
      readState: () => { reads++; return rt.client.readState(); },
      close: () => Promise.resolve(),
    };
    const h = harness(client);
    h.loop.start();
    await h.tick(0);
    await h.tick(60_000);
    expect([reads, h.reports.length, h.loop.ready]).to.deep.equal([1, 1, true]);
  });
});

