// X-Forwarded-* over real sockets: one frontend per forwarding mode in front of an upstream that
// answers with the X-Forwarded-* lines it received, in order and as spelt (Node's rawHeaders).
import { expect } from 'chai';
import { KeepAliveClient, PlaneHarness, freePort, get, upstream } from './fixtures/harness.ts';
import type { ForwardedMode } from './records.ts';

/** What a client sends to forge its origin. */
const FORGED = 'X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: gopher\r\nX-Forwarded-Host: evil.example\r\n';

describe('dataplane: X-Forwarded-* per frontend mode over sockets', function () {
  this.timeout(30000);
  let h: PlaneHarness;
  const ports = new Map<ForwardedMode, number>();
  let closeEcho: () => Promise<void>;

  before(async () => {
    h = await new PlaneHarness(1).start();
    const echo = await upstream('echo', (req, res) => {
      req.resume();
      const lines: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i] ?? '';
        if (name.toLowerCase().startsWith('x-forwarded-')) lines.push(`${name}: ${req.rawHeaders[i + 1] ?? ''}`);
      }
      const body = JSON.stringify(lines);
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body));
    });
    closeEcho = echo.close;
    for (const mode of ['append', 'replace', 'off'] as const) ports.set(mode, await freePort());
    await h.publish(
      h.backend('echo'), h.server(1, 'echo', 'e1', echo.port),
      ...[...ports].map(([mode, port]) => h.frontend(`fe-${mode}`, port, { defaultBackend: 'echo', forwarded: mode })),
    );
  });

  after(async () => {
    await h.stop();
    await closeEcho();
  });

  function portOf(mode: ForwardedMode): number {
    return ports.get(mode) ?? 0;
  }

  const cases: readonly (readonly [string, ForwardedMode, string, (port: number) => string[]])[] = [
    ['append extends the forged chain and keeps the forged proto and host', 'append', FORGED, (port) => [
      'X-Forwarded-Proto: gopher', 'X-Forwarded-Host: evil.example', 'X-Forwarded-For: 6.6.6.6, 127.0.0.1', `X-Forwarded-Port: ${port}`,
    ]],
    ['replace drops the forged fields and sets the proxy\'s own', 'replace', FORGED, (port) => [
      'X-Forwarded-For: 127.0.0.1', 'X-Forwarded-Proto: http', `X-Forwarded-Port: ${port}`, 'X-Forwarded-Host: example.com',
    ]],
    ['off passes the forged fields through untouched and adds none', 'off', FORGED, () => [
      'X-Forwarded-For: 6.6.6.6', 'X-Forwarded-Proto: gopher', 'X-Forwarded-Host: evil.example',
    ]],
    ['off adds nothing for a client that sent nothing', 'off', '', () => []],
  ];
  for (const [name, mode, extra, want] of cases) {
    it(name, async () => {
      const r = await get(portOf(mode), '/', 'example.com', extra);
      expect(r.status).to.equal(200);
      expect(JSON.parse(r.body)).to.deep.equal(want(portOf(mode)));
    });
  }

  it('applies a changed mode to the next request of a kept-alive connection', async () => {
    const port = portOf('append');
    const c = new KeepAliveClient(port);
    try {
      const before = await c.send('/', 'example.com', FORGED);
      expect(JSON.parse(before.body)).to.include('X-Forwarded-For: 6.6.6.6, 127.0.0.1');
      await h.publish(h.frontend('fe-append', port, { defaultBackend: 'echo', forwarded: 'replace' }));
      const after = await c.send('/', 'example.com', FORGED);
      expect(c.closed).to.equal(false);
      expect(JSON.parse(after.body)).to.deep.equal([
        'X-Forwarded-For: 127.0.0.1', 'X-Forwarded-Proto: http', `X-Forwarded-Port: ${port}`, 'X-Forwarded-Host: example.com',
      ]);
    } finally {
      c.close();
      await h.publish(h.frontend('fe-append', port, { defaultBackend: 'echo', forwarded: 'append' }));
    }
  });
});
