/**
 * The hawser-proxy process as an operator runs it: a real configuration file, the runtime API on
 * a UNIX socket, traffic through the workers, /metrics on the admin port, soft stop on SIGTERM.
 * Reference §5.1 end to end: 503 before `enable server`, 200 after.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './free-port.ts';

const BIN = new URL('../../../bin/hawser-proxy.js', import.meta.url).pathname;

function cli(path: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    let out = '';
    s.on('data', (b) => (out += b.toString()));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.write(`${line}\n`);
  });
}

async function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${String(port)}${path}`, { headers: { host: 'app.example' } });
  return { status: r.status, body: await r.text() };
}

async function waitFor<T>(fn: () => Promise<T>, ms = 15000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('hawser-proxy process', function () {
  this.timeout(60000);
  let dir: string;
  let proc: ChildProcess;
  let upstream: Server;
  let upPort: number;
  let port: number;
  let adminPort: number;
  let sock: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawser-proc-'));
    sock = join(dir, 'admin.sock');
    upstream = createHttpServer((req, res) => res.end(`resp from s1 ${req.url ?? ''}`));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upPort = (upstream.address() as AddressInfo).port;
    [port, adminPort] = [await freePort(), await freePort()];
    writeFileSync(join(dir, 'h.cfg'), [
      'global',
      `    stats socket ${sock} mode 600 level admin`,
      '    nbthread 2',
      '    hard-stop-after 5s',
      'defaults',
      '    mode http',
      '    timeout connect 2s',
      '    timeout client 10s',
      '    timeout server 10s',
      'frontend fe',
      `    bind 127.0.0.1:${String(port)}`,
      '    route-map ingress',
      'backend test',
      '    balance random',
      '',
    ].join('\n'));
    proc = spawn(process.execPath, [BIN, '-f', join(dir, 'h.cfg')], { env: { ...process.env, HAWSER_ADMIN_PORT: String(adminPort), HAWSER_ADMIN_ADDRESS: '127.0.0.1', HAWSER_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
    await waitFor(async () => {
      const r = await fetch(`http://127.0.0.1:${String(adminPort)}/readyz`);
      if (r.status !== 200) throw new Error('not ready');
    });
  });

  after(async () => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 404 while no route matches', async () => {
    expect((await get(port)).status).to.equal(404);
  });

  it('answers 503 for a route to a backend whose only server is still in maintenance', async () => {
    expect(await cli(sock, `add server test/s1 127.0.0.1:${String(upPort)}`)).to.equal('New server registered.\n\n');
    expect(await cli(sock, 'add map ingress prefix:*/ test')).to.equal('\n');
    expect((await get(port)).status).to.equal(503);
  });

  it('serves 200 as soon as the enable command has answered', async () => {
    expect(await cli(sock, 'enable server test/s1')).to.equal('\n');
    expect(await get(port, '/hello')).to.deep.equal({ status: 200, body: 'resp from s1 /hello' });
  });

  it('exports the traffic and the runtime commands on /metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${String(adminPort)}/metrics`)).text();
    expect(text).to.match(/hawser_server_http_responses_total\{backend="test",server="s1",guid="",code="2xx"\} [1-9]/);
    expect(text).to.include('hawser_runtime_commands_total{command="add server",result="ok"} 1');
    expect(text).to.include('hawser_backend_servers{backend="test",state="ready"} 1');
    // the runtime commands above kept the runtime thread polling for the default 200 µs each
    expect(Number(/^hawser_runtime_busy_poll_seconds_total (\S+)$/m.exec(text)?.[1])).to.be.above(0);
  });

  it('counts a refused command as an error', async () => {
    expect(await cli(sock, 'add server nope/s1 127.0.0.1:1')).to.equal('No such backend.\n\n');
    const text = await (await fetch(`http://127.0.0.1:${String(adminPort)}/metrics`)).text();
    expect(text).to.include('hawser_runtime_commands_total{command="add server",result="error"} 1');
  });

  it('marks a server whose health checks fail down, and keeps the healthy one serving', async () => {
    const dead = await freePort();
    expect(await cli(sock, `add server test/s2 127.0.0.1:${String(dead)} check inter 100ms rise 1 fall 1`)).to.equal('New server registered.\n\n');
    expect(await cli(sock, 'enable server test/s2')).to.equal('\n');
    expect(await cli(sock, 'enable health test/s2')).to.equal('\n');
    const opState = async (name: string): Promise<string | undefined> => {
      const row = (await cli(sock, 'show servers state test')).split('\n').find((l) => l.split(' ')[3] === name);
      return row?.split(' ')[5];
    };
    await waitFor(async () => {
      if ((await opState('s2')) !== '0') throw new Error('s2 still up');
    }, 10000);
    expect(await opState('s1')).to.equal('2');
    for (let i = 0; i < 4; i++) expect((await get(port, '/')).status).to.equal(200);
  });

  it('soft-stops on SIGTERM and exits 0', async () => {
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    proc.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });
});
