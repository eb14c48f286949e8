import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { PlaneHarness, freePort, parseResponses, rawRequest, rawUpstream, upstream } from './fixtures/harness.ts';

describe('dataplane: HTTP/1.1 correctness end to end', function () {
  this.timeout(30000);
  let h: PlaneHarness;
  let port: number;
  let replacePort: number;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    h = await new PlaneHarness(1).start();
    port = await freePort();
    const echo = await upstream('echo', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (req.url === '/204') return void res.writeHead(204).end();
        if (req.url === '/304') return void res.writeHead(304, { etag: 'x' }).end();
        if (req.url === '/chunked') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('hello ');
          setTimeout(() => res.end('world'), 10);
          return;
        }
        if (req.url === '/hop') return void res.writeHead(200, { connection: 'x-secret', 'x-secret': 'no', 'keep-alive': 'timeout=5', 'x-kept': 'yes' }).end('ok');
        const out = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
        res.end(out);
      });
    });
    closers.push(echo.close);
    const ws = await rawUpstream((s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n');
        s.on('data', (d: Buffer) => s.write(Buffer.concat([Buffer.from('echo:'), d])));
      });
    });
    closers.push(ws.close);
    await h.publish(
      h.backend('echo'), h.server(1, 'echo', 'e1', echo.port),
      h.backend('ws'), h.server(2, 'ws', 'w1', ws.port),
      { kind: 'map.replace', map: 'm', entries: [{ key: 'prefix:ws.example.com/', value: 'ws' }] },
      h.frontend('fe', port, { routeMap: 'm', defaultBackend: 'echo' }),
      h.frontend('fe-replace', (replacePort = await freePort()), { defaultBackend: 'echo', forwarded: 'replace' }),
    );
  });

  after(async () => {
    await h.stop();
    for (const c of closers) await c();
  });

  function echoOf(text: string): { method: string; url: string; headers: Record<string, string>; body: string } {
    const [r] = parseResponses(text);
    return JSON.parse(r!.body) as { method: string; url: string; headers: Record<string, string>; body: string };
  }

  it('answers pipelined requests in order on one connection', async () => {
    const reqs = ['/a', '/b', '/c', '/d'].map((p, i) => `GET ${p} HTTP/1.1\r\nhost: x\r\n${i === 3 ? 'connection: close\r\n' : ''}\r\n`).join('');
    const rs = parseResponses(await rawRequest(port, reqs));
    expect(rs.map((r) => (JSON.parse(r.body) as { url: string }).url)).to.deep.equal(['/a', '/b', '/c', '/d']);
  });

  it('removes hop-by-hop headers both ways and sets X-Forwarded-* (append trusts the client, replace does not)', async () => {
    const bytes = 'GET /h HTTP/1.1\r\nhost: example.com\r\nconnection: close, x-hop\r\nx-hop: 1\r\nkeep-alive: 1\r\nte: trailers\r\nx-forwarded-proto: evil\r\nx-forwarded-for: 10.0.0.1\r\n\r\n';
    const e = echoOf(await rawRequest(port, bytes));
    expect(e.headers['x-hop']).to.equal(undefined);
    expect(e.headers['keep-alive']).to.equal(undefined);
    expect(e.headers['te']).to.equal(undefined);
    expect(e.headers['x-forwarded-for']).to.equal('10.0.0.1, 127.0.0.1');
    expect(e.headers['x-forwarded-proto']).to.equal('evil');
    expect(e.headers['x-forwarded-host']).to.equal('example.com');
    expect(e.headers['x-forwarded-port']).to.equal(String(port));
    const r = echoOf(await rawRequest(replacePort, bytes));
    expect(r.headers['x-forwarded-for']).to.equal('127.0.0.1');
    expect(r.headers['x-forwarded-proto']).to.equal('http');
    expect(r.headers['x-forwarded-port']).to.equal(String(replacePort));
    const [hop] = parseResponses(await rawRequest(port, 'GET /hop HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
    expect(hop!.headers['x-secret']).to.equal(undefined);
    expect(hop!.headers['keep-alive']).to.equal(undefined);
    expect(hop!.headers['x-kept']).to.equal('yes');
  });

  it('forwards a chunked request body and a chunked response', async () => {
    const text = await rawRequest(port, 'POST /c HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nx-trailer: 1\r\n\r\n');
    expect(echoOf(text).body).to.equal('hello world');
    const [r] = parseResponses(await rawRequest(port, 'GET /chunked HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
    expect(r!.headers['transfer-encoding']).to.equal('chunked');
    expect(r!.body).to.equal('hello world');
  });

  it('frames HEAD, 204 and 304 responses without a body and keeps the connection usable', async () => {
    const text = await rawRequest(port, 'HEAD /x HTTP/1.1\r\nhost: x\r\n\r\nGET /204 HTTP/1.1\r\nhost: x\r\n\r\nGET /304 HTTP/1.1\r\nhost: x\r\n\r\nGET /last HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    const rs = parseResponses(text, 1);
    expect(rs.map((r) => r.status)).to.deep.equal([200, 204, 304, 200]);
    expect(rs[0]!.headers['content-length']).to.match(/^\d+$/);
    expect(rs[0]!.body).to.equal('');
    expect((JSON.parse(rs[3]!.body) as { url: string }).url).to.equal('/last');
  });

  it('passes Expect: 100-continue through and delivers the body after the interim response', async () => {
    const res = await new Promise<{ status: number; body: string; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/e', headers: { expect: '100-continue', 'content-length': 5, host: 'x' } });
      req.on('continue', () => {
        continued = true;
        req.end('abcde');
      });
      req.on('response', (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (d: string) => (body += d));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body, continued }));
      });
      req.on('error', reject);
    });
    expect(res.continued).to.equal(true);
    expect((JSON.parse(res.body) as { body: string }).body).to.equal('abcde');
  });

  it('tunnels an Upgrade: websocket exchange both ways', async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const s = connect(port, '127.0.0.1');
      let buf = '';
      s.setEncoding('latin1');
      s.on('error', reject);
      s.write('GET /chat HTTP/1.1\r\nhost: ws.example.com\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n');
      s.on('data', (d: string) => {
        buf += d;
        if (buf.includes('\r\n\r\n') && !buf.includes('echo:')) s.write('ping');
        if (buf.includes('echo:ping')) {
          s.destroy();
          resolve(buf);
        }
      });
    });
    expect(got).to.match(/^HTTP\/1.1 101 /);
    expect(got.toLowerCase()).to.include('upgrade: websocket');
    expect(got).to.include('echo:ping');
  });

  it('chunk-encodes a body delimited by the server closing for an HTTP/1.1 client, and keeps its connection', async () => {
    const raw = await rawUpstream((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil close')));
    closers.push(raw.close);
    const p = await freePort();
    await h.publish(h.backend('raw'), h.server(20, 'raw', 'r1', raw.port), h.frontend('fe-raw', p, { defaultBackend: 'raw' }));
    const rs = parseResponses(await rawRequest(p, 'GET /1 HTTP/1.1\r\nhost: x\r\n\r\nGET /2 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
    expect(rs.map((r) => [r.status, r.headers['transfer-encoding'], r.body])).to.deep.equal([[200, 'chunked', 'until close'], [200, 'chunked', 'until close']]);
  });

  it('de-chunks a chunked response for an HTTP/1.0 client and closes after it', async () => {
    const text = await rawRequest(port, 'GET /chunked HTTP/1.0\r\nhost: x\r\n\r\n');
    const [r] = parseResponses(text);
    expect(r!.headers['transfer-encoding']).to.equal(undefined);
    expect(r!.headers['connection']).to.equal('close');
    expect(r!.body).to.equal('hello world');
  });

  it('streams 128 MiB uploads and a 128 MiB download without memory growing with the size', async function () {
    this.timeout(60000);
    const big = await upstream('big', (req, res) => {
      if (req.method === 'POST') {
        let n = 0;
        req.on('data', (d: Buffer) => (n += d.length));
        req.on('end', () => res.end(String(n)));
        return;
      }
      const total = 128 * 1024 * 1024;
      const chunk = Buffer.alloc(64 * 1024, 'y');
      res.writeHead(200, { 'content-length': total });
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    closers.push(big.close);
    const bigPort = await freePort();
    await h.publish(h.backend('big'), h.server(9, 'big', 'big1', big.port), h.frontend('fe-big', bigPort, { defaultBackend: 'big' }));
    const total = 128 * 1024 * 1024;
    const upload = (): Promise<string> => new Promise<string>((resolve, reject) => {
      const req = httpRequest({ port: bigPort, host: '127.0.0.1', method: 'POST', path: '/up', headers: { 'content-length': total } });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
      req.on('response', (r) => {
        let b = '';
        r.on('data', (d: Buffer) => (b += d.toString()));
        r.on('end', () => resolve(b));
      });
      req.on('error', reject);
    });
    // The first transfer warms the heaps up; memory must not grow with the next ones.
    expect(await upload()).to.equal(String(total));
    const rss0 = process.memoryUsage().rss;
    expect(await upload()).to.equal(String(total));
    expect(await upload()).to.equal(String(total));
    let peak = 0;
    const downloaded = await new Promise<number>((resolve, reject) => {
      httpRequest({ port: bigPort, host: '127.0.0.1', path: '/down' }, (r) => {
        let n = 0;
        r.on('data', (d: Buffer) => {
          n += d.length;
          if ((n & 0xffffff) < d.length) peak = Math.max(peak, process.memoryUsage().rss);
        });
        r.on('end', () => resolve(n));
      }).on('error', reject).end();
    });
    expect(downloaded).to.equal(total);
    // 384 MiB went through after the warm-up; garbage not yet collected stays well below that.
    expect(Math.max(peak, process.memoryUsage().rss) - rss0).to.be.below(160 * 1024 * 1024);
  });
});
