import { expect } from 'chai';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { probe } from './probe.ts';

function listen<T extends Server | HttpServer>(s: T): Promise<number> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}

describe('health probe', () => {
  const servers: (Server | HttpServer)[] = [];
  after(() => servers.forEach((s) => s.close()));

  async function http(status: number): Promise<number> {
    const s = createHttpServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? status : 404;
      res.end();
    });
    servers.push(s);
    return listen(s);
  }

  async function closedPort(): Promise<number> {
    const s = createServer();
    const port = await listen(s);
    await new Promise((r) => s.close(r));
    return port;
  }

  const cases: { name: string; setup: () => Promise<{ port: number; http: boolean }>; want: { passed: boolean; status: string } }[] = [
    { name: 'passes a TCP check when the port accepts', setup: async () => ({ port: await http(200), http: false }), want: { passed: true, status: 'L4OK' } },
    { name: 'fails a TCP check on a refused connection', setup: async () => ({ port: await closedPort(), http: false }), want: { passed: false, status: 'L4CON' } },
    { name: 'passes an HTTP check answered 200', setup: async () => ({ port: await http(200), http: true }), want: { passed: true, status: 'L7OK' } },
    { name: 'passes an HTTP check answered 302', setup: async () => ({ port: await http(302), http: true }), want: { passed: true, status: 'L7OK' } },
    { name: 'fails an HTTP check answered 500', setup: async () => ({ port: await http(500), http: true }), want: { passed: false, status: 'L7STS' } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { port, http: useHttp } = await c.setup();
      const r = await probe({ host: '127.0.0.1', port, http: useHttp ? { method: 'GET', uri: '/healthz', host: 'x' } : null, timeoutMs: 2000 });
      expect(r).to.deep.equal(c.want);
    });
  }

  it('fails an HTTP check whose server answers something that is not HTTP', async () => {
    const s = createServer((c) => c.end('garbage\r\n'));
    servers.push(s);
    const port = await listen(s);
    expect(await probe({ host: '127.0.0.1', port, http: { method: 'GET', uri: '/', host: 'x' }, timeoutMs: 2000 })).to.deep.equal({ passed: false, status: 'L7RSP' });
  });

  it('times out a server that accepts and never answers', async () => {
    const s = createServer(() => undefined);
    servers.push(s);
    const port = await listen(s);
    expect(await probe({ host: '127.0.0.1', port, http: { method: 'GET', uri: '/', host: 'x' }, timeoutMs: 200 })).to.deep.equal({ passed: false, status: 'L7TOUT' });
  });
});
