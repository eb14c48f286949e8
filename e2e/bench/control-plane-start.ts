// `npm run bench:e2e-start [-- --runs N]`: warm start of the e2e control plane (tools already
// built): from startControlPlane() to /readyz ok, and stop() until both groups are gone.
import { parseArgs } from 'node:util';
import { startControlPlane } from '../control-plane/control-plane.ts';
import { ensureTool } from '../control-plane/tools.ts';

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } }, strict: true });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error('--runs must be an integer from 1 to 100');
  await ensureTool('etcd');
  await ensureTool('kube-apiserver');
  const starts: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const plane = await startControlPlane();
    const t1 = performance.now();
    await plane.stop();
    starts.push(t1 - t0);
    stops.push(performance.now() - t1);
  }
  const summary = (xs: number[]): object => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { p50_ms: Math.round(quantile(sorted, 0.5)), max_ms: Math.round(sorted[sorted.length - 1] ?? Number.NaN), runs: xs.map(Math.round) };
  };
  process.stdout.write(`${JSON.stringify({ start: summary(starts), stop: summary(stops) }, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:e2e-start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
