import { expect } from 'chai';
import { KeepAliveClient, PlaneHarness, freePort, get, upstream, type RawResponse } from './fixtures/harness.ts';
import { F } from '../stats/counters.ts';

describe('dataplane: soft stop and changes under load', function () {
  this.timeout(30000);
  const closers: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  async function slow(ms: number): Promise<number> {
    const u = await upstream('slow', (req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.end('done'), ms));
    });
    closers.push(u.close);
    return u.port;
  }

  it('finishes every accepted request during a soft stop, closes idle keep-alive connections at once', async () => {
    const h = await new PlaneHarness(2).start();
    const port = await freePort();
    const p = await slow(300);
    await h.publish(h.backend('b'), h.server(1, 'b', 's1', p), h.frontend('fe', port, { defaultBackend: 'b' }));
    const idle = new KeepAliveClient(port);
    const busy = new KeepAliveClient(port);
    await idle.send();
    const inflight: Promise<RawResponse>[] = Array.from({ length: 20 }, () => get(port));
    const keepAlive = busy.send();
    // Every request is in the proxy (each of the 20 + 1 requests in flight at the server) before
    // the stop: a connection still in a listener's backlog is refused by the kernel, not by us.
    expect(await h.settled('srv:s1', F.REQ_CUR, 21)).to.equal(21);
    const t0 = Date.now();
    const stopped = h.stop(5000);
    const results = await Promise.all(inflight);
    const ka = await keepAlive;
    await stopped;
    expect(results.map((r) => r.status)).to.deep.equal(Array(20).fill(200));
    expect(ka.status).to.equal(200);
    expect(ka.headers['connection']).to.equal('close');
    expect(idle.closed).to.equal(true);
    expect(Date.now() - t0).to.be.below(4000);
  });

  it('keeps serving without a failed request while servers are added and removed and the map is swapped', async () => {
    const h = await new PlaneHarness(2).start();
    const port = await freePort();
    const a = await upstream('a');
    const b = await upstream('b');
    closers.push(a.close, b.close);
    await h.publish(
      h.backend('be'), h.server(1, 'be', 'a', a.port),
      { kind: 'map.replace', map: 'm', entries: [{ key: 'prefix:*/', value: 'be' }] },
      h.frontend('fe', port, { routeMap: 'm' }),
    );
    let stop = false;
    const statuses = new Map<number, number>();
    const clients = Array.from({ length: 4 }, async () => {
      const c = new KeepAliveClient(port);
      while (!stop) {
        const r = await c.send();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
      c.close();
    });
    let key = 100;
    for (let i = 0; i < 40; i++) {
      const k = ++key;
      await h.publish(h.server(k, 'be', `b${k}`, b.port, { admin: 'maint' }), h.update(k, b.port, { admin: 'ready' }));
      await h.publish({ kind: 'map.replace', map: 'm', entries: [{ key: 'prefix:*/', value: 'be' }, { key: `exact:*/x${i}`, value: 'be' }] });
      await h.publish(h.update(k, b.port, { admin: 'maint' }));
      await h.publish({ kind: 'server.del', key: k });
    }
    stop = true;
    await Promise.all(clients);
    await h.stop();
    expect([...statuses.keys()]).to.deep.equal([200]);
    expect(statuses.get(200)).to.be.greaterThan(40);
  });
});
