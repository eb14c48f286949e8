/**
 * The traffic workers as seen from the writer thread: spawns them and delivers every batch of
 * change records to each of them, in order, through the shared record ring (record-ring.ts).
 *
 * Delivery (docs/design.md "Delivery"): `post()` returns true as soon as the batch is in the ring.
 * That is already enough for "visible everywhere": a worker applies every frame written before it
 * reads its tables (worker-main.ts, `PlaneGate`), so no request routed after `post()` returned
 * can see the old state. When the ring is full (workers far behind) batches queue here and
 * `onDelivered` fires once they are in. Batches whose effect needs the worker's event loop
 * (listener binds, certificates) go through `publish()`: they travel on each worker's inbox port
 * (a ring frame says so), every worker acknowledges them, and the promise resolves then.
 *
 * Workers read the ring on their own when they route traffic; idle ones are woken by a timer, by
 * a filling ring, or by a batch to acknowledge, never once per command.
 *
 * A worker that dies is replaced; the replacement first receives `snapshot()` (the whole current
 * state as records) and then the frames written after it, so it never serves a state older than
 * the writer's.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ChangeRecord, FromWorker, RecordBatch, ToWorker, WorkerInit } from './protocol.ts';
import { RingWriter, type RingFrame } from './record-ring.ts';
import type { CountersInit } from '../stats/counters.ts';
import { WORKER_YOUNG_GENERATION_MB } from '../memory/worker-heap.ts';

export interface WorkerPoolOptions {
  readonly size: number;
  readonly planeModule: string;
  readonly counters: CountersInit;
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * The whole current state as records, for a worker that (re)starts: the first record must make
   * the plane drop what it holds, and the last must carry the newest `seq` published so far.
   */
  readonly snapshot: () => readonly ChangeRecord[];
  readonly logger: Logger;
  /** Called for every worker restart and record failure, for metrics. */
  readonly onEvent?: (event: WorkerEvent, reason: string) => void;
  /** Messages a plane posts of its own (e.g. passive health observations). */
  readonly onReport?: (message: unknown) => void;
  /** Bytes of the record ring (default 8 MiB). */
  readonly ringBytes?: number;
}

/** `pick-wait`: `quiesce()` gave up on a worker that stayed inside a pick (descheduled). */
export type WorkerEvent = 'restart' | 'apply-error' | 'pick-wait';

interface Slot {
  readonly index: number;
  readonly worker: Worker;
  readonly inbox: MessagePort;
  /** Highest seq the worker acknowledged by message (ack batches only). */
  acked: number;
  live: boolean;
  /** False until the worker reads the ring (a replacement: until it got its snapshot). */
  receiving: boolean;
}

/** A batch waiting for ring space, in order. */
interface Outgoing {
  readonly batch: RecordBatch;
  /** Called once the batch is in the ring. */
  delivered?: () => void;
}

const WORKER_ENTRY = new URL('./worker-main.ts', import.meta.url);
/** How long `quiesce()` lets a worker finish a pick before giving up (it was descheduled). */
const PICK_SPIN_LIMIT_MS = 50;
/**
 * Idle workers are woken this long after the first frame they were not woken for. Waking them
 * sooner costs every runtime client latency (their CPU time competes with the writer's) and buys
 * nothing: a worker reads the ring before it routes anyway.
 */
const WAKE_AFTER_MS = 250;
const DEFAULT_RING_BYTES = 8 << 20;

/**
 * A route map change rebuilds the map's lookup table (hundreds of milliseconds for 100 000
 * routes): workers are woken at once to build it in the background rather than in the first
 * request that reads the ring after it. Map changes come one commit at a time, not in floods.
 */
function isHeavy(r: ChangeRecord): boolean {
  return r.kind.startsWith('map.');
}

/** The ring frame telling these workers that their next batch waits on their inbox port. */
function portMarker(targets: readonly { readonly index: number }[]): string {
  return JSON.stringify({ port: targets.map((s) => s.index) } satisfies RingFrame);
}

