/**
 * One coarse clock and one timeout sweeper per worker. Sessions store a deadline (a number) instead
 * of arming a timer per request or per read: re-arming is a field store, and a single interval
 * expires whatever is past due. Resolution is the tick (100 ms), which is far below any HTTP timeout.
 */

/** Something with a deadline; 0 means none. */
export interface Expirable {
  deadline: number;
  /** Called once the deadline passed; the object re-arms or leaves the sweeper itself. */
  expire(now: number): void;
}

const TICK_MS = 100;

export class Sweeper {
  /** Milliseconds, refreshed every tick; what sessions add their timeouts to. */
  now = Date.now();
  private readonly items = new Set<Expirable>();
  private timer: NodeJS.Timeout | null = null;

  add(item: Expirable): void {
    this.items.add(item);
    if (this.timer === null) {
      this.now = Date.now();
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    }
  }

  delete(item: Expirable): void {
    this.items.delete(item);
  }

  get size(): number {
    return this.items.size;
  }

  /** Every tracked item (for soft stop). */
  values(): IterableIterator<Expirable> {
    return this.items.values();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const now = (this.now = Date.now());
    for (const item of this.items) {
      const d = item.deadline;
      if (d !== 0 && d <= now) item.expire(now);
    }
  }
}
