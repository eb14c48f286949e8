import { expect } from 'chai';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { testCert } from './fixtures/certs.ts';
import { F, PlaneHarness, freePort, parseResponses, rawUpstream, upstream } from './fixtures/harness.ts';

/** Handshakes with `servername` (or none), sends one request, returns the peer cert's CN, ALPN and response. */
function tlsGet(port: number, servername: string | null): Promise<{ cn: string; org: string; alpn: string | false; status: number; body: string; version: string | null }> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], ...(servername === null ? {} : { servername }) }, () => {
      const peer = s.getPeerCertificate();
      s.write(`GET / HTTP/1.1\r\nhost: ${servername ?? 'x'}\r\nconnection: close\r\n\r\n`);
      let text = '';
      s.setEncoding('latin1');
      s.on('data', (d: string) => (text += d));
      s.on('end', () => {
        const [r] = parseResponses(text);
        resolve({ cn: String(peer.subject.CN), org: String(peer.subject.O), alpn: s.alpnProtocol ?? false, status: r?.status ?? 0, body: r?.body ?? '', version: s.getProtocol() });
      });
    });
    s.on('error', reject);
  });
}

describe('dataplane: TLS with SNI, and mode tcp', function () {
  this.timeout(30000);
  let h: PlaneHarness;
  let port: number;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    h = await new PlaneHarness(2).start();
    port = await freePort();
  });

  afterEach(async () => {
    await h.stop();
    for (const c of closers.splice(0)) await c();
  });

  async function tlsSetup(): Promise<void> {
    const u = await upstream('s1');
    closers.push(u.close);
    const def = testCert('default.test');
    const www = testCert('www.example.com');
    const wild = testCert('wild.example.com', ['*.example.com']);
    await h.publish(
      h.backend('b'), h.server(1, 'b', 's1', u.port),
      { kind: 'cert.set', name: 'default', ...def, names: ['default.test'] },
      { kind: 'cert.set', name: 'www', ...www, names: ['www.example.com'] },
      { kind: 'cert.set', name: 'wild', ...wild, names: ['*.example.com'] },
      { kind: 'crtlist.add', list: 'list', cert: 'wild', sni: [] },
      { kind: 'crtlist.add', list: 'list', cert: 'www', sni: [] },
      h.frontend('fe', port, { defaultBackend: 'b', binds: [{ host: '127.0.0.1', port, ssl: { defaultCert: 'default', crtList: 'list' } }] }),
    );
  }

  it('chooses the certificate by SNI: exact name first, then the one-label wildcard, else the default', async () => {
    await tlsSetup();
    const exact = await tlsGet(port, 'www.example.com');
    expect(exact.cn).to.equal('www.example.com');
    expect(exact.alpn).to.equal('http/1.1');
    expect(exact.body).to.equal('resp from s1');
    expect((await tlsGet(port, 'api.example.com')).cn).to.equal('wild.example.com');
    expect((await tlsGet(port, 'a.b.example.com')).cn).to.equal('default.test');
    expect((await tlsGet(port, 'other.test')).cn).to.equal('default.test');
    expect((await tlsGet(port, null)).cn).to.equal('default.test');
  });

  it('serves a replaced certificate on the next handshake, default certificate included, without restart', async () => {
    await tlsSetup();
    const www2 = testCert('www.example.com', ['www.example.com'], 'renewed');
    const def2 = testCert('default.test', ['default.test'], 'renewed');
    await h.publish(
      { kind: 'cert.set', name: 'www', ...www2, names: ['www.example.com'] },
      { kind: 'cert.set', name: 'default', ...def2, names: ['default.test'] },
    );
    for (let i = 0; i < 4; i++) {
      expect((await tlsGet(port, 'www.example.com')).org).to.equal('renewed');
      expect((await tlsGet(port, null)).org).to.equal('renewed');
    }
    await h.publish({ kind: 'crtlist.del', list: 'list', cert: 'www' });
    expect((await tlsGet(port, 'www.example.com')).cn).to.equal('wild.example.com');
  });

  it('refuses TLS 1.1 and below', async () => {
    await tlsSetup();
    const err = await new Promise<Error | null>((resolve) => {
      const s = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, () => resolve(null));
      s.on('error', (e) => resolve(e));
    });
    expect(err).to.be.an('error');
  });

  it('pipes mode tcp connections both ways and retries a failed connect on another server', async () => {
    const echo = await rawUpstream((s) => s.on('data', (d: Buffer) => s.write(Buffer.concat([Buffer.from('echo:'), d]))));
    closers.push(echo.close);
    const dead = await freePort();
    await h.publish(
      h.backend('t', { mode: 'tcp', retries: 2, redispatch: true }), h.server(1, 't', 'dead', dead), h.server(2, 't', 'echo', echo.port),
      h.frontend('tcp', port, { mode: 'tcp', defaultBackend: 't' }),
    );
    for (let i = 0; i < 3; i++) {
      const got = await new Promise<string>((resolve, reject) => {
        const s = netConnect(port, '127.0.0.1', () => s.write('hello'));
        s.setEncoding('latin1');
        s.on('data', (d: string) => {
          resolve(d);
          s.end();
        });
        s.on('error', reject);
      });
      expect(got).to.equal('echo:hello');
    }
    expect(await h.settled('fe:tcp', F.CONN_TOTAL, 3)).to.equal(3);
  });

  it('closes an idle mode tcp session after timeout tunnel', async () => {
    const echo = await rawUpstream(() => undefined);
    closers.push(echo.close);
    await h.publish(
      h.backend('t', { mode: 'tcp', timeouts: { connect: 1000, server: 1000, tunnel: 300 } }), h.server(1, 't', 'e', echo.port),
      h.frontend('tcp', port, { mode: 'tcp', defaultBackend: 't' }),
    );
    const t0 = Date.now();
    await new Promise<void>((resolve) => {
      const s = netConnect(port, '127.0.0.1');
      s.on('close', () => resolve());
      s.on('error', () => undefined);
    });
    expect(Date.now() - t0).to.be.within(200, 2000);
  });
});