export class WorkerPool {
  private readonly opts: WorkerPoolOptions;
  private readonly slots: Slot[] = [];
  readonly ring: RingWriter;
  private readonly queue: Outgoing[] = [];
  private wakeTimer: ReturnType<typeof setTimeout> | null = null;
  /** The workers were woken because the ring passed a quarter full; not again until it drains. */
  private nudged = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private waiters: { seq: number; resolve: () => void }[] = [];
  private lastSeq = -1;
  private stopping = false;

  constructor(opts: WorkerPoolOptions) {
    this.opts = opts;
    this.ring = new RingWriter(opts.size, opts.ringBytes ?? DEFAULT_RING_BYTES);
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
   * Delivers records to every worker. `true`: in the ring now, so every later read in every
   * worker sees them. Otherwise they queue behind a full ring and the promise resolves once they
   * are in. Precondition: `seq` values are strictly increasing across calls.
   */
  post(records: readonly ChangeRecord[]): true | Promise<void> {
    const item = this.send(records, false);
    if (item === null) return true;
    return new Promise((resolve) => {
      item.delivered = resolve;
    });
  }

  /** Delivers records and resolves once every live worker has fully applied them (acked). */
  publish(records: readonly ChangeRecord[]): Promise<void> {
    const last = records.at(-1);
    if (last === undefined) return Promise.resolve();
    this.send(records, true);
    return new Promise((resolve) => {
      this.waiters.push({ seq: last.seq, resolve });
      this.settle();
    });
  }

  /** The highest seq every live worker has applied (read from the ring's cells). */
  appliedSeq(): number {
    let min = this.lastSeq;
    for (const s of this.slots) {
      if (!s.live) continue;
      const a = s.receiving ? this.ring.applied(s.index) : -1;
      if (a < min) min = a;
    }
    return min;
  }

  /**
   * Waits (spinning: picks take microseconds) until no worker is inside a pick. Afterwards every
   * pick made before is counted in the shared counters and every later pick sees every change
   * posted before this call. False if a worker stayed inside a pick for too long.
   */
  quiesce(): boolean {
    let deadline = 0;
    for (const s of this.slots) {
      if (!s.live) continue;
      while (this.ring.isPicking(s.index)) {
        const now = performance.now();
        if (deadline === 0) deadline = now + PICK_SPIN_LIMIT_MS;
        else if (now > deadline) {
          this.opts.onEvent?.('pick-wait', 'timeout');
          return false;
        }
      }
    }
    return true;
  }

  /** Sends a control message that needs no answer (e.g. `reclaim`) to every live worker. */
  broadcast(message: ToWorker): void {
    for (const s of this.slots) if (s.live) s.worker.postMessage(message);
  }

  /** Soft stop: every worker stops accepting, drains within `graceMs`, then exits. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.wakeTimer !== null) clearTimeout(this.wakeTimer);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
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

  /** Null when delivered now, else the queued item. */
  private send(records: readonly ChangeRecord[], ack: boolean): Outgoing | null {
    const last = records.at(-1);
    if (last === undefined) return null;
    this.lastSeq = last.seq;
    const item: Outgoing = { batch: { records, ack } };
    if (this.queue.length === 0 && this.deliver(item)) return null;
    this.queue.push(item);
    this.scheduleRetry();
    return item;
  }

  /** Puts one batch in the ring (or on the ports, announced in the ring); false if no room. */
  private deliver(item: Outgoing): boolean {
    if (!this.slots.some((s) => s.live && s.receiving)) return true;
    if (!item.batch.ack) {
      const put = this.ring.putRecords(item.batch.records);
      if (put === 'full') return false;
      if (put === 'ok') {
        if (item.batch.records.some(isHeavy)) this.ring.wake();
        else this.wakeSoon();
        return true;
      }
    }
    const targets = this.slots.filter((s) => s.live && s.receiving);
    const marker = portMarker(targets);
    if (this.ring.used + Buffer.byteLength(marker) + 8 > this.ring.capacity / 2) return false;
    this.sendByPort(targets, item.batch, marker);
    return true;
  }

  /**
   * Posts `batch` to each target's inbox, then announces it in the ring with `marker` and wakes
   * the workers. Precondition: the ring has room for the marker.
   */
  private sendByPort(targets: readonly Slot[], batch: RecordBatch, marker: string): void {
    // the port messages go first: a worker that reads the marker takes its message at once
    for (const s of targets) s.inbox.postMessage(batch);
    this.ring.put(marker);
    this.ring.wake();
  }

  /** Wakes idle workers a little later, once per burst, so the ring does not fill up. */
  private wakeSoon(): void {
    if (this.ring.usedAtMost > this.ring.capacity / 4 && this.ring.used > this.ring.capacity / 4) {
      // once per crossing: a futex call per frame while the workers catch up would cost more
      if (!this.nudged) this.ring.wake();
      this.nudged = true;
      return;
    }
    this.nudged = false;
    if (this.wakeTimer !== null) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.ring.wake();
    }, WAKE_AFTER_MS);
    this.wakeTimer.unref();
  }

  /** Retries queued batches once workers made room; wakes them so they do. */
  private scheduleRetry(): void {
    if (this.retryTimer !== null) return;
    this.ring.wake();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      while (this.queue.length > 0) {
        const item = this.queue[0] as Outgoing;
        if (!this.deliver(item)) break;
        this.queue.shift();
        item.delivered?.();
      }
      if (this.queue.length > 0) this.scheduleRetry();
    }, 1);
  }

  private spawn(index: number, restart: boolean): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    this.ring.reset(index);
    const init: WorkerInit = {
      index, planeModule: this.opts.planeModule, counters: this.opts.counters, ring: this.ring.buffer,
      inbox: port2, options: this.opts.options ?? {},
    };
    const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
    const worker = new Worker(WORKER_ENTRY, { workerData: init, transferList: [port2], name: `hawser-worker-${index}`, resourceLimits });
    const slot: Slot = { index, worker, inbox: port1, acked: restart ? -1 : this.lastSeq, live: true, receiving: false };
    this.slots[index] = slot;
    const log = this.opts.logger;
    return new Promise((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          if (restart) this.admitReplacement(slot);
          else {
            this.ring.start(index);
            slot.receiving = true;
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
        this.ring.stop(index);
        slot.inbox.close();
        this.settle();
        if (this.stopping || this.slots[index] !== slot) return;
        log.error({ worker: index, code }, 'worker exited; starting a replacement');
        this.opts.onEvent?.('restart', 'exit');
        setTimeout(() => void this.spawn(index, true).catch(() => undefined), 100).unref();
      });
    });
  }

  /**
   * Lets a replacement worker read the ring, starting with the whole state on its port (announced
   * by the first frame it reads), so no record older than its snapshot reaches it. Waits while
   * batches queue for ring space: they are older than a snapshot taken now.
   */
  private admitReplacement(slot: Slot): void {
    if (this.stopping || !slot.live) return;
    const marker = portMarker([slot]);
    if (this.queue.length > 0 || this.ring.used + Buffer.byteLength(marker) + 8 > this.ring.capacity) {
      setTimeout(() => this.admitReplacement(slot), 1).unref();
      return;
    }
    const snap = this.opts.snapshot();
    this.ring.start(slot.index);
    slot.receiving = true;
    const last = snap.at(-1);
    if (last === undefined) {
      slot.acked = this.lastSeq;
      return;
    }
    this.lastSeq = Math.max(this.lastSeq, last.seq);
    this.sendByPort([slot], { records: snap, ack: true }, marker);
  }

  /**
   * Resolves the waiters whose records every live worker has applied. An ack message covers
   * every earlier seq too (a worker applies in order), so a worker counts as far as the higher of
   * its last ack and its applied cell, except for a batch that is still waiting on async work.
   */
  private settle(): void {
    if (this.waiters.length === 0) return;
    let min = Infinity;
    for (const s of this.slots) if (s.live) min = Math.min(min, s.acked);
    const keep: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.seq <= min) w.resolve();
      else keep.push(w);
    }
    this.waiters = keep;
  }
}
