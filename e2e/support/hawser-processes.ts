// hawser-proxy and hawser-controller as local processes, each in its own process group (so the
// exit cleanup kills them with the control plane), logging into the stack's folder.
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { spawnGroup, type GroupProcess } from '../control-plane/process-group.ts';
import { repoRoot } from '../control-plane/tools.ts';
import { freeLoopbackPort, getOnce, waitFor200 } from '../control-plane/wait-ready.ts';

export interface HawserProcess {
  readonly process: GroupProcess;
  /** `http://127.0.0.1:<admin port>` (/healthz, /readyz, /metrics). */
  readonly adminUrl: string;
  stop(graceMs?: number): Promise<void>;
}

function tail(path: string, chars = 3000): string {
  try {
    return readFileSync(path, 'utf8').slice(-chars);
  } catch {
    return '(no log)';
  }
}

function nodeEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** Starts hawser-proxy on `configPath` and resolves once its /readyz answers 200. */
export async function startProxy(dir: string, configPath: string, socketPath: string, logName = 'proxy.log'): Promise<HawserProcess> {
  const adminPort = await freeLoopbackPort();
  const proc = spawnGroup({
    name: 'hawser-proxy',
    command: process.execPath,
    args: [join(repoRoot, 'bin', 'hawser-proxy.js'), '-f', configPath],
    logPath: join(dir, logName),
    cwd: repoRoot,
    env: nodeEnv({ HAWSER_ADMIN_PORT: String(adminPort), HAWSER_ADMIN_ADDRESS: '127.0.0.1', HAWSER_LOG_LEVEL: 'warn' }),
  });
  const adminUrl = `http://127.0.0.1:${String(adminPort)}`;
  await waitFor200({ url: `${adminUrl}/readyz` }, {
    timeoutMs: 30_000,
    abortReason: () => (proc.hasExited() ? `hawser-proxy exited during start-up: ${tail(proc.logPath)}` : undefined),
  });
  if (!existsSync(socketPath)) throw new Error(`hawser-proxy is ready but its runtime socket ${socketPath} does not exist`);
  return { process: proc, adminUrl, stop: (graceMs = 5000) => proc.stop(graceMs) };
}

export interface ControllerStart {
  readonly dir: string;
  readonly args: readonly string[];
  readonly adminPort: number;
  readonly podName: string;
  readonly podNamespace: string;
  readonly logName: string;
  /** Wait for /readyz (the first full sync applied); default true. */
  readonly waitReady?: boolean;
}

/** Starts hawser-controller; by default resolves once /readyz says the first sync is applied. */
export async function startController(options: ControllerStart): Promise<HawserProcess> {
  const proc = spawnGroup({
    name: `hawser-controller ${options.podName}`,
    command: process.execPath,
    args: [join(repoRoot, 'bin', 'hawser-controller.js'), ...options.args],
    logPath: join(options.dir, options.logName),
    cwd: repoRoot,
    env: nodeEnv({ POD_NAME: options.podName, POD_NAMESPACE: options.podNamespace }),
  });
  const adminUrl = `http://127.0.0.1:${String(options.adminPort)}`;
  if (options.waitReady ?? true) {
    await waitFor200({ url: `${adminUrl}/readyz` }, {
      timeoutMs: 60_000,
      abortReason: () => (proc.hasExited() ? `hawser-controller exited during start-up: ${tail(proc.logPath)}` : undefined),
    });
  }
  return { process: proc, adminUrl, stop: (graceMs = 10_000) => proc.stop(graceMs) };
}

/** One runtime API command over the UNIX socket; resolves with the whole reply. */
export function runtimeCommand(socketPath: string, line: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(socketPath);
    let out = '';
    const timer = setTimeout(() => s.destroy(new Error(`no reply to "${line}" within ${String(timeoutMs)} ms`)), timeoutMs);
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => (out += chunk));
    s.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    s.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    s.write(`${line}\n`);
  });
}

/** The text of one Prometheus metric family from an admin port, or '' when it is not up. */
export async function scrape(adminUrl: string): Promise<string> {
  try {
    return (await getOnce({ url: `${adminUrl}/metrics` })).body;
  } catch {
    return '';
  }
}

export { tail as logTail };
