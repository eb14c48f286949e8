// Backends in network namespaces: reachable from the host on non-loopback addresses, each
// answering with its own name, and gone without a trace after stop().
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getOnce } from './control-plane/wait-ready.ts';
import type { EchoReply } from './support/echo-server.ts';
import { startNetnsBackend, type NetnsBackend } from './support/netns-backend.ts';
import { groupAlive } from './control-plane/process-group.ts';
import { waitUntil } from './support/wait-until.ts';

const run = promisify(execFile);
const netnsBackendModule = fileURLToPath(new URL('./support/netns-backend.ts', import.meta.url));

async function netnsList(): Promise<string> {
  return (await run('ip', ['netns', 'list'])).stdout;
}

describe('echo backends in network namespaces', function () {
  this.timeout(60_000);
  const backends: NetnsBackend[] = [];

  before(async function () {
    backends.push(...await Promise.all([startNetnsBackend({ name: 'backend-a' }), startNetnsBackend({ name: 'backend-b' })]));
  });

  after(async function () {
    await Promise.all(backends.map((b) => b.stop()));
  });

  it('gives each backend its own non-loopback address in 10.250.0.0/16', function () {
    const [a, b] = backends;
    expect(a?.address).to.match(/^10\.250\.\d+\.\d+$/);
    expect(b?.address).to.match(/^10\.250\.\d+\.\d+$/);
    expect(a?.address).not.to.equal(b?.address);
  });

  it('answers a request from the host with its name, the path, the host and the headers', async function () {
    for (const backend of backends) {
      const { status, body } = await getOnce({ url: `${backend.url}/some/path?q=1` });
      expect(status).to.equal(200);
      const reply = JSON.parse(body) as EchoReply;
      expect(reply.name).to.equal(backend.name);
      expect(reply.method).to.equal('GET');
      expect(reply.path).to.equal('/some/path?q=1');
      expect(reply.host).to.equal(`${backend.address}:${backend.port}`);
      expect(reply.headers['host']).to.equal(`${backend.address}:${backend.port}`);
      expect(reply.remoteAddress, 'the request crossed the veth pair from the host end').to.equal(backend.hostAddress);
    }
  });

  it('removes the namespace, the veth pair and the server on stop()', async function () {
    const extra = await startNetnsBackend({ name: 'short-lived' });
    expect(await netnsList()).to.contain(extra.netns);
    await extra.stop();
    expect(await netnsList()).not.to.contain(extra.netns);
    const links = (await run('ip', ['-o', 'link', 'show'])).stdout;
    expect(links.split('\n').some((l) => l.includes(` ${extra.hostInterface}@`)), `${extra.hostInterface} after stop()`).to.equal(false);
    expect(() => process.kill(-extra.process.pid, 0), 'echo server process group').to.throw();
  });

  it('frees the namespace, block and server of a run killed with SIGKILL when the next backend starts', async function () {
    const script = `import { startNetnsBackend } from ${JSON.stringify(netnsBackendModule)};
const b = await startNetnsBackend({ name: 'doomed' });
process.stdout.write(JSON.stringify({ netns: b.netns, pid: b.process.pid }) + '\\n');
setInterval(() => {}, 1 << 30);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      child.once('exit', (code) => reject(new Error(`the child exited (${String(code)}) before its backend was up`)));
    });
    const doomed = JSON.parse(line) as { netns: string; pid: number };
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await netnsList(), 'SIGKILL skips every cleanup').to.contain(doomed.netns);
    const next = await startNetnsBackend({ name: 'next' });
    await next.stop();
    expect(await netnsList()).not.to.contain(doomed.netns);
    await waitUntil(() => !groupAlive(doomed.pid), 5000, () => `echo server ${doomed.pid} still alive`);
  });
});
