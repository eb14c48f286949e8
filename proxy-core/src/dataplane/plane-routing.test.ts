import { expect } from 'chai';
import { F, KeepAliveClient, PlaneHarness, freePort, get, upstream } from './fixtures/harness.ts';

describe('dataplane: routing and server states over real sockets', function () {
  this.timeout(20000);
  let h: PlaneHarness;
  let port: number;
  const ups: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    h = await new PlaneHarness(2).start();
    port = await freePort();
  });

  afterEach(async () => {
    await h.stop();
    await Promise.all(ups.splice(0).map((u) => u.close()));
  });

  async function up(name: string): Promise<number> {
    const u = await upstream(name);
    ups.push(u);
    return u.port;
  }

  it('answers 404 when no route matches and there is no default backend', async () => {
    await h.publish(h.frontend('fe', port, { routeMap: 'ingress' }));
    const r = await get(port, '/');
    expect(r.status).to.equal(404);
  });

  it('routes by host and path, falls back to the default backend, answers 503 for a backend without servers', async () => {
    const a = await up('a');
    const b = await up('b');
    await h.publish(
      h.backend('be-a'), h.backend('be-b'), h.backend('be-empty'),
      h.server(1, 'be-a', 'a1', a), h.server(2, 'be-b', 'b1', b),
      { kind: 'map.replace', map: 'ingress', entries: [
        { key: 'prefix:example.com/api', value: 'be-a route-a' },
        { key: 'exact:example.com/', value: 'be-b route-b' },
        { key: 'prefix:empty.example.com/', value: 'be-empty' },
      ] },
      h.frontend('fe', port, { routeMap: 'ingress', defaultBackend: 'be-b' }),
    );
    expect((await get(port, '/api/x')).body).to.equal('resp from a');
    expect((await get(port, '/', 'EXAMPLE.com:8080')).body).to.equal('resp from b');
    expect((await get(port, '/apix')).body).to.equal('resp from b');
    expect((await get(port, '/', 'empty.example.com')).status).to.equal(503);
  });

  it('ignores a route to an unpublished backend (the default backend serves) until it is published', async () => {
    const a = await up('a');
    const b = await up('b');
    await h.publish(
      h.backend('be-new', { published: false }), h.backend('be-default'),
      h.server(1, 'be-new', 'a1', a), h.server(2, 'be-default', 'b1', b),
      { kind: 'map.replace', map: 'ingress', entries: [{ key: 'prefix:new.example/', value: 'be-new' }] },
      h.frontend('fe', port, { routeMap: 'ingress', defaultBackend: 'be-default' }),
    );
    expect((await get(port, '/', 'new.example')).body).to.equal('resp from b');
    await h.publish(h.backend('be-new', { published: true }));
    expect((await get(port, '/', 'new.example')).body).to.equal('resp from a');
  });

  it('answers 404 for a route to an unpublished backend without a default backend, 503 when the default itself is unpublished', async () => {
    const a = await up('a');
    const port2 = await freePort();
    await h.publish(
      h.backend('be-new', { published: false }), h.server(1, 'be-new', 'a1', a),
      { kind: 'map.replace', map: 'ingress', entries: [{ key: 'prefix:new.example/', value: 'be-new' }] },
      h.frontend('fe', port, { routeMap: 'ingress' }),
      h.frontend('fe2', port2, { defaultBackend: 'be-new' }),
    );
    expect((await get(port, '/', 'new.example')).status).to.equal(404);
    expect((await get(port2, '/')).status).to.equal(503);
  });

  it('serves reference case 5.1: 503 while the only server is in maint, 200 once enabled', async () => {
    const s1 = await up('s1');
    await h.publish(h.backend('test', { balance: { algo: 'random', hdrName: null } }), h.frontend('fe', port, { defaultBackend: 'test' }));
    expect((await get(port)).status).to.equal(503);
    await h.publish(h.server(1, 'test', 's1', s1, { admin: 'maint' }), h.server(2, 'test', 's2', s1, { admin: 'maint' }));
    expect((await get(port)).status).to.equal(503);
    await h.publish(h.update(1, s1, { admin: 'ready' }));
    expect((await get(port)).status).to.equal(200);
  });

  it('serves reference case 5.2: round robin between s1 and s2, only s1 after s2 is deleted', async () => {
    const s1 = await up('s1');
    const s2 = await up('s2');
    await h.publish(h.backend('test'), h.server(1, 'test', 's1', s1), h.frontend('fe', port, { defaultBackend: 'test' }));
    await h.publish(h.server(2, 'test', 's2', s2, { admin: 'maint' }), h.update(2, s2, { admin: 'ready' }));
    const c = new KeepAliveClient(port);
    const bodies = [(await c.send()).body, (await c.send()).body, (await c.send()).body, (await c.send()).body];
    expect(bodies.filter((b) => b === 'resp from s1')).to.have.length(2);
    expect(bodies.filter((b) => b === 'resp from s2')).to.have.length(2);
    await h.publish(h.update(2, s2, { admin: 'maint' }));
    expect(await h.settled('srv:s2', F.REQ_CUR, 0)).to.equal(0);
    await h.publish({ kind: 'server.del', key: 2 });
    expect([(await c.send()).body, (await c.send()).body]).to.deep.equal(['resp from s1', 'resp from s1']);
    c.close();
  });

  it('reuses one upstream connection for a keep-alive client and counts it', async () => {
    const s1 = await up('s1');
    await h.publish(h.backend('test'), h.server(1, 'test', 's1', s1), h.frontend('fe', port, { defaultBackend: 'test' }));
    const c = new KeepAliveClient(port);
    for (let i = 0; i < 5; i++) expect((await c.send()).status).to.equal(200);
    expect(await h.settled('srv:s1', F.CONN_TOTAL, 1)).to.equal(1);
    expect(await h.settled('srv:s1', F.RESP_2XX, 5)).to.equal(5);
    expect(await h.settled('fe:fe', F.REQ_TOTAL, 5)).to.equal(5);
    expect(await h.settled('srv:s1', F.REQ_CUR, 0)).to.equal(0);
    expect(await h.settled('srv:s1', F.CONN_IDLE, 1)).to.equal(1);
    c.close();
  });

  it('swaps a route map atomically with map.replace and applies map.add, map.set and map.del', async () => {
    const a = await up('a');
    const b = await up('b');
    await h.publish(
      h.backend('be-a'), h.backend('be-b'), h.server(1, 'be-a', 'a1', a), h.server(2, 'be-b', 'b1', b),
      h.frontend('fe', port, { routeMap: 'm' }),
      { kind: 'map.add', map: 'm', key: 'prefix:*/', value: 'be-a' },
    );
    expect((await get(port)).body).to.equal('resp from a');
    await h.publish({ kind: 'map.set', map: 'm', key: 'prefix:*/', value: 'be-b' });
    expect((await get(port)).body).to.equal('resp from b');
    await h.publish({ kind: 'map.del', map: 'm', key: 'prefix:*/' });
    expect((await get(port)).status).to.equal(404);
    await h.publish({ kind: 'map.replace', map: 'm', entries: [{ key: 'prefix:*.example.com/', value: 'be-a' }] });
    expect((await get(port, '/', 'www.example.com')).body).to.equal('resp from a');
    expect((await get(port, '/', 'a.b.example.com')).status).to.equal(404);
  });
  it('balances by weight with roundrobin and keeps a client on one server with balance source', async () => {
    const s1 = await up('s1');
    const s2 = await up('s2');
    await h.publish(
      h.backend('w'), h.server(1, 'w', 'w1', s1, { weight: 3 }), h.server(2, 'w', 'w2', s2, { weight: 1 }),
      h.backend('src', { balance: { algo: 'source', hdrName: null } }), h.server(3, 'src', 'x1', s1), h.server(4, 'src', 'x2', s2),
      { kind: 'map.replace', map: 'm', entries: [{ key: 'prefix:src.example.com/', value: 'src' }] },
      h.frontend('fe', port, { routeMap: 'm', defaultBackend: 'w' }),
    );
    // One worker answers a keep-alive connection, so its smooth round robin is visible as is.
    const c = new KeepAliveClient(port);
    const bodies: string[] = [];
    for (let i = 0; i < 8; i++) bodies.push((await c.send()).body);
    expect(bodies.filter((b) => b === 'resp from s1')).to.have.length(6);
    const sticky = new Set<string>();
    for (let i = 0; i < 6; i++) sticky.add((await c.send('/', 'src.example.com')).body);
    expect(sticky.size).to.equal(1);
    c.close();
  });
  it('keeps the requests of one header value on one server with balance hdr, on every worker', async () => {
    const s1 = await up('s1');
    const s2 = await up('s2');
    await h.publish(
      h.backend('hb', { balance: { algo: 'hdr', hdrName: 'x-user' } }), h.server(1, 'hb', 'h1', s1), h.server(2, 'hb', 'h2', s2),
      h.frontend('fe', port, { defaultBackend: 'hb' }),
    );
    for (const user of ['alice', 'bob', 'carol']) {
      const seen = new Set<string>();
      for (let i = 0; i < 6; i++) seen.add((await get(port, '/', 'example.com', `x-user: ${user}\r\n`)).body);
      expect(seen.size, user).to.equal(1);
    }
  });
});
