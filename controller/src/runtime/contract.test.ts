import { expect } from 'chai';
import { runtimeContract } from './contract.ts';
import { fakeRuntime } from './fake-client.ts';
import { DEFAULT_CLIENT_OPTIONS } from './client.ts';

runtimeContract('in-memory fake', () => {
  const f = fakeRuntime();
  return Promise.resolve({
    client: f.client,
    routeMap: DEFAULT_CLIENT_OPTIONS.routeMap,
    crtList: DEFAULT_CLIENT_OPTIONS.crtList,
    holdConnections: (be: string, s: string, n: number) => {
      const server = f.proxy.backends.get(be)?.servers.get(s);
      if (server !== undefined) server.connections = n;
    },
    drainPerWait: (n: number) => { f.proxy.drainPerWait = n; },
  });
});

describe('runtime client: what goes over the wire', () => {
  it('batches simple commands on one ;-joined line', async () => {
    const f = fakeRuntime();
    await f.client.execute([
      { op: 'add-backend', backend: 'ns_web_80', guid: 'b:u:80' },
      { op: 'add-server', backend: 'ns_web_80', server: '10.0.0.1_8080', address: '10.0.0.1', port: 8080, guid: 's:u:80:10.0.0.1_8080', weight: 1 },
      { op: 'set-server-state', backend: 'ns_web_80', server: '10.0.0.1_8080', state: 'ready' },
      { op: 'publish-backend', backend: 'ns_web_80' },
    ]);
    expect(f.transport.writes).to.deep.equal([
      'add backend ns_web_80 from ingress-defaults mode http guid b:u:80;add server ns_web_80/10.0.0.1_8080 10.0.0.1:8080 guid s:u:80:10.0.0.1_8080 check;set server ns_web_80/10.0.0.1_8080 state ready;publish backend ns_web_80\n',
    ]);
  });

  it('splits batches at maxBatch', async () => {
    const f = fakeRuntime({ maxBatch: 2 });
    await f.client.execute([1, 2, 3].map((i) => ({ op: 'add-backend', backend: `ns_s${String(i)}_80`, guid: `b:${String(i)}:80` }) as const));
    expect(f.transport.writes.map((w) => w.split(';').length)).to.deep.equal([2, 1]);
  });

  it('refuses a command longer than the line limit before sending anything', async () => {
    const f = fakeRuntime({ maxLineBytes: 100 });
    let error: unknown;
    try { await f.client.execute([{ op: 'add-backend', backend: `ns_${'a'.repeat(200)}_80`, guid: 'g' }]); } catch (e) { error = e; }
    expect(error).to.have.property('code', 'HWS_ERR_RUNTIME_LINE_TOO_LONG');
    expect(f.transport.writes).to.deep.equal([]);
  });

  it('runs a map swap as prepare, versioned adds and commit', async () => {
    const f = fakeRuntime();
    await f.client.execute([{ op: 'replace-map', map: 'ingress', entries: [{ key: 'prefix:a.example.com/', value: 'ns_web_80 r:u:1' }] }]);
    expect(f.transport.writes).to.deep.equal([
      'prepare map ingress\n',
      'add map @1 ingress <<\nprefix:a.example.com/ ns_web_80 r:u:1\n\n',
      'commit map @1 ingress\n',
    ]);
  });

  it('leaves the old table serving when an entry is refused', async () => {
    const f = fakeRuntime();
    await f.client.execute([{ op: 'replace-map', map: 'ingress', entries: [{ key: 'prefix:a.example.com/', value: 'ns_web_80 r:u:1' }] }]);
    const original = f.proxy.run.bind(f.proxy);
    f.proxy.run = (a, p) => (a[0] === 'add' && a[1] === 'map' ? 'Out of memory error.' : original(a, p));
    const r = await f.client.execute([{ op: 'replace-map', map: 'ingress', entries: [{ key: 'prefix:b.example.com/', value: 'ns_web_80 r:u:2' }] }]);
    expect(r.outcomes[0]).to.include({ status: 'failed', reply: 'Out of memory error.' });
    expect([...(f.proxy.maps.get('ingress')?.keys() ?? [])]).to.deep.equal(['prefix:a.example.com/']);
  });

  it('sends a certificate as a payload of its own', async () => {
    const f = fakeRuntime();
    await f.client.execute([{ op: 'new-ssl-cert', name: 'secret-u.pem' }, { op: 'set-ssl-cert', name: 'secret-u.pem', pem: 'LINE1\nLINE2' }, { op: 'commit-ssl-cert', name: 'secret-u.pem' }]);
    expect(f.transport.writes).to.deep.equal(['new ssl cert secret-u.pem\n', 'set ssl cert secret-u.pem <<\nLINE1\nLINE2\n\n', 'commit ssl cert secret-u.pem\n']);
  });

  it('runs the deletion protocol: del, wait srv-removable, del', async () => {
    const f = fakeRuntime();
    await f.client.execute([{ op: 'add-backend', backend: 'ns_web_80', guid: 'b' }, { op: 'add-server', backend: 'ns_web_80', server: 's', address: '10.0.0.1', port: 80, guid: 's', weight: 1 }]);
    const s = f.proxy.backends.get('ns_web_80')?.servers.get('s');
    if (s !== undefined) s.connections = 1;
    f.transport.writes.length = 0;
    const r = await f.client.execute([{ op: 'del-server', backend: 'ns_web_80', server: 's' }]);
    expect(r.outcomes[0]?.status).to.equal('ok');
    expect(f.transport.writes).to.deep.equal(['del server ns_web_80/s\n', 'wait 2s srv-removable ns_web_80/s\n', 'del server ns_web_80/s\n']);
  });
});

describe('runtime client: a refused backend setting does not hold the rest back', () => {
  it('carries on after set backend is refused, and reports it failed', async () => {
    const f = fakeRuntime();
    const original = f.proxy.run.bind(f.proxy);
    f.proxy.run = (a, p) => (a[0] === 'set' && a[1] === 'backend' ? 'Unknown command.' : original(a, p));
    const r = await f.client.execute([
      { op: 'add-backend', backend: 'ns_web_80', guid: 'b' },
      { op: 'set-backend', backend: 'ns_web_80', setting: { kind: 'balance', value: { algorithm: 'leastconn' } } },
      { op: 'publish-backend', backend: 'ns_web_80' },
      { op: 'replace-map', map: 'ingress', entries: [{ key: 'prefix:a.example.com/', value: 'ns_web_80' }] },
    ]);
    expect(r.completed).to.equal(true);
    expect(r.outcomes.map((o) => o.status)).to.deep.equal(['ok', 'failed', 'ok', 'ok']);
    expect(f.proxy.maps.get('ingress')?.size).to.equal(1);
  });
});
