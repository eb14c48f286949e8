// A real Kubernetes control plane for tests: etcd and kube-apiserver as local processes on free
// loopback ports, with their own certificates and data in a private temp folder. No kubelet, no
// kube-controller-manager, no scheduler (docs/e2e.md lists what that leaves out).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPki, type Pki } from './pki.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { spawnGroup, type GroupProcess } from './process-group.ts';
import { registerExitCleanup } from './exit-cleanup.ts';
import { ensureCommands, ensureTool } from './tools.ts';
import { freeLoopbackPort, waitFor200 } from './wait-ready.ts';

export interface ControlPlane {
  /** Admin kubeconfig (client certificate in `system:masters`). */
  readonly kubeconfigPath: string;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** Private folder holding certificates, data and logs; removed by `stop()`. */
  readonly dir: string;
  readonly caPath: string;
  readonly pki: Pki;
  readonly etcdUrl: string;
  /** Process-group ids of etcd and kube-apiserver, for tests that check the teardown. */
  readonly pids: readonly number[];
  /** Stops both process groups and removes `dir`; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Deadline for etcd and for the API server's /readyz each; default 90 s (2 busy cores). */
  readonly readyTimeoutMs?: number;
  /** Keep `dir` after `stop()` (for debugging); also set by HAWSER_E2E_KEEP_DIR=1. */
  readonly keepDir?: boolean;
}

/** A port taken between picking it and binding it; worth another attempt with new ports. */
const ADDRESS_IN_USE = /address already in use/i;
const ATTEMPTS = 3;

async function logTail(path: string, lines = 25): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function exitedReason(proc: GroupProcess): () => string | undefined {
  return () => (proc.hasExited() ? `${proc.name} exited during start-up; see ${proc.logPath}` : undefined);
}

interface Binaries { readonly etcd: string; readonly apiserver: string }
interface Running { readonly etcd: GroupProcess; readonly apiserver: GroupProcess; readonly etcdUrl: string; readonly server: string }

/** One attempt on fresh ports; on failure everything it started is stopped again. */
async function launchOnce(bin: Binaries, dir: string, pki: Pki, attempt: number, timeoutMs: number): Promise<Running> {
  const [clientPort, peerPort, apiPort] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
  const etcdUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const server = `https://127.0.0.1:${apiPort}`;
  const env = { ...process.env, GOMAXPROCS: process.env['GOMAXPROCS'] ?? '2' };
  const started: GroupProcess[] = [];
  try {
    const etcd = spawnGroup({
      name: 'etcd',
      command: bin.etcd,
      args: [
        '--name', 'e2e', '--data-dir', join(dir, `etcd-data-${attempt}`),
        '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl,
        '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
        '--initial-cluster', `e2e=${peerUrl}`,
        // Test data need not survive a power cut; fsync would dominate on a shared disk.
        '--unsafe-no-fsync', '--logger', 'zap', '--log-level', 'warn',
      ],
      logPath: join(dir, `etcd-${attempt}.log`),
      env,
    });
    started.push(etcd);
    await waitFor200({ url: `${etcdUrl}/health` }, { timeoutMs, abortReason: exitedReason(etcd) },
      (body) => body.includes('"health":"true"'));

    const apiserver = spawnGroup({
      name: 'kube-apiserver',
      command: bin.apiserver,
      args: [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1', `--secure-port=${apiPort}`,
        `--cert-dir=${pki.dir}`,
        `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--service-account-issuer=${server}`,
        `--service-account-key-file=${pki.saPublicKey}`,
        `--service-account-signing-key-file=${pki.saPrivateKey}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        '--authorization-mode=RBAC',
        // Nothing creates the default ServiceAccount per namespace without kube-controller-manager.
        '--disable-admission-plugins=ServiceAccount',
        '--allow-privileged=true',
        // Less CPU on shared cores; a single test client needs no fairness.
        '--enable-priority-and-fairness=false',
        '--profiling=false',
        '--v=1',
      ],
      logPath: join(dir, `kube-apiserver-${attempt}.log`),
      env,
    });
    started.push(apiserver);
    const ca = await readFile(pki.caCert, 'utf8');
    await waitFor200({ url: `${server}/readyz`, ca }, { timeoutMs, abortReason: exitedReason(apiserver) },
      (body) => body.trim() === 'ok');
    return { etcd, apiserver, etcdUrl, server };
  } catch (err) {
    for (const proc of started.reverse()) await proc.stop(2000);
    const details = await Promise.all(started.map(async (p) => `--- ${p.name} (${p.logPath}) ---\n${await logTail(p.logPath)}`));
    throw new LaunchError((err as Error).message, details.join('\n'), started.map((p) => p.logPath));
  }
}

class LaunchError extends Error {
  readonly logs: string;
  readonly logPaths: readonly string[];
  constructor(message: string, logs: string, logPaths: readonly string[]) {
    super(`${message}\n${logs}`);
    this.name = 'LaunchError';
    this.logs = logs;
    this.logPaths = logPaths;
  }
}

async function portCollision(err: unknown): Promise<boolean> {
  if (!(err instanceof LaunchError)) return false;
  for (const path of err.logPaths) {
    if (ADDRESS_IN_USE.test(await logTail(path, 200))) return true;
  }
  return false;
}

/**
 * Starts etcd and kube-apiserver, waits until the API server's /readyz answers `ok` and writes an
 * admin kubeconfig. The first call on a machine builds the binaries (see docs/e2e.md). If this
 * process exits or gets SIGINT/SIGTERM before `stop()`, both process groups are killed and the
 * folder removed.
 */
export async function startControlPlane(options: StartOptions = {}): Promise<ControlPlane> {
  const timeoutMs = options.readyTimeoutMs ?? 90_000;
  const keepDir = options.keepDir ?? process.env['HAWSER_E2E_KEEP_DIR'] === '1';
  await ensureCommands(['openssl=openssl']);
  // One after the other: two cold Go builds at once would only fight over two cores.
  const bin = { etcd: await ensureTool('etcd'), apiserver: await ensureTool('kube-apiserver') };

  const dir = await mkdtemp(join(tmpdir(), 'hawser-e2e-cp-'));
  const forgetDir = registerExitCleanup(() => {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  });
  let running: Running | undefined;
  try {
    const pki = await createPki(join(dir, 'pki'));
    for (let attempt = 1; running === undefined; attempt++) {
      try {
        running = await launchOnce(bin, dir, pki, attempt, timeoutMs);
      } catch (err) {
        if (attempt >= ATTEMPTS || !(await portCollision(err))) throw err;
      }
    }
    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    await writeFile(kubeconfigPath, renderKubeconfig({
      server: running.server,
      caPath: pki.caCert,
      userName: 'hawser-e2e-admin',
      user: { kind: 'client-certificate', certPath: pki.adminCert, keyPath: pki.adminKey },
    }), { mode: 0o600 });

    const { etcd, apiserver } = running;
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        await apiserver.stop();
        await etcd.stop();
        if (!keepDir) await rm(dir, { recursive: true, force: true });
        forgetDir();
      })();
      return stopping;
    };
    return {
      kubeconfigPath, server: running.server, dir, caPath: pki.caCert, pki,
      etcdUrl: running.etcdUrl, pids: [etcd.pid, apiserver.pid], stop,
    };
  } catch (err) {
    if (!keepDir) await rm(dir, { recursive: true, force: true });
    forgetDir();
    throw err;
  }
}
