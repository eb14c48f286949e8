/**
 * The issue 3 §6 workload, identical for every target: servers added + enabled, then disabled
 * + deleted, one command per round trip and batched 100 commands per line, across many
 * backends and into one backend. Measures latencies, throughput and RSS.
 */
import { readFileSync } from 'node:fs';
import { PromptConnection } from './prompt-connection.ts';

export interface Target {
  readonly name: string;
  readonly socket: string;
  /** Every process whose memory counts (workers included). */
  readonly pids: () => number[];
}

export interface PhaseResult {
  readonly commands: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Per command kind, microseconds (sequential mode only). */
  readonly p50: Record<string, number>;
  readonly p99: Record<string, number>;
  readonly errors: number;
  readonly firstError: string | undefined;
}

export function rssKb(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += Number(m?.[1] ?? 0);
    } catch {
      // the process is gone
    }
  }
  return total;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** HAProxy 2.6 ends some messages without a newline, 3.x always with one: compare trimmed. */
type Cmd = { kind: string; line: string; ok: (reply: string) => boolean };

const ADDR = '127.0.0.1:9';

export function addCmds(be: string, srv: string): Cmd[] {
  return [
    { kind: 'add', line: `add server ${be}/${srv} ${ADDR}`, ok: (r) => r.trimEnd() === 'New server registered.' },
    { kind: 'enable', line: `enable server ${be}/${srv}`, ok: (r) => r === '' },
  ];
}

export function delCmds(be: string, srv: string): Cmd[] {
  return [
    { kind: 'disable', line: `disable server ${be}/${srv}`, ok: (r) => r === '' },
    { kind: 'del', line: `del server ${be}/${srv}`, ok: (r) => r.trimEnd() === 'Server deleted.' },
  ];
}

/**
 * Runs `cmds` one per round trip (`batch` = 1) or `batch` per line. `onEach(i, us)` sees each
 * sequential command's latency (for the add-cost probes).
 */
export async function runPhase(conn: PromptConnection, cmds: readonly Cmd[], batch: number, onEach?: (i: number, us: number) => void): Promise<PhaseResult> {
  const lat: Record<string, number[]> = {};
  let errors = 0;
  let firstError: string | undefined;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < cmds.length; i += batch) {
    const slice = cmds.slice(i, i + batch);
    const s = process.hrtime.bigint();
    const replies = await conn.roundTrip(slice.map((c) => c.line).join(';'), slice.length);
    const us = Number(process.hrtime.bigint() - s) / 1000;
    slice.forEach((c, k) => {
      if (!c.ok(replies[k] ?? '')) {
        errors++;
        firstError ??= `${c.line} -> ${JSON.stringify(replies[k])}`;
      }
    });
    if (batch === 1) {
      const kind = slice[0]?.kind ?? '?';
      (lat[kind] ??= []).push(us);
      onEach?.(i, us);
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const p50: Record<string, number> = {};
  const p99: Record<string, number> = {};
  for (const [k, v] of Object.entries(lat)) {
    v.sort((a, b) => a - b);
    p50[k] = quantile(v, 0.5);
    p99[k] = quantile(v, 0.99);
  }
  return { commands: cmds.length, seconds, perSecond: cmds.length / seconds, p50, p99, errors, firstError };
}

async function settled(t: Target): Promise<number> {
  await new Promise((r) => setTimeout(r, 10_000));
  return rssKb(t.pids());
}

export interface SpreadResult {
  readonly mode: 'sequential' | 'batched';
  readonly servers: number;
  readonly add: PhaseResult;
  readonly del: PhaseResult;
  readonly rssBaseKb: number;
  readonly rssFullKb: number;
  readonly rssAfterKb: number;
  /** RSS after 10 s idle (V8 and glibc may return memory late, or never). */
  readonly rssSettledKb: number;
}

/** `backends` × `perBackend` servers: add+enable all, measure RSS, disable+del all. */
export async function spread(t: Target, mode: 'sequential' | 'batched', backends: number, perBackend: number, prefix: string): Promise<SpreadResult> {
  const conn = await PromptConnection.open(t.socket);
  try {
    const names: [string, string][] = [];
    for (let j = 0; j < perBackend; j++) for (let b = 0; b < backends; b++) names.push([`be${b}`, `${prefix}${j}`]);
    const batch = mode === 'batched' ? 100 : 1;
    const rssBaseKb = rssKb(t.pids());
    const add = await runPhase(conn, names.flatMap(([be, s]) => addCmds(be, s)), batch);
    const rssFullKb = rssKb(t.pids());
    const del = await runPhase(conn, names.flatMap(([be, s]) => delCmds(be, s)), batch);
    await new Promise((r) => setTimeout(r, 500));
    const rssAfterKb = rssKb(t.pids());
    const rssSettledKb = mode === 'sequential' ? await settled(t) : rssAfterKb;
    return { mode, servers: names.length, add, del, rssBaseKb, rssFullKb, rssAfterKb, rssSettledKb };
  } finally {
    conn.close();
  }
}

export interface SingleResult extends SpreadResult {
  /** Median add latency (µs) when the backend already holds N servers. */
  readonly addCostUs: Record<number, number>;
}

export async function single(t: Target, mode: 'sequential' | 'batched', servers: number, prefix: string, probes: readonly number[]): Promise<SingleResult> {
  const conn = await PromptConnection.open(t.socket);
  try {
    const names = Array.from({ length: servers }, (_, j) => `${prefix}${j}`);
    const batch = mode === 'batched' ? 100 : 1;
    const rssBaseKb = rssKb(t.pids());
    const samples = new Map<number, number[]>();
    const add = await runPhase(conn, names.flatMap((s) => addCmds('big', s)), batch, (i, us) => {
      if (i % 2 !== 0) return; // adds are the even commands
      const held = i / 2;
      for (const p of probes) if (held >= p && held < p + 11) (samples.get(p) ?? samples.set(p, []).get(p))?.push(us);
    });
    const rssFullKb = rssKb(t.pids());
    const del = await runPhase(conn, names.flatMap((s) => delCmds('big', s)), batch);
    await new Promise((r) => setTimeout(r, 500));
    const rssAfterKb = rssKb(t.pids());
    const rssSettledKb = rssAfterKb;
    const addCostUs: Record<number, number> = {};
    for (const [p, v] of samples) addCostUs[p] = quantile(v.sort((a, b) => a - b), 0.5);
    return { mode, servers, add, del, rssBaseKb, rssFullKb, rssAfterKb, rssSettledKb, addCostUs };
  } finally {
    conn.close();
  }
}
