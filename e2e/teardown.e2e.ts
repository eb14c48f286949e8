// Teardown when things go wrong: Ctrl-C or SIGTERM to the process that started the control plane
// (and demo backends), and a control plane whose API server fails to start.
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startControlPlane } from './control-plane/control-plane.ts';
import { groupAlive } from './control-plane/process-group.ts';
import { START_TIMEOUT_MS, useTools } from './support/control-plane-hooks.ts';
import { orphanedControlPlaneProcesses } from './support/orphans.ts';
import { waitUntil } from './support/wait-until.ts';

const localCluster = fileURLToPath(new URL('./local-cluster.ts', import.meta.url));

interface Started {
  kubeconfigPath: string;
  dir: string;
  pids: number[];
  backends: Array<{ name: string; url: string; netns: string }>;
}

/** Starts `local-cluster.ts --json --demo` and resolves with its first stdout line, parsed. */
function startLocalCluster(): Promise<{ child: ReturnType<typeof spawn>; started: Started; exit: Promise<number | string> }> {
  const child = spawn(process.execPath, [localCluster, '--json', '--demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) resolve({ child, started: JSON.parse(stdout.slice(0, newline)) as Started, exit });
    });
    void exit.then((code) => reject(new Error(`local-cluster exited (${String(code)}) before it was ready: ${stderr}`)));
  });
}

describe('teardown', function () {
  useTools();

  const signals: Array<[string, NodeJS.Signals, number]> = [
    ['removes every process, folder and namespace when the starter gets Ctrl-C (SIGINT)', 'SIGINT', 130],
    ['removes every process, folder and namespace when the starter gets SIGTERM', 'SIGTERM', 143],
  ];
  for (const [name, signal, exitCode] of signals) {
    it(name, async function () {
      this.timeout(START_TIMEOUT_MS);
      const { child, started, exit } = await startLocalCluster();
      expect(started.pids).to.have.length(2);
      expect(started.backends).to.have.length(2);
      for (const pid of started.pids) expect(groupAlive(pid), `group ${pid} while running`).to.equal(true);
      child.kill(signal);
      expect(await exit).to.equal(exitCode);
      // The killed processes are reaped by init, which takes a moment.
      await waitUntil(() => started.pids.every((pid) => !groupAlive(pid)), 5000,
        () => `process groups still alive after ${signal}: ${started.pids.filter(groupAlive).join(', ')}`);
      expect(existsSync(started.dir), `${started.dir} after ${signal}`).to.equal(false);
      const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
      for (const b of started.backends) expect(namespaces, `netns of ${b.name}`).not.to.contain(b.netns);
    });
  }

  it('stops etcd and reports the API server log when kube-apiserver fails to start', async function () {
    this.timeout(START_TIMEOUT_MS);
    let failure: Error | undefined;
    try {
      const plane = await startControlPlane({ extraApiServerArgs: ['--no-such-flag'] });
      await plane.stop();
    } catch (err) {
      failure = err as Error;
    }
    expect(failure).to.have.property('code', 'HWS_E2E_ERR_START');
    expect(failure?.message).to.contain('kube-apiserver exited during start-up; the end of its log follows');
    expect(failure?.message).to.contain('unknown flag: --no-such-flag');
    expect(orphanedControlPlaneProcesses(), 'processes of removed control planes').to.deep.equal([]);
  });
});
