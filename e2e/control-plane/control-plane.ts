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
import { apiServerArgs, etcdArgs } from './control-plane-args.ts';
import { E2eError } from './e2e-errors.ts';

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
  /** Current process-group ids of etcd and kube-apiserver, for tests that check the teardown. */
  pids(): readonly number[];
  /**
   * Stops kube-apiserver, waits `downMs`, starts it again on the same port and data, and resolves
   * once /readyz is ok (for "the controller reconnects" scenarios).
   */
  restartApiServer(downMs?: number): Promise<void>;
  /** Stops both process groups and removes `dir`; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Deadline for etcd and for the API server's /readyz each; default 90 s (2 busy cores). */
  readonly readyTimeoutMs?: number;
  /** Keep `dir` after `stop()` (for debugging); also set by HAWSER_E2E_KEEP_DIR=1. */
  readonly keepDir?: boolean;
  /** Appended to kube-apiserver's flags (they override the defaults), e.g. feature gates. */
  readonly extraApiServerArgs?: readonly string[];
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
  return () => (proc.hasExited() ? `${proc.name} exited during start-up; the end of its log follows` : undefined);
}

interface Binaries { readonly etcd: string; readonly apiserver: string }
interface Running { readonly etcd: GroupProcess; readonly apiserver: GroupProcess; readonly etcdUrl: string; readonly apiPort: number }

const childEnv = (): NodeJS.ProcessEnv => ({ ...process.env, GOMAXPROCS: process.env['GOMAXPROCS'] ?? '2' });

/** Starts kube-apiserver and waits for /readyz; on failure the process is stopped again. */
async function startApiServer(bin: Binaries, dir: string, pki: Pki, etcdUrl: string, port: number, extra: readonly string[], logName: string, timeoutMs: number): Promise<GroupProcess> {
  const apiserver = spawnGroup({
    name: 'kube-apiserver',
    command: bin.apiserver,
    args: apiServerArgs({ etcdUrl, port, pki, extra }),
    logPath: join(dir, logName),
    env: childEnv(),
  });
  try {
    const ca = await readFile(pki.caCert, 'utf8');
    await waitFor200({ url: `https://127.0.0.1:${port}/readyz`, ca }, { timeoutMs, abortReason: exitedReason(apiserver) },
      (body) => body.trim() === 'ok');
    return apiserver;
  } catch (err) {
    await apiserver.stop(2000);
    throw new LaunchError((err as Error).message, `--- kube-apiserver (${apiserver.logPath}) ---\n${await logTail(apiserver.logPath)}`, [apiserver.logPath]);
  }
}

/** One attempt on fresh ports; on failure everything it started is stopped again. */
async function launchOnce(bin: Binaries, dir: string, pki: Pki, extra: readonly string[], attempt: number, timeoutMs: number): Promise<Running> {
  const [clientPort, peerPort, apiPort] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
  const etcdUrl = `http://127.0.0.1:${clientPort}`;
  const etcd = spawnGroup({
    name: 'etcd',
    command: bin.etcd,
    args: etcdArgs({ dataDir: join(dir, `etcd-data-${attempt}`), clientUrl: etcdUrl, peerUrl: `http://127.0.0.1:${peerPort}` }),
    logPath: join(dir, `etcd-${attempt}.log`),
    env: childEnv(),
  });
  try {
    try {
      await waitFor200({ url: `${etcdUrl}/health` }, { timeoutMs, abortReason: exitedReason(etcd) },
        (body) => body.includes('"health":"true"'));
    } catch (err) {
      throw new LaunchError((err as Error).message, `--- etcd (${etcd.logPath}) ---\n${await logTail(etcd.logPath)}`, [etcd.logPath]);
    }
    const apiserver = await startApiServer(bin, dir, pki, etcdUrl, apiPort, extra, `kube-apiserver-${attempt}.log`, timeoutMs);
    return { etcd, apiserver, etcdUrl, apiPort };
  } catch (err) {
    await etcd.stop(2000);
    throw err;
  }
}

class LaunchError extends E2eError {
  readonly logs: string;
  readonly logPaths: readonly string[];
  constructor(message: string, logs: string, logPaths: readonly string[]) {
    super('HWS_E2E_ERR_START', `${message}\n${logs}`);
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
 * process exits or gets SIGINT/SIGTERM/SIGHUP before `stop()`, both process groups are killed and
 * the folder removed.
 */
export async function startControlPlane(options: StartOptions = {}): Promise<ControlPlane> {
  const timeoutMs = options.readyTimeoutMs ?? 90_000;
  const keepDir = options.keepDir ?? process.env['HAWSER_E2E_KEEP_DIR'] === '1';
  const extra = options.extraApiServerArgs ?? [];
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
        running = await launchOnce(bin, dir, pki, extra, attempt, timeoutMs);
      } catch (err) {
        if (attempt >= ATTEMPTS || !(await portCollision(err))) throw err;
      }
    }
    const { etcd, etcdUrl, apiPort } = running;
    let apiserver = running.apiserver;
    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    await writeFile(kubeconfigPath, renderKubeconfig({
      server,
      caPath: pki.caCert,
      userName: 'hawser-e2e-admin',
      user: { kind: 'client-certificate', certPath: pki.adminCert, keyPath: pki.adminKey },
    }), { mode: 0o600 });

    let restarts = 0;
    let stopping: Promise<void> | undefined;
    const restartApiServer = async (downMs = 0): Promise<void> => {
      if (stopping !== undefined) throw new E2eError('HWS_E2E_ERR_STOPPED', 'the control plane is stopped');
      await apiserver.stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      restarts += 1;
      apiserver = await startApiServer(bin, dir, pki, etcdUrl, apiPort, extra, `kube-apiserver-restart-${restarts}.log`, timeoutMs);
    };
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
      kubeconfigPath, server, dir, caPath: pki.caCert, pki, etcdUrl,
      pids: () => [etcd.pid, apiserver.pid],
      restartApiServer, stop,
    };
  } catch (err) {
    if (!keepDir) await rm(dir, { recursive: true, force: true });
    forgetDir();
    throw err;
  }
}
