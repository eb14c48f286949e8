import { expect } from 'chai';
import { adminServer } from './server.ts';
import { ControllerMetrics } from './metrics.ts';

describe('admin: health, readiness, metrics', () => {
  it('answers /readyz 503 until the first full sync, then 200', async () => {
    let ready = false;
    const app = adminServer({ ready: () => ready, registry: new ControllerMetrics().registry });
    expect((await app.inject({ url: '/readyz' })).statusCode).to.equal(503);
    ready = true;
    expect((await app.inject({ url: '/readyz' })).statusCode).to.equal(200);
    expect((await app.inject({ url: '/healthz' })).statusCode).to.equal(200);
    await app.close();
  });

  it('exports updates_total with noop and dynamic and no reload type', async () => {
    const m = new ControllerMetrics();
    m.record({ kind: 'full', type: 'dynamic', commands: 3, durationMs: 12 }, (c) => c);
    const app = adminServer({ ready: () => true, registry: m.registry });
    const body = (await app.inject({ url: '/metrics' })).body;
    expect(body).to.include('hawser_controller_updates_total{type="dynamic"} 1');
    expect(body).to.include('hawser_controller_updates_total{type="noop"} 0');
    expect(body).to.not.match(/type="(?:full|reload)"/);
    await app.close();
  });
});
