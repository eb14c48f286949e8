// The tool scripts fail loudly and helpfully instead of skipping.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../control-plane/tools.ts';

function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'tools', script), ...args], { encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tool scripts', function () {
  let emptyCache: string;
  before(function () {
    emptyCache = mkdtempSync(join(tmpdir(), 'hawser-e2e-tools-'));
  });
  after(function () {
    rmSync(emptyCache, { recursive: true, force: true });
  });

  const cases: Array<[string, string, readonly string[], (cache: string) => NodeJS.ProcessEnv, RegExp]> = [
    ['ensure-tool names the tools it knows when given another', 'ensure-tool.sh', ['kubelet'], (c) => ({ PATH: process.env['PATH'], HAWSER_TOOLS_DIR: c }),
      /^ensure-tool: usage: ensure-tool.sh <etcd\|kube-apiserver\|kubectl\|helm>$/m],
    ['ensure-tool says how to get Go when Go is missing and nothing is cached', 'ensure-tool.sh', ['helm'], (c) => ({ PATH: '/usr/bin:/bin', HAWSER_TOOLS_DIR: c }),
      /^ensure-tool: Go is not installed \(need Go >= 1\.24 with access to the Go module proxy\)/m],
    ['ensure-commands rejects an argument without a package name', 'ensure-commands.sh', ['openssl'], () => ({ PATH: process.env['PATH'] }),
      /^ensure-commands: bad argument 'openssl' \(want <command>=<debian-package>\)$/m],
  ];
  for (const [name, script, args, env, message] of cases) {
    it(name, function () {
      const r = runScript(script, args, env(emptyCache));
      expect(r.status).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(message);
    });
  }

  it('ensure-commands succeeds quietly when every command is there', function () {
    const r = runScript('ensure-commands.sh', ['bash=bash', 'openssl=openssl'], { PATH: process.env['PATH'] });
    expect(r).to.deep.equal({ status: 0, stdout: '', stderr: '' });
  });
});
