import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from './main.ts';

const run = promisify(execFile);

function capture(): { out: string[]; err: string[]; io: { out(t: string): void; err(t: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t) } };
}

describe('hawser-proxy -c', () => {
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'hawser-main-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('says a valid file is valid and exits 0', async () => {
    const c = capture();
    expect(await main(['-c', '-f', 'examples/hawser.cfg'], c.io)).to.equal(0);
    expect(c.out).to.deep.equal(['Configuration file is valid\n']);
  });

  it('prints every error as an alert and exits 1', async () => {
    const f = join(dir, 'bad.cfg');
    await writeFile(f, 'backend b1\n  guid g1\nbackend b2\n  guid g1\n');
    const c = capture();
    expect(await main(['-c', '-f', f], c.io)).to.equal(1);
    expect(c.err.map((l) => l.replace(/\(\d+\)/, '(PID)'))).to.deep.equal([
      `[ALERT]    (PID) : config : parsing [${f}:4] : 'guid': duplicate entry with backend b1\n`,
      '[ALERT]    (PID) : config : Fatal errors found in configuration.\n',
    ]);
  });

  it('reports a missing file and exits 1', async () => {
    const c = capture();
    expect(await main(['-c', '-f', join(dir, 'nope.cfg')], c.io)).to.equal(1);
    expect(c.err.join('')).to.contain('No such file or directory');
  });

  it('prints its usage for unknown arguments', async () => {
    const c = capture();
    expect(await main(['-x'], c.io)).to.equal(1);
    expect(c.err.join('')).to.match(/^Usage : hawser-proxy \[-c\] -f <cfgfile>/);
  });

  it('runs as the bin wrapper with the same exit codes', async () => {
    const ok = await run(process.execPath, ['bin/hawser-proxy.js', '-c', '-f', 'examples/hawser.cfg']);
    expect(ok.stdout).to.equal('Configuration file is valid\n');
    const f = join(dir, 'bad2.cfg');
    await writeFile(f, 'foo\n');
    const bad = await run(process.execPath, ['bin/hawser-proxy.js', '-c', '-f', f]).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(bad?.code).to.equal(1);
    expect(bad?.stderr).to.contain(`parsing [${f}:1] : unknown keyword 'foo' out of section.`);
  });
});
