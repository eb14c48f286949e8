/**
 * Batches change notifications into sync runs, as Contour's holdoff does: a run starts
 * `holdoffMs` after the last change, but never later than `maxDelayMs` after the first change of
 * the batch, so a steady stream of changes cannot starve the proxy of updates. Endpoint-only
 * batches take the fast lane (`fastHoldoffMs`): they do not rebuild routes, so there is no reason
 * to wait for more. Runs never overlap; changes that arrive during a run form the next batch.
 */

export type ChangeClass = 'routes' | 'endpoints';

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface CoalescerOptions {
  readonly holdoffMs?: number;
  readonly maxDelayMs?: number;
  readonly fastHoldoffMs?: number;
  readonly timers?: Timers;
  /** One sync run; receives which classes of change the batch holds. Must not throw. */
  readonly run: (classes: ReadonlySet<ChangeClass>) => Promise<void>;
}

export class Coalescer {
  private readonly holdoff: number;
  private readonly maxDelay: number;
  private readonly fastHoldoff: number;
  private readonly timers: Timers;
  private readonly runFn: (classes: ReadonlySet<ChangeClass>) => Promise<void>;
  private pending = new Set<ChangeClass>();
  private firstAt = 0;
  private timer: unknown = null;
  private running: Promise<void> | null = null;

  constructor(o: CoalescerOptions) {
    this.holdoff = o.holdoffMs ?? 100;
    this.maxDelay = o.maxDelayMs ?? 500;
    this.fastHoldoff = o.fastHoldoffMs ?? 5;
    this.timers = o.timers ?? realTimers;
    this.runFn = o.run;
  }

  /** Notes a change; schedules a run. */
  notify(c: ChangeClass): void {
    if (this.pending.size === 0) this.firstAt = this.timers.now();
    this.pending.add(c);
    if (this.running === null) this.schedule();
  }

  /** Resolves when nothing is pending or running (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running !== null || this.pending.size > 0) {
      if (this.running !== null) await this.running;
      else await new Promise((r) => this.timers.setTimeout(() => r(undefined), 1));
    }
  }

  private schedule(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    const wait = this.pending.has('routes') ? this.holdoff : this.fastHoldoff;
    const deadline = this.firstAt + this.maxDelay;
    const delay = Math.max(0, Math.min(wait, deadline - this.timers.now()));
    this.timer = this.timers.setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = null;
    const batch = this.pending;
    this.pending = new Set();
    this.running = this.runFn(batch).finally(() => {
      this.running = null;
      if (this.pending.size > 0) this.schedule();
    });
  }
}
