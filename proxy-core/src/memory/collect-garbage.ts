/**
 * A full, compacting garbage collection of the calling thread's isolate (writer or worker), without
 * `--expose-gc` on the command line: the flag is set and V8's `gc` function fetched from a fresh
 * context. The flag is process-wide and stays set: clearing it again would race with another
 * thread fetching its own `gc` meanwhile (seen: one worker of two never collected). Contexts made
 * afterwards (workers started later) get a global `gc`, which nothing here relies on.
 *
 * `flavor: 'last-resort'` is V8's CollectAllAvailableGarbage: several mark-compact rounds that
 * also shrink the young generation and release the freed pages to the system, which a regular
 * major GC does not.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

interface GcOptions {
  readonly type: 'major' | 'minor';
  readonly execution: 'sync' | 'async';
  readonly flavor: 'regular' | 'last-resort';
}
type GcFunction = (options?: GcOptions) => unknown;

let gcFn: GcFunction | null | undefined;

function fetchGc(): GcFunction | null {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as GcFunction;
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('gc');
    return typeof fn === 'function' ? (fn as GcFunction) : null;
  } catch {
    return null;
  }
}

/** Whether this thread can collect on demand (false only if V8 refused the flag). */
export function canCollectGarbage(): boolean {
  // A failed fetch is retried next time rather than remembered.
  if (gcFn === undefined || gcFn === null) gcFn = fetchGc();
  return gcFn !== null;
}

/**
 * Collects everything collectable now, synchronously (the thread pauses meanwhile). Returns the
 * time it took in milliseconds, or -1 when this thread cannot collect on demand.
 */
export function collectGarbage(): number {
  if (!canCollectGarbage() || gcFn === null || gcFn === undefined) return -1;
  const t0 = performance.now();
  gcFn({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return performance.now() - t0;
}
