// `balance random(<draws>)` over real sockets: the draws of the backend record reach the worker's
// balancer, and a backend.update that changes only the draws rebuilds it.
import { expect } from 'chai';
import type { ServerResponse } from 'node:http';
import { PlaneHarness, freePort, get, rawRequest, upstream } from './fixtures/harness.ts';

describe('dataplane: balance random(<draws>) over sockets', function () {
  this.timeout(30000);
  let h: PlaneHarness;
  let port: number;
  const held: ServerResponse[] = [];
  const closers: (() => Promise<void>)[] = [];

  /** An upstream that answers `resp from <name>`, except `/hold`, answered only at the end. */
  async function holding(name: string): Promise<number> {
    const u = await upstream(name, (req, res) => {
      req.resume();
      if (req.url === '/hold') return void held.push(res);
      req.on('end', () => res.end(`resp from ${name}`));
    });
    closers.push(u.close);
    return u.port;
  }

  async function heldCount(n: number): Promise<number> {
    for (let i = 0; i < 80 && held.length < n; i++) await new Promise((r) => setTimeout(r, 25));
    return held.length;
  }

  before(async () => {
    h = await new PlaneHarness(1).start();
    port = await freePort();
  });

  after(async () => {
    for (const res of held) res.end('released');
    await h.stop();
    for (const c of closers) await c();
  });

  it('sends every request to the idle server with random(100), and some elsewhere once the record says random(1)', async () => {
    const [p1, p2, p3] = [await holding('s1'), await holding('s2'), await holding('s3')];
    const balance = { algo: 'random', hdrName: null, draws: 100 } as const;
    await h.publish(
      h.backend('be', { balance }),
      h.server(1, 'be', 's1', p1), h.server(2, 'be', 's2', p2), h.server(3, 'be', 's3', p3, { admin: 'maint' }),
      h.frontend('fe', port, { defaultBackend: 'be' }),
    );
    // One request held on each of s1 and s2 (with 100 draws, the second goes to the idle one).
    const holds = [0, 1].map(() => rawRequest(port, 'GET /hold HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n', 20000));
    expect(await heldCount(2)).to.equal(2);
    await h.publish(h.update(3, p3, { admin: 'ready' }));

    const manyDraws: string[] = [];
    for (let i = 0; i < 20; i++) manyDraws.push((await get(port)).body);
    expect(new Set(manyDraws)).to.deep.equal(new Set(['resp from s3']));

    await h.publish({ ...h.backend('be', { balance: { ...balance, draws: 1 } }), kind: 'backend.update' });
    const oneDraw: string[] = [];
    for (let i = 0; i < 30; i++) oneDraw.push((await get(port)).body);
    // One draw ignores load: each request lands on s3 with probability 1/3, all 30 with (1/3)^30.
    expect(oneDraw.filter((b) => b !== 'resp from s3')).to.not.deep.equal([]);

    for (const res of held.splice(0)) res.end('released');
    await Promise.all(holds);
  });
});
