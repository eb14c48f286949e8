/**
 * Small helpers shared by the routing and balancing benchmarks: timing a callback one call at a
 * time (for percentiles) and in batches (for the mean), and counting garbage collections, which is
 * how the benchmarks show that a hot path allocates nothing.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';

export interface Timing {
  readonly meanNs: number;
  readonly p50Ns: number;
  readonly p99Ns: number;
}

/**
 * Times `fn(i)` for i in [0, calls) one call at a time, after an untimed `prepare(i)` (which
 * builds the call's input the way the data plane would, so it is hot in cache as it would be
 * there). The cost of an empty timer pair is subtracted; figures are accurate to ~20 ns.
 */
export function time<T>(prepare: (i: number) => T, fn: (input: T) => unknown, calls: number): Timing {
  let sink = 0;
  for (let i = 0; i < Math.min(calls, 100_000); i++) if (fn(prepare(i)) === undefined) sink++; // warm up the JIT
  let empty = Infinity;
  for (let i = 0; i < 10_000; i++) {
    const a = performance.now();
    empty = Math.min(empty, performance.now() - a);
  }
  const samples = new Float64Array(calls);
  let total = 0;
  for (let i = 0; i < calls; i++) {
    const input = prepare(i);
    const a = performance.now();
    if (fn(input) === undefined) sink++;
    const ns = Math.max(0, performance.now() - a - empty) * 1e6;
    samples[i] = ns;
    total += ns;
  }
  samples.sort();
  if (sink === -1) console.log('unreachable');
  return {
    meanNs: total / calls,
    p50Ns: samples[Math.floor(calls * 0.5)] ?? 0,
    p99Ns: samples[Math.floor(calls * 0.99)] ?? 0,
  };
}

/**
 * CPU time (user + system, this process) spent in `fn`, in nanoseconds. The machines these run on
 * are shared, so wall time counts other jobs' turns on the core; CPU time does not.
 */
export function cpuNs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) * 1000;
}

/** Runs `fn` and returns how many garbage collections happened meanwhile. */
export async function countGcs(fn: () => void): Promise<number> {
  // Collect the garbage of earlier phases first (needs --expose-gc, which the npm scripts pass).
  (globalThis as { gc?: () => void }).gc?.();
  let count = 0;
  const obs = new PerformanceObserver((list) => { count += list.getEntries().length; });
  obs.observe({ entryTypes: ['gc'] });
  fn();
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  obs.disconnect();
  return count;
}

export function fmt(ns: number): string {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
}

/** The `--out <file>` argument, if any. */
export function outArg(): string | undefined {
  const i = process.argv.indexOf('--out');
  return i >= 0 ? process.argv[i + 1] : undefined;
}
