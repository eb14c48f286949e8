/**
 * Route lookup and compile time at scale (`npm run bench:routing`, `-- --out <file>` to save).
 * Shapes: 10 000 hosts × 10 paths (the target: ≤ 2 µs per lookup), 100 000 hosts × 1 path,
 * and 1 000 hosts × 100 deep paths; plus wildcard hosts. Requests are generated beforehand.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseRouteEntry, type RouteEntry } from '../proxy-core/src/routing/route-entry.ts';
import { compileRouteTable, RouteTableBuilder } from '../proxy-core/src/routing/route-table-builder.ts';
import type { RouteTable } from '../proxy-core/src/routing/route-table.ts';
import { countGcs, cpuNs, fmt, outArg, time } from './bench-stats.ts';

interface Shape { readonly name: string; readonly hosts: number; readonly paths: number; readonly depth: number }

// Every host also gets a root Prefix (`prefix:<host>/`), so routes = hosts × (paths + 1).
const allShapes: Shape[] = [
  { name: '10 000 hosts × 10 paths', hosts: 10_000, paths: 10, depth: 2 },
  { name: '100 000 hosts × 1 path', hosts: 100_000, paths: 1, depth: 2 },
  { name: '1 000 hosts × 100 paths, 4 levels', hosts: 1_000, paths: 100, depth: 4 },
  { name: '100 hosts × 10 paths (fits in cache)', hosts: 100, paths: 10, depth: 2 },
];
/** `SHAPE=<n>` runs one shape (an index into allShapes). */
const shapes: Shape[] = process.env.SHAPE !== undefined ? process.env.SHAPE.split(',').map((i) => allShapes[Number(i)] as Shape) : allShapes;

/** A deterministic generator (mulberry32) so every run routes the same requests. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parsed(key: string, value: string): RouteEntry {
  const r = parseRouteEntry(key, value);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function pathOf(h: number, p: number, depth: number): string {
  let s = `/svc${p}`;
  for (let d = 1; d < depth; d++) s += `/v${(h + p + d) % 7}`;
  return s;
}

/** Route-map keys and values as the controller would send them (every 10th host a wildcard). */
function mapEntries(shape: Shape): [string, string][] {
  const out: [string, string][] = [];
  for (let h = 0; h < shape.hosts; h++) {
    const host = h % 10 === 9 ? `*.h${h}.example.com` : `h${h}.example.com`;
    for (let p = 0; p < shape.paths; p++) {
      const match = p % 3 === 0 ? 'exact' : 'prefix';
      out.push([`${match}:${host}${pathOf(h, p, shape.depth)}`, `ns${h}_svc${p}_80 route-${h}-${p}`]);
    }
    out.push([`prefix:${host}/`, `ns${h}_root_80`]);
  }
  return out;
}

interface Requests {
  /** Every request's host then target, as bytes, like a socket read buffer. */
  readonly bytes: Buffer;
  /** Per request: host start, host end (= target start), target end. */
  readonly offsets: Int32Array;
  readonly count: number;
}

function requests(shape: Shape, n: number): Requests {
  const r = rng(42);
  const parts: string[] = [];
  const offsets = new Int32Array(n * 3);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const h = Math.floor(r() * shape.hosts);
    const p = Math.floor(r() * shape.paths);
    const base = h % 10 === 9 ? `api.h${h}.example.com` : `h${h}.example.com`;
    const roll = r();
    const host = roll < 0.1 ? `${base}:8443` : roll < 0.15 ? base.toUpperCase() : base;
    const kind = r();
    const path = pathOf(h, p, shape.depth);
    const target = kind < 0.3 ? path : kind < 0.6 ? `${path}/deeper/and/deeper?x=1` : kind < 0.9 ? `${path}?q=${i}` : `/miss${i}/a/b`;
    offsets[i * 3] = at;
    offsets[i * 3 + 1] = at + host.length;
    offsets[i * 3 + 2] = at + host.length + target.length;
    at += host.length + target.length;
    parts.push(host, target);
  }
  return { bytes: Buffer.from(parts.join(''), 'latin1'), offsets, count: n };
}

/** The request's two strings, decoded from bytes as the HTTP parser does: fresh and hot in cache. */
function decode(req: Requests, i: number): [string, string] {
  const j = (i % req.count) * 3;
  const [a, b, c] = [req.offsets[j] as number, req.offsets[j + 1] as number, req.offsets[j + 2] as number];
  return [req.bytes.toString('latin1', a, b), req.bytes.toString('latin1', b, c)];
}

const lines: string[] = [];
const log = (s: string): void => { console.log(s); lines.push(s); };

