/**
 * `npm run bench:runtime`: the issue 3 §6 runtime API benchmark, HAProxy and proxy-core driven
 * by the same code in the same run. Writes bench/runtime/RESULTS.md and a JSON next to it.
 *
 * Sizes: BENCH_BACKENDS (1000) × BENCH_PER_BACKEND (100) servers, BENCH_SINGLE (20000) servers
 * in one backend. BENCH_TARGETS=haproxy,hawser selects targets; `haproxy-busy-polling` adds HAProxy
 * with its global `busy-polling` (every thread polls all the time), the nearest thing HAProxy has
 * to proxy-core's `stats busy-poll` window.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderResults, type TargetResults } from './report.ts';
import { startHaproxy, startHawser, type RunningTarget } from './targets.ts';
import { single, spread } from './workload.ts';

const BACKENDS = Number(process.env.BENCH_BACKENDS ?? 1000);
const PER_BACKEND = Number(process.env.BENCH_PER_BACKEND ?? 100);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 20000);
const TARGETS = (process.env.BENCH_TARGETS ?? 'haproxy,hawser').split(',');
const PROBES = [1, 100, 10000].filter((p) => p + 11 <= SINGLE);

type Phase = 'spreadSeq' | 'spreadBatch' | 'singleSeq' | 'singleBatch';

async function runPhase(t: RunningTarget, phase: Phase): Promise<TargetResults[Phase]> {
  process.stderr.write(`[${t.name}] ${phase}\n`);
  switch (phase) {
    case 'spreadSeq': return spread(t, 'sequential', BACKENDS, PER_BACKEND, 's');
    case 'spreadBatch': return spread(t, 'batched', BACKENDS, PER_BACKEND, 'b');
    case 'singleSeq': return single(t, 'sequential', SINGLE, 's', PROBES);
    case 'singleBatch': return single(t, 'batched', SINGLE, 'b', []);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-bench-runtime-'));
  const results: TargetResults[] = [];
  const skipped: string[] = [];
  const running: RunningTarget[] = [];
  try {
    for (const name of TARGETS) {
      const t = name === 'haproxy' ? await startHaproxy(dir, BACKENDS)
        : name === 'haproxy-busy-polling' ? await startHaproxy(dir, BACKENDS, { busyPolling: true })
        : await startHawser(dir, BACKENDS);
      if (t === undefined) skipped.push(`${name}: proxy-core/src/main.ts (the hawser-proxy entry point) is not on this branch yet`);
      else {
        t.hold?.(true);
        running.push(t);
      }
    }
    // Phases alternate between the targets (HAProxy's phase, then ours, then the next phase), so
    // a change in the machine's load during the run weighs on both columns alike.
    const partial = running.map(() => ({}) as Partial<TargetResults>);
    for (const phase of ['spreadSeq', 'spreadBatch', 'singleSeq', 'singleBatch'] as const) {
      for (const [i, t] of running.entries()) {
        t.hold?.(false);
        (partial[i] as Record<Phase, unknown>)[phase] = await runPhase(t, phase);
        t.hold?.(true);
      }
    }
    for (const [i, t] of running.entries()) results.push({ name: t.name, version: t.version, ...(partial[i] as Omit<TargetResults, 'name' | 'version'>) });
  } finally {
    for (const t of running) {
      t.hold?.(false);
      await t.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const sizes = { backends: BACKENDS, perBackend: PER_BACKEND, single: SINGLE };
  const out = path.resolve(import.meta.dirname);
  writeFileSync(path.join(out, 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), sizes, results, skipped }, null, 2)}\n`);
  const md = renderResults(results, sizes, skipped);
  writeFileSync(path.join(out, 'RESULTS.md'), md);
  process.stdout.write(md);
}

await main();
