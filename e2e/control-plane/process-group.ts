// Child processes that run in their own process group, so that stopping one also stops whatever it
// started (kube-apiserver and etcd spawn no children today, `ip netns exec` does).
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { registerExitKill, unregisterExitKill } from './exit-cleanup.ts';
import { E2eError } from './e2e-errors.ts';

export interface GroupProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  hasExited(): boolean;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnGroupOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** stdout and stderr of the process are appended here. */
  readonly logPath: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Sends `signal` to the group led by `pid`; a group that is already gone is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** True while any process of the group led by `pid` exists. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `command` detached (a new session and process group whose id is its pid), with output
 * going to `logPath`. The group is SIGKILLed if this Node process exits before `stop()`.
 */
export function spawnGroup(options: SpawnGroupOptions): GroupProcess {
  const fd = openSync(options.logPath, 'a');
  let child;
  try {
    child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    // Without a listener the 'error' event that follows would crash the test process.
    child.once('error', () => {});
    // spawn reports ENOENT and friends asynchronously; the pid is missing exactly in that case.
    throw new E2eError('HWS_E2E_ERR_START', `could not start ${options.name}: ${options.command} is missing or not executable`);
  }
  let exitedFlag = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      unregisterExitKill(pid);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  registerExitKill(pid);
  // The parent must not wait for the detached child when it wants to exit.
  child.unref();

  const stop = async (graceMs = 5000): Promise<void> => {
    // Hold the event loop open until the exit is seen, or a script awaiting stop() would end early.
    child.ref();
    signalGroup(pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout').unref());
    if ((await Promise.race([exited, timer])) === 'timeout') signalGroup(pid, 'SIGKILL');
    await exited;
    // The leader may be gone while members of its group linger: kill them too.
    signalGroup(pid, 'SIGKILL');
    unregisterExitKill(pid);
  };
  return { name: options.name, pid, logPath: options.logPath, exited, hasExited: () => exitedFlag, stop };
}
