// Last-resort cleanup when the Node process ends before the orderly `stop()`: on a normal exit, an
// uncaught error, Ctrl-C (SIGINT), SIGTERM or SIGHUP. Everything here is synchronous because an
// 'exit' listener cannot wait for promises.

type SyncCleanup = () => void;

const groups = new Set<number>();
const cleanups = new Map<symbol, SyncCleanup>();
let installed = false;

function runAll(): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  groups.clear();
  // Newest first: a network namespace is removed before the folder that records it, say.
  for (const cleanup of [...cleanups.values()].reverse()) {
    try {
      cleanup();
    } catch {
      // Keep going: the remaining cleanups matter more than one failure while exiting.
    }
  }
  cleanups.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  const exitCodes: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(exitCodes)) {
    process.once(signal, () => {
      runAll();
      process.exit(code);
    });
  }
}

/** The process group led by `pid` is SIGKILLed if this process exits first. */
export function registerExitKill(pid: number): void {
  install();
  groups.add(pid);
}

export function unregisterExitKill(pid: number): void {
  groups.delete(pid);
}

/** Runs `cleanup` synchronously if this process exits before the returned function is called. */
export function registerExitCleanup(cleanup: SyncCleanup): () => void {
  install();
  const key = Symbol('cleanup');
  cleanups.set(key, cleanup);
  return () => {
    cleanups.delete(key);
  };
}
