/**
 * The reclaim policy at work (the edge of memory/reclaim.ts): once a second the writer looks at
 * the model's server count and change sequence; when `decideReclaim` says so, it collects its own
 * heap and asks every traffic worker to collect theirs (`{ type: 'reclaim' }`, handled in
 * workers/worker-main.ts in order with the records). Each reclaim is counted by reason in
 * `hawser_proxy_memory_reclaims_total`.
 */
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { ToWorker } from '../workers/protocol.ts';
import { collectGarbage } from './collect-garbage.ts';
import { DEFAULT_RECLAIM_POLICY, decideReclaim, type ReclaimPolicy, type ReclaimReason } from './reclaim.ts';

/** What the reclaimer reads from the model (model/model.ts implements it). */
export interface ReclaimSource {
  /** Live servers. */
  readonly serverCount: number;
  /** Deleted servers not destroyed yet. */
  readonly zombieCount: number;
  /** Sequence number of the last published change. */
  readonly changeSeq: number;
}

export interface ReclaimerOptions {
  readonly source: ReclaimSource;
  /** The traffic workers; null when the process runs none. */
  readonly workers: { broadcast(message: ToWorker): void } | null;
  readonly registry?: Registry;
  readonly logger?: Logger;
  readonly policy?: ReclaimPolicy;
  readonly tickMs?: number;
  /** Milliseconds; injectable for tests. */
  readonly clock?: () => number;
  /** Collects this thread's heap; returns milliseconds spent (memory/collect-garbage.ts). */
  readonly collect?: () => number;
}

export const RECLAIM_METRIC = 'hawser_proxy_memory_reclaims_total';

export class Reclaimer {
  readonly #o: ReclaimerOptions;
  readonly #clock: () => number;
  readonly #counter: Counter<'reason'> | null;
  #timer: NodeJS.Timeout | null = null;
  #peak: number;
  #seqAtReclaim: number;
  #lastSeq: number;
  #lastChangeAt = -Infinity;
  #lastReclaimAt = -Infinity;

  constructor(o: ReclaimerOptions) {
    this.#o = o;
    this.#clock = o.clock ?? Date.now;
    this.#peak = o.source.serverCount;
    this.#seqAtReclaim = o.source.changeSeq;
    this.#lastSeq = o.source.changeSeq;
    this.#counter = o.registry === undefined ? null : new Counter({
      name: RECLAIM_METRIC,
      help: 'Memory reclaims (full garbage collection in the writer and every traffic worker), by reason.',
      labelNames: ['reason'] as const,
      registers: [o.registry],
    });
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.tick(), this.#o.tickMs ?? 1000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One look at the model; reclaims when the policy says so. Returns the reason, or null. */
  tick(): ReclaimReason | null {
    const src = this.#o.source;
    const now = this.#clock();
    const seq = src.changeSeq;
    if (seq !== this.#lastSeq) {
      this.#lastSeq = seq;
      this.#lastChangeAt = now;
    }
    const servers = src.serverCount;
    if (servers > this.#peak) this.#peak = servers;
    const reason = decideReclaim({
      now, servers, peak: this.#peak, zombies: src.zombieCount, changes: seq - this.#seqAtReclaim,
      lastChangeAt: this.#lastChangeAt, lastReclaimAt: this.#lastReclaimAt,
    }, this.#o.policy ?? DEFAULT_RECLAIM_POLICY);
    if (reason === null) return null;
    this.#reclaim(reason, servers, seq);
    return reason;
  }

  #reclaim(reason: ReclaimReason, servers: number, seq: number): void {
    const peak = this.#peak;
    this.#peak = servers;
    this.#seqAtReclaim = seq;
    this.#o.workers?.broadcast({ type: 'reclaim' });
    const ms = (this.#o.collect ?? collectGarbage)();
    this.#lastReclaimAt = this.#clock();
    this.#counter?.inc({ reason });
    this.#o.logger?.info({ module: 'memory', reason, servers, peak, writerGcMs: Math.round(ms) }, 'memory reclaimed');
  }
}
