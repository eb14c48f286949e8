/**
 * The README's main command works: `npm start` (scripts/demo.ts) brings up proxy-core, the
 * controller on examples/demo/manifests and the demo backends, and the curl lines it prints
 * answer as it says. Uses the demo's fixed ports (8080, 8443, 8404, 10254, 18081-18083).
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';

function get(port: number, host: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('quick start (npm start)', function () {
  this.timeout(90_000);
  let demo: ChildProcess;
  let out = '';

  before(async () => {
    demo = spawn(process.execPath, ['scripts/demo.ts'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HAWSER_LOG_LEVEL: 'warn' } });
    demo.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    demo.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const end = Date.now() + 80_000;
    while (!out.includes('Hawser is running')) {
      if (Date.now() > end || demo.exitCode !== null) throw new Error(`the demo did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    if (demo.exitCode === null) {
      const exited = new Promise((r) => demo.once('exit', r));
      demo.kill('SIGINT');
      await exited;
    }
  });

  it('balances demo.localhost over both web backends', async () => {
    const bodies = new Set<string>();
    for (let i = 0; i < 4; i++) bodies.add((await get(8080, 'demo.localhost')).body.split(' ')[0] ?? '');
    expect([...bodies].sort()).to.deep.equal(['web-blue', 'web-green']);
  });

  it('routes /api to the api Service', async () => {
    expect((await get(8080, 'demo.localhost', '/api/x')).body).to.equal('api-1 answered GET /api/x for host demo.localhost\n');
  });

  it('answers 404 for a host nobody routes', async () => {
    expect((await get(8080, 'nope.localhost')).status).to.equal(404);
  });

  it('stops everything on Ctrl-C', async () => {
    const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
    demo.kill('SIGINT');
    expect(await exited).to.equal(0);
  });
});