log('| shape | routes | parse + compile (CPU) | lookup mean (CPU) | wall p50 | wall p99 | wall mean | GCs in 2 M lookups |');
log('|---|---|---|---|---|---|---|---|');
const incremental: string[] = [];
for (const shape of shapes) {
  const pairs = mapEntries(shape);
  let entries: RouteEntry[] = [];
  let table: RouteTable = compileRouteTable([]);
  const compileMs = (cpuNs(() => {
    entries = pairs.map(([k, v]) => parsed(k, v));
    table = compileRouteTable(entries);
  }) / 1e6).toFixed(0);
  const req = requests(shape, 1 << 18);
  let hits = 0;
  for (let i = 0; i < req.count; i++) if (table.lookup(...decode(req, i)).backend !== null) hits++;
  const t = time((i) => decode(req, i), ([h, p]) => table.lookup(h, p), 1_000_000);
  // Mean in CPU time: decode + lookup, minus decode alone.
  let sink = 0;
  const withLookup = cpuNs(() => {
    for (let i = 0; i < 2_000_000; i++) if (table.lookup(...decode(req, i)).backend === null) sink++;
  });
  const decodeOnly = cpuNs(() => {
    for (let i = 0; i < 2_000_000; i++) if (decode(req, i)[1].length === 0) sink++;
  });
  const cpuMean = Math.max(0, withLookup - decodeOnly) / 2_000_000;
  if (sink < 0) throw new Error('unreachable');
  // Strings decoded beforehand, so that any garbage collection would be the lookup's own doing.
  const pool = Array.from({ length: 1 << 16 }, (_, i) => decode(req, i));
  const gcs = await countGcs(() => {
    for (let i = 0; i < 2_000_000; i++) {
      const [h, p] = pool[i & 0xffff] as [string, string];
      table.lookup(h, p);
    }
  });
  log(`| ${shape.name} | ${table.size} | ${compileMs} ms | ${fmt(cpuMean)} | ${fmt(t.p50Ns)} | ${fmt(t.p99Ns)} | ${fmt(t.meanNs)} | ${gcs} |`);
  if (hits < req.count / 2) throw new Error(`only ${hits} of ${req.count} requests routed: the generator is wrong`);

  // The live-map path: one `add map` (or `del map`) on a big table, then a new table for traffic.
  const builder = new RouteTableBuilder();
  for (const e of entries) builder.add(e);
  builder.build();
  const extra = parsed('prefix:h1.example.com/new', 'ns1_new_80');
  const rounds = 20;
  const ns = cpuNs(() => {
    for (let i = 0; i < rounds; i++) {
      const id = builder.add(extra);
      builder.build();
      builder.remove(id);
      builder.build();
    }
  });
  incremental.push(`| ${shape.name} | ${(ns / 1e6 / (rounds * 2)).toFixed(2)} ms |`);
}
log('');
log('Incremental: one entry added (or removed) on the live map, then `build()`:');
log('');
log('| shape | add or remove + build |');
log('|---|---|');
for (const l of incremental) log(l);

const out = outArg();
if (out !== undefined) {
  const body = [
    '# Route lookup benchmark',
    '',
    'Command: `npm run bench:routing -- --out bench/routing/RESULTS.md`',
    '',
    `Run: ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}, load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}.`,
    'The machine has 2 cores shared with other jobs, so figures drift between runs; compare within one run.',
    '',
    'Every host has its paths plus a root Prefix (`prefix:<host>/`), so routes = hosts × (paths + 1);',
    'every 10th host is a wildcard (`*.h<n>.example.com`); a third of the paths are Exact.',
    'The last row is a table small enough to stay in cache: the gap to the others is cache misses.',
    '',
    'Lookup requests: a random host of the map (10 % with a port, 5 % upper case, wildcard hosts',
    'through a one-label name), 30 % exact paths, 30 % deeper paths under a prefix, 30 % with a',
    'query string, 10 % paths that match only the host\'s root prefix. Each request\'s host and target',
    'are decoded from a byte buffer just before the lookup (as the HTTP parser would hand them over,',
    'hot in cache). "lookup mean (CPU)" is CPU time over 2 M decode + lookup minus 2 M decodes;',
    'the wall columns come from 1 M lookups timed one by one, timer cost subtracted, and include',
    'whatever other jobs on the machine did meanwhile (preemption, cache eviction). "GCs" counts garbage',
    'collections during 2 M lookups on pre-decoded strings: 0 means the lookup allocates nothing.',
    'Compile and incremental figures are CPU time (process.cpuUsage), so other jobs do not count.',
    '',
    ...lines,
    '',
  ].join('\n');
  writeFileSync(out, body);
}
