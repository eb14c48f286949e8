import { expect } from 'chai';
import pino from 'pino';
import { ClusterCache } from '../kube/cache.ts';
import { ingress, options, service, slice } from '../model/fixtures.ts';
import { fakeRuntime } from '../runtime/fake-client.ts';
import type { ModelWarning } from '../model/warnings.ts';
import { SyncEngine } from './engine.ts';

function setup() {
  const cache = new ClusterCache();
  const rt = fakeRuntime();
  const warnings: ModelWarning[][] = [];
  const engine = new SyncEngine({ cache, client: rt.client, model: options(), logger: pino({ level: 'silent' }), onWarnings: (w) => warnings.push([...w]), onStatuses: () => undefined });
  cache.upsert('IngressClass', '/hawser', { meta: { namespace: '', name: 'hawser', uid: 'class-uid', creationTimestamp: '2026-01-01T00:00:00Z', annotations: {} }, controller: options().controllerName, isDefault: false });
  cache.upsert('Ingress', 'ns/a', ingress('ns/a').host('a.example').path('/', 'Prefix', 'web', 80).build());
  cache.upsert('Service', 'ns/web', service('ns/web').port(80, 'http').build());
  cache.upsert('EndpointSlice', 'ns/web-1', slice('ns/web-1', 'web').port(8080, 'http').endpoint('10.0.0.1', { pod: 'p1' }).build());
  return { cache, rt, engine, warnings };
}

describe('sync engine', () => {
  it('programs a new cluster, then sends nothing for the same cluster', async () => {
    const { rt, engine } = setup();
    const first = await engine.run(new Set(['routes']));
    expect(first.failure).to.equal(null);
    expect(first.commands).to.be.greaterThan(0);
    const writes = rt.transport.writes.length;
    const second = await engine.run(new Set(['routes']));
    expect(second).to.deep.equal({ lane: 'full', commands: 0, failure: null, retry: false });
    expect(rt.transport.writes.length).to.equal(writes);
  });

  it('sends nothing after a controller restart against a proxy that already holds the state', async () => {
    const { cache, rt, engine } = setup();
    await engine.run(new Set(['routes']));
    const restarted = new SyncEngine({ cache, client: rt.client, model: options(), logger: pino({ level: 'silent' }), onWarnings: () => undefined, onStatuses: () => undefined });
    const report = await restarted.run(new Set(['routes']));
    expect(report.commands).to.equal(0);
  });

  it('takes the endpoint lane: a new endpoint adds a server without touching routes', async () => {
    const { cache, rt, engine } = setup();
    await engine.run(new Set(['routes']));
    const before = rt.transport.writes.length;
    cache.upsert('EndpointSlice', 'ns/web-1', slice('ns/web-1', 'web').port(8080, 'http').endpoint('10.0.0.1', { pod: 'p1' }).endpoint('10.0.0.2', { pod: 'p2' }).build());
    const report = await engine.run(new Set(['endpoints']));
    expect(report.lane).to.equal('endpoints');
    expect(report.commands).to.be.greaterThan(0);
    const sent = rt.transport.writes.slice(before).join('');
    expect(sent).to.include('add server');
    expect(sent).not.to.include('map');
  });
});
