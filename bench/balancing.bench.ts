/**
 * Nanoseconds per pick for each algorithm at 10, 1 000 and 20 000 servers (`npm run bench:balancing`,
 * `-- --out <file>` to save), with every picked connection opened and closed again 64 picks later
 * (so leastconn and random(2) do their bookkeeping), plus the cost of one `update` after a single
 * server changes (change time), and the garbage collections seen during 2 M picks.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Balancer, PickContext, ServerView } from '../proxy-core/src/balancing/balancer.ts';
import { createBalancer, type BalanceSpec } from '../proxy-core/src/balancing/create-balancer.ts';
import { seededRandom } from '../proxy-core/src/balancing/seeded-random.ts';
import { countGcs, cpuNs, outArg } from './bench-stats.ts';

interface Server extends ServerView { readonly id: string; weight: number; usable: boolean; connections: number }

const specs: [string, BalanceSpec][] = [
  ['roundrobin', { kind: 'roundrobin' }],
  ['leastconn', { kind: 'leastconn' }],
  ['random(2)', { kind: 'random', draws: 2 }],
  ['source', { kind: 'source' }],
  ['hdr(x-user)', { kind: 'hdr', name: 'x-user' }],
  ['first', { kind: 'first' }],
];
const sizes = [10, 1_000, 20_000];
const PICKS = 2_000_000;
const WINDOW = 64;

const contexts: PickContext[] = Array.from({ length: 1 << 16 }, (_, i) => {
  const user = `user-${(i * 2654435761) >>> 0}`;
  return { source: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, header: () => user };
});

function servers(n: number, mixed: boolean): Server[] {
  return Array.from({ length: n }, (_, i) => ({ id: `ns_svc_80/srv-${i}`, weight: mixed ? 1 + (i % 16) : 1, usable: true, connections: 0 }));
}

/** Picks `count` times; each pick opens a connection that closes WINDOW picks later. */
function run(b: Balancer<Server>, count: number): number {
  const open: (Server | null)[] = new Array(WINDOW).fill(null);
  let hits = 0;
  for (let i = 0; i < count; i++) {
    const s = b.pick(contexts[i & 0xffff] as PickContext);
    const slot = i % WINDOW;
    const old = open[slot];
    if (old !== null && old !== undefined) b.onEnd(old);
    if (s !== null) {
      b.onStart(s);
      hits++;
    }
    open[slot] = s;
  }
  for (const s of open) if (s !== null && s !== undefined) b.onEnd(s);
  return hits;
}

const lines: string[] = [];
const log = (s: string): void => { console.log(s); lines.push(s); };

for (const mixed of [false, true]) {
  log('');
  log(mixed ? '### Weights 1 to 16 (16 distinct weights)' : '### Equal weights (one weight, the Kubernetes default)');
  log('');
  const cols = (label: string): string => sizes.map((n) => `${n}: ${label}`).join(' | ');
  log(`| algorithm | ${cols('pick')} | ${cols('drain')} | ${cols('re-weight')} | GCs in 2 M picks |`);
  log(`|---|${sizes.map(() => '---').join('|')}|${sizes.map(() => '---').join('|')}|${sizes.map(() => '---').join('|')}|---|`);
  for (const [name, spec] of specs) {
    const pickNs: string[] = [];
    const updateUs: string[] = [];
    const reweightUs: string[] = [];
    let gcs = 0;
    for (const n of sizes) {
      const b = createBalancer<Server>(spec, { random: seededRandom(1) });
      const list = servers(n, mixed);
      b.update(list);
      run(b, 200_000); // warm up
      let hits = 0;
      const ns = cpuNs(() => { hits = run(b, PICKS); });
      pickNs.push(`${(ns / PICKS).toFixed(0)} ns`);
      if (hits !== PICKS) throw new Error(`${name}: ${PICKS - hits} picks returned null`);
      // Change time: one server drained, then back, as `set server … state drain|ready` would do.
      const rounds = 10;
      const updateNs = cpuNs(() => {
        for (let r = 0; r < rounds; r++) {
          (list[r % n] as Server).usable = r % 2 === 1;
          b.update(list);
        }
      });
      updateUs.push(`${(updateNs / 1000 / rounds).toFixed(0)} µs`);
      // Change time: one server re-weighted (rebuilds that server's share of the hash ring).
      const reweightNs = cpuNs(() => {
        for (let r = 0; r < rounds; r++) {
          const s = list[(r * 7) % n] as Server;
          s.weight = s.weight === 1 ? 2 : s.weight - 1;
          b.update(list);
        }
      });
      reweightUs.push(`${(reweightNs / 1000 / rounds).toFixed(0)} µs`);
      if (n === sizes[sizes.length - 1]) gcs = await countGcs(() => run(b, PICKS));
    }
    log(`| ${name} | ${pickNs.join(' | ')} | ${updateUs.join(' | ')} | ${reweightUs.join(' | ')} | ${gcs} |`);
  }
}

const out = outArg();
if (out !== undefined) {
  writeFileSync(out, [
    '# Load-balancing benchmark',
    '',
    'Command: `npm run bench:balancing -- --out bench/balancing/RESULTS.md`',
    '',
    `Run: ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}, load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}.`,
    'The machine has 2 cores shared with other jobs: compare rows within one run.',
    '',
    'Figures are CPU time (process.cpuUsage), not wall time, so other jobs on the machine do not',
    'count; they still disturb caches, so expect ±30 % between runs.',
    '',
    '"pick" is the mean over 2 M picks, each followed by `onStart` and, 64 picks later, `onEnd`',
    '(the bookkeeping a request costs). Hash keys vary per pick (65 536 client addresses / header',
    'values). "drain" is one `update()` after one server was drained or made ready again;',
    '"re-weight" is one `update()` after one server\'s weight changed. The GC column counts',
    'garbage collections during 2 M picks at 20 000 servers (the `run` loop itself allocates nothing).',
    ...lines,
    '',
  ].join('\n'));
}
