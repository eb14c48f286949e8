/**
 * Issue 4 §6, end to end on the real process with 2 traffic workers: under continuous keep-alive
 * load, 1 000 servers are added, enabled, disabled and deleted and the route map is swapped 100
 * times through the runtime API. No request may fail, and right after each `commit map` reply a
 * route that only the new table has must answer on fresh connections (spread over both workers
 * by SO_REUSEPORT): no worker may still route by the old table.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer as createHttpServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './free-port.ts';

const BIN = new URL('../../../bin/hawser-proxy.js', import.meta.url).pathname;

/** One persistent prompt-mode connection: one command per round trip, replies in order. */
class Cli {
  private readonly sock: Socket;
  private buf = '';
  private waiters: ((s: string) => void)[] = [];
  constructor(path: string) {
    this.sock = connect(path);
    // the process is killed after the suite: a reset then must not fail a later suite
    this.sock.on('error', () => undefined);
    this.sock.on('data', (d: Buffer) => {
      this.buf += d.toString();
      for (;;) {
        const end = this.buf.indexOf('\n> ');
        if (end < 0) break;
        // A reply's own final newline comes before the prompt's.
        const reply = this.buf.slice(0, end).replace(/\n$/, '');
        this.buf = this.buf.slice(end + 3);
        this.waiters.shift()?.(reply);
      }
    });
  }
  /** Enters prompt mode: from then on every reply ends with the `\n> ` prompt. */
  async open(): Promise<void> {
    await this.send('prompt');
  }
  send(line: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.sock.write(`${line}\n`);
    });
  }
  close(): void {
    this.sock.end('quit\n');
  }
}

function get(port: number, host: string, path: string, agent: Agent | false): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(-1));
    req.end();
  });
}

describe('changes under continuous load (2 workers)', function () {
  this.timeout(180_000);
  let dir: string;
  let proc: ChildProcess;
  let upstream: Server;
  let upPort: number;
  let port: number;
  let cli: Cli;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawser-load-'));
    const sock = join(dir, 'admin.sock');
    upstream = createHttpServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upPort = (upstream.address() as AddressInfo).port;
    port = await freePort();
    writeFileSync(join(dir, 'h.cfg'), [
      'global', `    stats socket ${sock} mode 600 level admin`, '    nbthread 2',
      'defaults', '    mode http', '    timeout connect 2s', '    timeout client 30s', '    timeout server 30s',
      'frontend fe', `    bind 127.0.0.1:${String(port)}`, '    route-map ingress',
      'backend be', '    balance roundrobin', `    server base 127.0.0.1:${String(upPort)}`, '',
    ].join('\n'));
    proc = spawn(process.execPath, [BIN, '-f', join(dir, 'h.cfg')], { env: { ...process.env, HAWSER_ADMIN_PORT: '0', HAWSER_LOG_LEVEL: 'warn' }, stdio: 'ignore' });
    for (let i = 0; i < 300; i++) {
      const ok = await new Promise<boolean>((r) => connect(sock).on('connect', function (this: Socket) { this.destroy(); r(true); }).on('error', () => r(false)));
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    cli = new Cli(sock);
    await cli.open();
    expect(await cli.send('add map ingress prefix:app.example/ be')).to.equal('');
  });

  after(() => {
    cli.close();
    proc.kill('SIGKILL');
    upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails no request and never routes by a replaced table', async () => {
    let stop = false;
    const statuses = new Map<number, number>();
    const load = Array.from({ length: 6 }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      while (!stop) {
        const s = await get(port, 'app.example', '/', agent);
        statuses.set(s, (statuses.get(s) ?? 0) + 1);
      }
      agent.destroy();
    });

    // 1 000 servers through their whole life: add (maint), ready, maint, delete.
    for (let i = 0; i < 1000; i++) {
      expect(await cli.send(`add server be/d${String(i)} 127.0.0.1:${String(upPort)}`)).to.equal('New server registered.');
      expect(await cli.send(`set server be/d${String(i)} state ready`)).to.equal('');
      if (i >= 10) {
        const old = `be/d${String(i - 10)}`;
        expect(await cli.send(`set server ${old} state maint`)).to.equal('');
        let reply = await cli.send(`del server ${old}`);
        for (let t = 0; t < 200 && reply === 'Server still has connections attached to it, cannot remove it.'; t++) {
          await cli.send(`wait 50ms srv-removable ${old}`);
          reply = await cli.send(`del server ${old}`);
        }
        expect(reply).to.equal('Server deleted.');
      }
    }

    // 100 atomic swaps; after each reply, only the new table's probe route exists, on every worker.
    const stale: string[] = [];
    for (let v = 0; v < 100; v++) {
      const ver = (await cli.send('prepare map ingress')).replace('New version created: ', '');
      expect(await cli.send(`add map @${ver} ingress prefix:app.example/ be`)).to.equal('');
      expect(await cli.send(`add map @${ver} ingress exact:probe.example/v${String(v)} be`)).to.equal('');
      expect(await cli.send(`commit map @${ver} ingress`)).to.equal('');
      for (let c = 0; c < 6; c++) {
        const now = await get(port, 'probe.example', `/v${String(v)}`, false);
        const before = v === 0 ? 404 : await get(port, 'probe.example', `/v${String(v - 1)}`, false);
        if (now !== 200 || before !== 404) stale.push(`swap ${String(v)}: new route ${String(now)}, old route ${String(before)}`);
      }
    }

    stop = true;
    await Promise.all(load);
    expect(stale).to.deep.equal([]);
    expect([...statuses.keys()]).to.deep.equal([200]);
    expect(statuses.get(200)).to.be.greaterThan(100);
  });
});
