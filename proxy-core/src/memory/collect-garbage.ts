/**
 * A full, compacting garbage collection of the calling thread's isolate (writer or worker), without
 * `--expose-gc` on the command line: the flag is set just long enough to fetch V8's `gc` function
 * from a fresh context, then cleared again so no other context gets a global `gc`.
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
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/** Whether this thread can collect on demand (false only if V8 refused the flag). */
export function canCollectGarbage(): boolean {
  gcFn ??= fetchGc();
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
