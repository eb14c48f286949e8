/** Renders the runtime benchmark results as the Markdown table of RESULTS.md. Pure. */
import type { SingleResult, SpreadResult } from './workload.ts';

export interface TargetResults {
  readonly name: string;
  readonly version: string;
  readonly spreadSeq: SpreadResult;
  readonly spreadBatch: SpreadResult;
  readonly singleSeq: SingleResult;
  readonly singleBatch: SingleResult;
}

const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');
const n1 = (x: number): string => x.toFixed(1);
const kbPerServer = (r: SpreadResult): string => n1(((r.rssFullKb - r.rssBaseKb) * 1024) / r.servers / 1024);
const mb = (kb: number): string => n1(kb / 1024);

export function renderResults(results: readonly TargetResults[], sizes: { backends: number; perBackend: number; single: number }, skipped: readonly string[]): string {
  const cols = results.map((r) => r.name);
  const row = (label: string, f: (r: TargetResults) => string): string => `| ${label} | ${results.map(f).join(' | ')} |`;
  const lines = [
    '# Runtime API benchmark',
    '',
    'Command: `npm run bench:runtime` (bench/runtime/run.ts). Same driver, same config, same run for every target, phases alternating between targets;',
    `workload of issue 3 §6: ${n0(sizes.backends * sizes.perBackend)} servers across ${n0(sizes.backends)} backends, then ${n0(sizes.single)} in one backend;`,
    '`add server` + `enable server`, then `disable server` + `del server`; sequential = one command per round trip on one',
    'persistent `prompt` connection, batched = 100 commands per line, `;`-joined. Latencies are round trips seen by the client.',
    '',
    `Targets: ${results.map((r) => `${r.name} = ${r.version}`).join('; ') || 'none'}.`,
    '',
    `| metric | ${cols.join(' | ')} |`,
    `|---|${cols.map(() => '---:').join('|')}|`,
    row('spread, sequential add+enable (cmd/s)', (r) => n0(r.spreadSeq.add.perSecond)),
    row('spread, sequential disable+del (cmd/s)', (r) => n0(r.spreadSeq.del.perSecond)),
    row('spread, batched add+enable (cmd/s)', (r) => n0(r.spreadBatch.add.perSecond)),
    row('spread, batched disable+del (cmd/s)', (r) => n0(r.spreadBatch.del.perSecond)),
    row('`add server` p50 / p99 (µs)', (r) => `${n0(r.spreadSeq.add.p50.add ?? 0)} / ${n0(r.spreadSeq.add.p99.add ?? 0)}`),
    row('`enable server` p50 / p99 (µs)', (r) => `${n0(r.spreadSeq.add.p50.enable ?? 0)} / ${n0(r.spreadSeq.add.p99.enable ?? 0)}`),
    row('`disable server` p50 / p99 (µs)', (r) => `${n0(r.spreadSeq.del.p50.disable ?? 0)} / ${n0(r.spreadSeq.del.p99.disable ?? 0)}`),
    row('`del server` p50 / p99 (µs)', (r) => `${n0(r.spreadSeq.del.p50.del ?? 0)} / ${n0(r.spreadSeq.del.p99.del ?? 0)}`),
    row('RSS per server (KB, all threads/workers)', (r) => kbPerServer(r.spreadSeq)),
    row('RSS before / full / 0.5 s and 10 s after deleting all (MB)', (r) => `${mb(r.spreadSeq.rssBaseKb)} / ${mb(r.spreadSeq.rssFullKb)} / ${mb(r.spreadSeq.rssAfterKb)} / ${mb(r.spreadSeq.rssSettledKb)}`),
    row(`one backend: ${n0(sizes.single)} add+enable, sequential (s)`, (r) => n1(r.singleSeq.add.seconds)),
    row(`one backend: ${n0(sizes.single)} add+enable, batched (s)`, (r) => n1(r.singleBatch.add.seconds)),
    row(`one backend: ${n0(sizes.single)} disable+del, sequential (s)`, (r) => n1(r.singleSeq.del.seconds)),
    ...[1, 100, 10000].map((p) => row(`one add into a backend holding ${n0(p)} (µs, median)`, (r) => (r.singleSeq.addCostUs[p] === undefined ? 'n/a' : n0(r.singleSeq.addCostUs[p] ?? 0)))),
    row('errors (replies other than HAProxy\'s)', (r) => String(r.spreadSeq.add.errors + r.spreadSeq.del.errors + r.spreadBatch.add.errors + r.spreadBatch.del.errors + r.singleSeq.add.errors + r.singleSeq.del.errors + r.singleBatch.add.errors + r.singleBatch.del.errors)),
    '',
  ];
  const firstErrors = results.flatMap((r) =>
    [r.spreadSeq.add, r.spreadSeq.del, r.spreadBatch.add, r.spreadBatch.del, r.singleSeq.add, r.singleSeq.del].flatMap((p) => (p.firstError === undefined ? [] : [`- ${r.name}: ${p.firstError}`])),
  );
  if (firstErrors.length > 0) lines.push('First unexpected replies:', '', ...firstErrors, '');
  if (skipped.length > 0) lines.push('Not measured:', '', ...skipped.map((s) => `- ${s}`), '');
  return lines.join('\n');
}
