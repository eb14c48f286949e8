/**
 * Keeps the runtime API's thread polling for a short window after each read instead of letting
 * it sleep in epoll (global `stats busy-poll <time>`, default 200us, 0 turns it off).
 *
 * Why: on a virtual machine an idle vCPU halts, and waking it for the next command costs more than
 * the command itself. Measured here (bench/runtime, sequential `disable`+`del`): 60–70 µs per
 * round trip with the thread sleeping between commands, about 22 µs with it polling; a perf
 * profile of the sleeping case spent 42% of the thread's time in the kernel's task switch and
 * wake-up. HAProxy's global `busy-polling` attacks the same cost by never sleeping; this polls
 * only while a client is talking (at most one window of CPU per read), so an idle controller
 * costs nothing.
 *
 * How: a pending `setImmediate` makes libuv poll with a zero timeout, so the loop keeps turning
 * (timers, I/O, immediates) until the window ends, then sleeps as usual.
 */
/** 200 µs covers a client's turnaround between two commands on this kind of machine (bench/runtime). */
export const DEFAULT_BUSY_POLL_US = 200;

export class BusyPoll {
  readonly #windowMs: number;
  #until = 0;
  #spinning = false;
  #startedAt = 0;
  #spentMs = 0;
  readonly #spin = (): void => {
    const now = performance.now();
    if (now < this.#until) {
      setImmediate(this.#spin);
      return;
    }
    this.#spinning = false;
    this.#spentMs += now - this.#startedAt;
  };

  /** `windowUs` <= 0 disables polling. */
  constructor(windowUs: number) {
    this.#windowMs = windowUs / 1000;
  }

  /** After a read was handled: poll for the next one for a window from now. */
  touch(): void {
    if (this.#windowMs <= 0) return;
    const now = performance.now();
    this.#until = now + this.#windowMs;
    if (this.#spinning) return;
    this.#spinning = true;
    this.#startedAt = now;
    setImmediate(this.#spin);
  }

  /** Ends the current window at the next turn (at shutdown: nothing keeps the loop alive). */
  stop(): void {
    this.#until = 0;
  }

  /** Seconds spent polling so far (`hawser_runtime_busy_poll_seconds_total`). */
  spentSeconds(): number {
    return (this.#spentMs + (this.#spinning ? performance.now() - this.#startedAt : 0)) / 1000;
  }
}
