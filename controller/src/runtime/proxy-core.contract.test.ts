/**
 * The RuntimeClient contract against the real proxy-core (`bin/hawser-proxy.js`), over its UNIX
 * socket: the same suite the fake passes. One proxy process serves the whole suite; between
 * cases the controller's own differ empties it (read back, diff to nothing, execute).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeContract } from './contract.ts';
import { CliRuntimeClient, type RuntimeClient } from './client.ts';
import { SocketTransport } from './socket-transport.ts';
import { PromptTransport } from './prompt-transport.ts';
import { diff } from '../diff/diff.ts';
import { EMPTY_PROXY_STATE } from '../model/proxy-state.ts';

const CONFIG = (sock: string, http: number, https: number): string => `
global
    stats socket ${sock} mode 600 level admin
    nbthread 1

defaults ingress-defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend http
    bind 127.0.0.1:${String(http)}
    bind 127.0.0.1:${String(https)} ssl crt default.pem crt-list ingress
    route-map ingress
`;


/** A port nobody listens on right now (the proxy config does not take port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('proxy-core did not open its runtime socket');
    await new Promise((r) => setTimeout(r, 25));
  }
}


/**
 * Registers before/after hooks that run one proxy-core process for the enclosing describe;
 * returns its runtime socket path (valid once `before` ran).
 */
function useProxyCore(prefix: string): () => string {
  let dir = '';
  let sock = '';
  let proxy: ChildProcess | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    sock = join(dir, 'rt.sock');
    writeFileSync(join(dir, 'p.cfg'), CONFIG(sock, await freePort(), await freePort()));
    proxy = spawn(process.execPath, ['bin/hawser-proxy.js', '-f', join(dir, 'p.cfg')], { stdio: 'ignore', env: { ...process.env, HAWSER_ADMIN_PORT: '0' } });
    await waitFor(() => existsSync(sock), 15_000);
  });
  after(async () => {
    if (proxy !== undefined && proxy.exitCode === null) {
      const exited = new Promise((r) => proxy?.once('exit', r));
      proxy.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return () => sock;
}

/** Empties the proxy with the controller's own differ, between contract cases. */
async function emptyProxy(s: { client: RuntimeClient }): Promise<void> {
  const left = diff(EMPTY_PROXY_STATE, await s.client.readState(), { routeMap: 'ingress', crtList: 'ingress' });
  await s.client.execute(left);
  await s.client.close();
}

describe('runtime contract against proxy-core', function () {
  this.timeout(20_000);
  const socket = useProxyCore('hawser-pc-');

  it('starts', () => {
    expect(existsSync(socket())).to.equal(true);
  });

  runtimeContract('proxy-core', () => Promise.resolve({
    client: new CliRuntimeClient(new SocketTransport({ path: socket(), timeoutMs: 10_000 })),
    routeMap: 'ingress',
    crtList: 'ingress',
  }), emptyProxy);

  runtimeContract('proxy-core, pipelined over one prompt-mode connection', () => Promise.resolve({
    client: new CliRuntimeClient(new PromptTransport({ path: socket(), timeoutMs: 10_000 }), { maxBatch: 2, maxPipeline: 5 }),
    routeMap: 'ingress',
    crtList: 'ingress',
  }), emptyProxy);
});

describe('restart against proxy-core: an unchanged cluster sends nothing', function () {
  this.timeout(20_000);
  const psocket = useProxyCore('hawser-pcr-');

  it('applies a cluster, reads it back as a new controller would, and diffs to zero commands', async () => {
    const { buildModel } = await import('../model/build.ts');
    const f = await import('../model/fixtures.ts');
    const { convertSecret } = await import('../kube/convert.ts');
    const { TEST_CERT, TEST_KEY } = await import('../kube/test-certificate.ts');
    const b64 = (t: string): string => Buffer.from(t).toString('base64');
    const secret = convertSecret({ metadata: { namespace: 'ns', name: 'cert', uid: '0b0b0b0b-0000-4000-8000-00000000000c' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(TEST_CERT), 'tls.key': b64(TEST_KEY) } });
    const s = f.snapshot([
      f.service('ns/web').port(80, 'http').build(), f.service('ns/api').port(8080).build(), secret,
      f.ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 'http').path('/api', 'Exact', 'api', 8080).tls('cert', 'a.example.com').build(),
      f.ingress('ns/b').defaultBackend('web', 80).host('*.example.com').path('/x', 'Prefix', 'api', 8080).build(),
      f.slice('ns/web-1', 'web').port(8080, 'http').endpoint('10.0.0.1', { pod: 'w0' }).endpoint('10.0.0.2', { ready: false, serving: true, terminating: true }).build(),
      f.slice('ns/api-1', 'api').port(9000).endpoint('fd00::2').build(),
    ]);
    const desired = buildModel(s, f.options()).desired;
    const O = { routeMap: 'ingress', crtList: 'ingress' };
    const first = new CliRuntimeClient(new SocketTransport({ path: psocket(), timeoutMs: 10_000 }));
    const applied = await first.execute(diff(desired, await first.readState(), O));
    expect(applied.outcomes.filter((o) => o.status !== 'ok')).to.deep.equal([]);
    await first.close();

    const restarted = new CliRuntimeClient(new SocketTransport({ path: psocket(), timeoutMs: 10_000 }));
    expect(diff(desired, await restarted.readState(), O)).to.deep.equal([]);
    await restarted.close();
  });
});
