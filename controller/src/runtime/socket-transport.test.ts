import { expect } from 'chai';
import type { Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SocketTransport, splitReplies } from './socket-transport.ts';
import { CliRuntimeClient } from './client.ts';
import { FakeProxy } from './fake-proxy.ts';
import { runtimeContract } from './contract.ts';
import { serveFakeProxy } from './fake-socket.ts';
import { PromptTransport } from './prompt-transport.ts';



describe('runtime: the UNIX socket transport', () => {
  it('splits silent and one-line replies', () => {
    expect(splitReplies('\nNew server registered.\n\n\n', 3)).to.deep.equal(['', 'New server registered.', '']);
  });

  it('keeps a multi-line reply together', () => {
    expect(splitReplies('Committing c:x\nSuccess!\n\n\n', 2)).to.deep.equal(['Committing c:x\nSuccess!', '']);
  });

  it('refuses output with fewer replies than commands', () => {
    expect(() => splitReplies('\n', 2)).to.throw().with.property('code', 'HWS_ERR_RUNTIME_UNEXPECTED_REPLY');
  });

  it('reports a missing socket as retryable', async () => {
    const t = new SocketTransport({ path: join(tmpdir(), 'hawser-no-such.sock'), timeoutMs: 1000 });
    let error: unknown;
    try { await t.send('show backend\n', 1); } catch (e) { error = e; }
    expect(error).to.have.property('code', 'HWS_ERR_RUNTIME_RETRYABLE');
  });
});

let dir = '';
let server: Server | undefined;
runtimeContract('socket client on a fake socket', async () => {
  dir = mkdtempSync(join(tmpdir(), 'hawser-rt-'));
  const path = join(dir, 'rt.sock');
  const proxy = new FakeProxy({ routeMap: 'ingress', crtList: 'ingress', defaultCertName: 'default.pem', defaultCertPem: '' });
  server = serveFakeProxy(path, proxy);
  await new Promise((r) => server?.once('listening', r));
  return {
    client: new CliRuntimeClient(new SocketTransport({ path, timeoutMs: 5000 })),
    routeMap: 'ingress',
    crtList: 'ingress',
    holdConnections: (be, s, n) => { const x = proxy.backends.get(be)?.servers.get(s); if (x !== undefined) x.connections = n; },
    drainPerWait: (n) => { proxy.drainPerWait = n; },
  };
}, async (s) => {
  await s.client.close();
  await new Promise((r) => server?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

runtimeContract('pipelined prompt-mode client on a fake socket', async () => {
  dir = mkdtempSync(join(tmpdir(), 'hawser-rtp-'));
  const path = join(dir, 'rt.sock');
  const proxy = new FakeProxy({ routeMap: 'ingress', crtList: 'ingress', defaultCertName: 'default.pem', defaultCertPem: '' });
  server = serveFakeProxy(path, proxy);
  await new Promise((r) => server?.once('listening', r));
  return {
    client: new CliRuntimeClient(new PromptTransport({ path, timeoutMs: 5000 }), { maxBatch: 2, maxPipeline: 5 }),
    routeMap: 'ingress',
    crtList: 'ingress',
    holdConnections: (be, s, n) => { const x = proxy.backends.get(be)?.servers.get(s); if (x !== undefined) x.connections = n; },
    drainPerWait: (n) => { proxy.drainPerWait = n; },
  };
}, async (s) => {
  await s.client.close();
  await new Promise((r) => server?.close(r));
  rmSync(dir, { recursive: true, force: true });
});
