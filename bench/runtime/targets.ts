/**
 * The two targets of the runtime benchmark, started from the same generated configuration:
 * Debian's HAProxy (installed with apt-get when missing) and proxy-core (`hawser-proxy`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Target } from './workload.ts';

export interface RunningTarget extends Target {
  readonly version: string;
  stop(): Promise<void>;
  /**
   * Present when the target burns CPU while idle (HAProxy with `busy-polling` spins every thread
   * all the time): the run holds it stopped (SIGSTOP) while another target is measured.
   */
  readonly hold?: (held: boolean) => void;
}

/** 1000 backends `be0…` plus `big`, all roundrobin, and an admin stats socket. */
export function benchConfig(socket: string, backends: number, extraGlobal: string[] = []): string {
  const lines = ['global', `    stats socket ${socket} mode 600 level admin`, ...extraGlobal.map((l) => `    ${l}`), '', 'defaults', '    mode http', '    timeout connect 5s', '    timeout client 30s', '    timeout server 30s', ''];
  for (let b = 0; b < backends; b++) lines.push(`backend be${b}`, '    balance roundrobin', '');
  lines.push('backend big', '    balance roundrobin', '');
  return lines.join('\n');
}

async function waitForSocket(socket: string, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`target exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection({ path: socket });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no runtime socket at ${socket}`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  };
}

/** Installs Debian's HAProxy when `haproxy` is not on the PATH. */
export function ensureHaproxy(): string {
  const which = (): string => {
    try {
      return execFileSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  let bin = which();
  if (bin === '') {
    execFileSync('sh', ['-c', 'apt-get update && apt-get install -y haproxy'], { stdio: 'inherit' });
    bin = which();
  }
  if (bin === '') throw new Error('haproxy could not be installed');
  return bin;
}

export async function startHaproxy(dir: string, backends: number, opts: { busyPolling?: boolean } = {}): Promise<RunningTarget> {
  const bin = ensureHaproxy();
  const name = opts.busyPolling === true ? 'haproxy-busy-polling' : 'haproxy';
  const socket = path.join(dir, `${name}.sock`);
  const cfg = path.join(dir, `${name}.cfg`);
  writeFileSync(cfg, benchConfig(socket, backends, ['stats timeout 10m', ...(opts.busyPolling === true ? ['busy-polling'] : [])]));
  const version = execFileSync(bin, ['-v'], { encoding: 'utf8' }).split('\n')[0] ?? 'haproxy';
  // -db: stay in the foreground so the pid we hold is the process whose memory counts
  const child = spawn(bin, ['-db', '-q', '-f', cfg], { stdio: ['ignore', 'ignore', 'ignore'] });
  await waitForSocket(socket, child);
  const hold = (held: boolean): void => {
    if (child.exitCode === null) child.kill(held ? 'SIGSTOP' : 'SIGCONT');
  };
  return { name, version, socket, pids: () => (child.pid === undefined ? [] : [child.pid]), stop: stopper(child), ...(opts.busyPolling === true ? { hold } : {}) };
}

/** proxy-core's entry point, once it exists on this branch. */
export const HAWSER_ENTRY = path.resolve(import.meta.dirname, '../../proxy-core/src/main.ts');

export async function startHawser(dir: string, backends: number): Promise<RunningTarget | undefined> {
  if (!existsSync(HAWSER_ENTRY)) return undefined;
  const socket = path.join(dir, 'hawser.sock');
  const cfg = path.join(dir, 'hawser.cfg');
  writeFileSync(cfg, benchConfig(socket, backends));
  // admin port on a free local port, quiet logs: the runtime API is what is measured
  const env = { ...process.env, HAWSER_ADMIN_PORT: '0', HAWSER_ADMIN_ADDRESS: '127.0.0.1', HAWSER_LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, [HAWSER_ENTRY, '-f', cfg], { stdio: ['ignore', 'ignore', 'inherit'], env });
  await waitForSocket(socket, child);
  return { name: 'hawser', version: `proxy-core (node ${process.version}, ${availableParallelism()} traffic workers)`, socket, pids: () => (child.pid === undefined ? [] : [child.pid]), stop: stopper(child) };
}
