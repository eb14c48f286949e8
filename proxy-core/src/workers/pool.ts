/**
 * The traffic workers as seen from the writer thread: spawns them, fans every batch of change
 * records out to all of them in order, and resolves `publish()` only when every live worker has
 * applied the batch. That barrier is what lets a runtime reply promise "visible everywhere".
 *
 * A worker that dies is replaced; the replacement first receives `snapshot()` (the whole current
 * state as records), so it never serves a state older than the last acknowledged one.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ChangeRecord, FromWorker, ToWorker, WorkerInit } from './protocol.ts';
import type { CountersInit } from '../stats/counters.ts';
import { WORKER_YOUNG_GENERATION_MB } from '../memory/worker-heap.ts';

export interface WorkerPoolOptions {
  readonly size: number;
  readonly planeModule: string;
  readonly counters: CountersInit;
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * The whole current state as records, for a worker that (re)starts: the first record must make
   * the plane drop what it holds (records queued before the snapshot may already have been
   * applied), and the last must carry the newest `seq` published so far.
   */
  readonly snapshot: () => readonly ChangeRecord[];
  readonly logger: Logger;
  /** Called for every worker restart and record failure, for metrics. */
  readonly onEvent?: (event: 'restart' | 'apply-error', reason: string) => void;
  /** Messages a plane posts of its own (e.g. passive health observations). */
  readonly onReport?: (message: unknown) => void;
}

interface Slot {
  worker: Worker;
  acked: number;
  live: boolean;
}

const WORKER_ENTRY = new URL('./worker-main.ts', import.meta.url);

export class WorkerPool {
  private readonly opts: WorkerPoolOptions;
  private readonly slots: Slot[] = [];
  private waiters: { seq: number; resolve: () => void }[] = [];
  private lastSeq = -1;
  private stopping = false;

  constructor(opts: WorkerPoolOptions) {
    this.opts = opts;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Spawns every worker and waits until each has loaded its plane. */
  async start(): Promise<void> {
    const ready: Promise<void>[] = [];
    for (let i = 0; i < this.opts.size; i++) ready.push(this.spawn(i, false));
    await Promise.all(ready);
  }

  /**
   * Sends records to every worker; resolves once all live workers applied them.
   * Precondition: `seq` values are strictly increasing across calls.
   */
  publish(records: readonly ChangeRecord[]): Promise<void> {
    const last = records.at(-1);
    if (last === undefined) return Promise.resolve();
    this.lastSeq = last.seq;
    const msg: ToWorker = { type: 'records', records };
    for (const s of this.slots) if (s.live) s.worker.postMessage(msg);
    return new Promise((resolve) => {
      this.waiters.push({ seq: last.seq, resolve });
      this.settle();
    });
  }

  /** Sends a message that needs no answer (e.g. `reclaim`) to every live worker. */
  post(message: ToWorker): void {
    for (const s of this.slots) if (s.live) s.worker.postMessage(message);
  }

  /** Soft stop: every worker stops accepting, drains within `graceMs`, then exits. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map((s) => new Promise<void>((resolve) => {
      if (!s.live) return resolve();
      const hard = setTimeout(() => void s.worker.terminate(), graceMs + 1000);
      s.worker.once('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      s.worker.postMessage({ type: 'stop', graceMs } satisfies ToWorker);
    })));
  }

  private spawn(index: number, restart: boolean): Promise<void> {
    const init: WorkerInit = { index, planeModule: this.opts.planeModule, counters: this.opts.counters, options: this.opts.options ?? {} };
    const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
    const worker = new Worker(WORKER_ENTRY, { workerData: init, name: `hawser-worker-${index}`, resourceLimits });
    const slot: Slot = { worker, acked: restart ? -1 : this.lastSeq, live: true };
    this.slots[index] = slot;
    const log = this.opts.logger;
    return new Promise((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          if (restart) {
            const snap = this.opts.snapshot();
            slot.acked = -1;
            if (snap.length > 0) worker.postMessage({ type: 'records', records: snap } satisfies ToWorker);
            else slot.acked = this.lastSeq;
          }
          resolve();
        } else if (m.type === 'ack') {
          slot.acked = Math.max(slot.acked, m.seq);
          this.settle();
        } else if (m.type === 'error') {
          log.error({ worker: index, seq: m.seq, err: m.message }, 'worker failed to apply a record');
          this.opts.onEvent?.('apply-error', 'apply');
        } else {
          this.opts.onReport?.(m);
        }
      });
      worker.on('error', (err) => {
        log.error({ worker: index, err }, 'worker crashed');
        reject(err);
      });
      worker.on('exit', (code) => {
        slot.live = false;
        this.settle();
        if (this.stopping || this.slots[index] !== slot) return;
        log.error({ worker: index, code }, 'worker exited; starting a replacement');
        this.opts.onEvent?.('restart', 'exit');
        setTimeout(() => void this.spawn(index, true).catch(() => undefined), 100).unref();
      });
    });
  }

  /** Resolves the waiters whose records every live worker has applied. */
  private settle(): void {
    let min = Infinity;
    for (const s of this.slots) if (s.live) min = Math.min(min, s.acked);
    if (this.waiters.length === 0) return;
    const keep: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.seq <= min) w.resolve();
      else keep.push(w);
    }
    this.waiters = keep;
  }
}
