import { expect } from 'chai';
import type { Socket } from 'node:net';
import { F, PlaneHarness, freePort, get, parseResponses, rawRequest, rawUpstream, upstream } from './fixtures/harness.ts';

const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

/** Calls `onHead` for every complete request head a raw upstream socket receives. */
function onHeads(s: Socket, onHead: (n: number) => void): void {
  let buf = '';
  let n = 0;
  s.setEncoding('latin1');
  s.on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\r\n\r\n')) >= 0) {
      const cl = /content-length: *(\d+)/i.exec(buf.slice(0, i));
      const len = cl === null ? 0 : Number(cl[1]);
      if (buf.length < i + 4 + len) return;
      buf = buf.slice(i + 4 + len);
      onHead(++n);
    }
  });
}

describe('dataplane: failures, retries, states and hostile input', function () {
  this.timeout(30000);
  let h: PlaneHarness;
  let port: number;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    h = await new PlaneHarness(1).start();
    port = await freePort();
  });

  afterEach(async () => {
    await h.stop();
    for (const c of closers.splice(0)) await c();
  });

  async function live(name: string, delayMs = 0): Promise<number> {
    const u = await upstream(name, (req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.end(`resp from ${name}`), delayMs));
    });
    closers.push(u.close);
    return u.port;
  }

  async function raw(onConn: (s: Socket, index: number) => void): Promise<number> {
    let i = 0;
    const u = await rawUpstream((s) => onConn(s, i++));
    closers.push(u.close);
    return u.port;
  }

  it('redispatches a request whose connect failed to another server', async () => {
    const dead = await freePort();
    const s2 = await live('s2');
    await h.publish(h.backend('b', { retries: 2, redispatch: true }), h.server(1, 'b', 'dead', dead), h.server(2, 'b', 's2', s2), h.frontend('fe', port, { defaultBackend: 'b' }));
    for (let i = 0; i < 4; i++) expect((await get(port)).body).to.equal('resp from s2');
    expect(h.count('srv:dead', F.CONNECT_ERRORS)).to.be.greaterThan(0);
    expect(h.count('be:b', F.REDISPATCHES)).to.be.greaterThan(0);
    expect(await h.settled('srv:dead', F.CONN_CUR, 0)).to.equal(0);
  });

  it('answers 503 when every connect attempt failed', async () => {
    const dead = await freePort();
    await h.publish(h.backend('b', { retries: 1, redispatch: false }), h.server(1, 'b', 'dead', dead), h.frontend('fe', port, { defaultBackend: 'b' }));
    expect((await get(port)).status).to.equal(503);
    expect(await h.settled('srv:dead', F.CONNECT_ERRORS, 2)).to.equal(2);
    expect(await h.settled('srv:dead', F.REQ_CUR, 0)).to.equal(0);
  });

  it('replays an idempotent request on a new connection when a pooled one was closed before any response byte', async () => {
    const p = await raw((s, conn) => onHeads(s, (n) => (conn === 0 && n === 2 ? s.destroy() : s.write(OK))));
    await h.publish(h.backend('b'), h.server(1, 'b', 's1', p), h.frontend('fe', port, { defaultBackend: 'b' }));
    const text = await rawRequest(port, 'GET /1 HTTP/1.1\r\nhost: x\r\n\r\nGET /2 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(parseResponses(text).map((r) => r.status)).to.deep.equal([200, 200]);
  });

  it('never replays a POST whose bytes were sent: 502 instead', async () => {
    const p = await raw((s, conn) => onHeads(s, (n) => (conn === 0 && n === 2 ? s.destroy() : s.write(OK))));
    await h.publish(h.backend('b'), h.server(1, 'b', 's1', p), h.frontend('fe', port, { defaultBackend: 'b' }));
    const text = await rawRequest(port, 'GET /1 HTTP/1.1\r\nhost: x\r\n\r\nPOST /2 HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\nconnection: close\r\n\r\nabc');
    expect(parseResponses(text).map((r) => r.status)).to.deep.equal([200, 502]);
  });

  it('answers 502 with a log line when the server resets before the first response byte', async () => {
    const p = await raw((s) => onHeads(s, () => s.resetAndDestroy()));
    await h.publish(h.backend('b', { retries: 0 }), h.server(1, 'b', 's1', p), h.frontend('fe', port, { defaultBackend: 'b' }));
    expect((await get(port)).status).to.equal(502);
    const line = h.logs().find((l) => l['type'] === 'upstream');
    expect(line?.['reason']).to.match(/before response/);
    expect(line?.['server']).to.equal('s1');
  });

  it('closes the client connection with a log line when the server resets mid-response', async () => {
    const p = await raw((s) => onHeads(s, () => {
      s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial');
      setTimeout(() => s.resetAndDestroy(), 50);
    }));
    await h.publish(h.backend('b'), h.server(1, 'b', 's1', p), h.frontend('fe', port, { defaultBackend: 'b' }));
    const text = await rawRequest(port, 'GET / HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(text).to.match(/^HTTP\/1.1 200 OK\r\n/);
    expect(text.endsWith('partial')).to.equal(true);
    expect(h.logs().find((l) => l['type'] === 'upstream')?.['reason']).to.match(/mid-response/);
    expect(await h.settled('fe:fe', F.CONN_CUR, 0)).to.equal(0);
  });

  it('answers 504 when the server does not answer within timeout server', async () => {
    const p = await raw(() => undefined);
    await h.publish(h.backend('b', { timeouts: { connect: 1000, server: 300, tunnel: 1000 } }), h.server(1, 'b', 's1', p), h.frontend('fe', port, { defaultBackend: 'b' }));
    expect((await get(port)).status).to.equal(504);
  });

  it('answers 408 to a client that does not finish its head within timeout http-request', async () => {
    await h.publish(h.frontend('fe', port, { timeouts: { client: 5000, httpRequest: 300, httpKeepAlive: 300 } }));
    const text = await rawRequest(port, 'GET / HTTP/1.1\r\nhost: x\r\n', 3000);
    expect(text).to.match(/^HTTP\/1.1 408 /);
  });

  for (const state of ['drain', 'maint'] as const) {
    it(`lets an in-flight request finish when its server goes to ${state}, then gives new requests no server`, async () => {
      const p = await live('slow', 300);
      await h.publish(h.backend('b'), h.server(1, 'b', 's1', p), h.frontend('fe', port, { defaultBackend: 'b' }));
      const inflight = get(port);
      await new Promise((r) => setTimeout(r, 100));
      expect(await h.settled('srv:s1', F.REQ_CUR, 1)).to.equal(1);
      await h.publish(h.update(1, p, { admin: state }));
      expect((await inflight).body).to.equal('resp from slow');
      expect((await get(port)).status).to.equal(503);
      expect(await h.settled('srv:s1', F.REQ_CUR, 0)).to.equal(0);
      if (state === 'maint') expect(await h.settled('srv:s1', F.CONN_CUR, 0)).to.equal(0);
    });
  }

  const hostile: [string, string, number, string][] = [
    ['a CL.TE conflict', 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'PXY_ERR_HTTP_CL_AND_TE'],
    ['a TE.CL conflict', 'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 4\r\n\r\n0\r\n\r\n', 400, 'PXY_ERR_HTTP_CL_AND_TE'],
    ['a duplicate Content-Length', 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\ncontent-length: 1\r\n\r\na', 400, 'PXY_ERR_HTTP_DUPLICATE_CONTENT_LENGTH'],
    ['an invalid Content-Length', 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: +1\r\n\r\na', 400, 'PXY_ERR_HTTP_BAD_CONTENT_LENGTH'],
    ['a Transfer-Encoding that does not end with chunked', 'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked, gzip\r\n\r\n', 400, 'PXY_ERR_HTTP_TE_NOT_CHUNKED'],
    ['an obs-fold', 'GET / HTTP/1.1\r\nhost: x\r\nx-a: 1\r\n 2\r\n\r\n', 400, 'PXY_ERR_HTTP_OBS_FOLD'],
    ['a bare LF in the head', 'GET / HTTP/1.1\r\nhost: x\nx-a: 1\r\n\r\n', 400, 'PXY_ERR_HTTP_BARE_LF'],
    ['a NUL in the head', 'GET / HTTP/1.1\r\nhost: x\r\nx-a: a\u0000b\r\n\r\n', 400, 'PXY_ERR_HTTP_NUL'],
    ['an invalid chunk size', 'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n', 400, 'PXY_ERR_HTTP_BAD_CHUNK_SIZE'],
    ['a request line over the limit', `GET /${'a'.repeat(9000)} HTTP/1.1\r\nhost: x\r\n\r\n`, 414, 'PXY_ERR_HTTP_URI_TOO_LONG'],
    ['a header block over the limit', `GET / HTTP/1.1\r\nhost: x\r\n${'x-a: '.concat('b'.repeat(4000), '\r\n').repeat(5)}\r\n`, 431, 'PXY_ERR_HTTP_HEAD_TOO_LARGE'],
    ['too many headers', `GET / HTTP/1.1\r\nhost: x\r\n${'x-a: b\r\n'.repeat(101)}\r\n`, 431, 'PXY_ERR_HTTP_TOO_MANY_HEADERS'],
  ];

  it('rejects hostile requests with their status and a log line, and keeps serving', async () => {
    const p = await live('s1');
    await h.publish(h.backend('b'), h.server(1, 'b', 's1', p), h.frontend('fe', port, { defaultBackend: 'b' }));
    for (const [what, bytes, status, code] of hostile) {
      const text = await rawRequest(port, bytes);
      expect(parseResponses(text)[0]?.status, what).to.equal(status);
      expect(h.logs().some((l) => l['type'] === 'rejected' && l['code'] === code), `${what}: log line ${code}`).to.equal(true);
      expect((await get(port)).body, `${what}: still serving`).to.equal('resp from s1');
    }
  });
});
