/**
 * One CLI connection: framing events in, replies out, in command order, one command at a time
 * even when commands are async. No socket here: the server hands it an `io` with write/close.
 *
 * HAProxy's session rules kept:
 * - non-interactive mode: every reply is followed by one empty line, and the connection closes
 *   after the first command that ended a line (`;`-separated commands of that line all run);
 * - `prompt` toggles interactive mode: replies are followed by `\n> ` and nothing closes;
 *   `prompt timed` shows the process uptime in the prompt; `+ ` is printed while a payload is
 *   being collected;
 * - `quit` closes at once; `operator` / `user` lower the session's level;
 * - a command above the session's level answers `Permission denied`.
 */
import type { CommandContext, Level } from './command.ts';
import { levelAllows, type CommandTable } from './command-table.ts';
import { CliFramer, DEFAULT_LIMITS, type FrameEvent, type FramerLimits } from './framer.ts';
import { tokenizeLine } from './tokenizer.ts';
import { usageMessage } from './usage.ts';

export const PERMISSION_DENIED = 'Permission denied\n';
export const INTERNAL_ERROR = 'Internal error.\n';

export interface SessionIO {
  /** Writes reply bytes; a promise when the peer must read before it can take more (backpressure). */
  write(text: string): void | Promise<void>;
  /** Ends the connection after what was written is flushed. */
  close(): void;
  /** Stops / restarts reading from the peer, to bound what a fast sender can queue. */
  pauseInput(): void;
  resumeInput(): void;
  /** A command starts (true) or ends (false): the idle timeout must not cut a long command. */
  busy?(running: boolean): void;
}

export interface SessionLogger {
  warn(obj: object, msg: string): void;
}

export interface SessionOptions {
  readonly commands: CommandTable;
  readonly level: Level;
  readonly io: SessionIO;
  readonly limits?: FramerLimits;
  readonly logger?: SessionLogger;
  /** Process start, for `prompt timed`. */
  readonly startedAt?: number;
}

/** How many parsed events may wait behind a running command before input is paused. */
const MAX_QUEUED_EVENTS = 256;
/** How many pipelined replies may wait for their changes to become visible. */
const MAX_INFLIGHT = 128;
const QUIT = Symbol('quit');

export class CliSession {
  readonly #opts: SessionOptions;
  readonly #framer: CliFramer;
  /** Events waiting to run: `#queue[#head…]`; emptied in place once all ran (no array per read). */
  readonly #queue: FrameEvent[] = [];
  #head = 0;
  readonly #abort = new AbortController();
  #level: Level;
  #prompt = false;
  #timed = false;
  #running = false;
  #paused = false;
  #peerEnded = false;
  #closed = false;
  /** Set once the session decided to close: nothing more runs, pending replies still leave. */
  #closing = false;
  #outbox: Promise<void> = Promise.resolve();
  #inflight = 0;
  #lastWasPipelined = false;
  /** The context of commands without payload at the current level (`#context`). */
  #ctx: CommandContext | null = null;

  constructor(opts: SessionOptions) {
    this.#opts = opts;
    this.#level = opts.level;
    this.#framer = new CliFramer(opts.limits ?? DEFAULT_LIMITS);
  }

  get level(): Level {
    return this.#level;
  }

  /** Aborted when the connection goes away, so long commands can stop early. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes from the peer. */
  push(chunk: Buffer): void {
    if (this.#closed) return;
    this.#framer.push(chunk, this.#queue);
    if (this.#queued() > MAX_QUEUED_EVENTS && !this.#paused) {
      this.#paused = true;
      this.#opts.io.pauseInput();
    }
    void this.#pump();
  }

  /** The peer closed its sending side: finish what is complete, drop the rest, then close. */
  peerEnded(): void {
    this.#peerEnded = true;
    void this.#pump();
  }

  /** The connection is gone (reset, destroyed): stop everything. */
  destroyed(): void {
    this.#closed = true;
    this.#clearQueue();
    this.#abort.abort();
  }

  #pump(): void {
    if (this.#running) return;
    this.#running = true;
    this.#drain();
  }

  /**
   * Runs queued events in order. It stays synchronous (no promise per call: most commands answer
   * at once) until an event must be waited for, then carries on when it settles; `#running`
   * stays set meanwhile, so events are never handled out of order.
   */
  #drain(): void {
    const resume = (): void => this.#drain();
    while (!this.#closed && !this.#closing) {
      const ev = this.#take();
      if (ev === undefined) break;
      const waiting = this.#handle(ev);
      if (waiting !== undefined) {
        void waiting.then(() => this.#afterEvent(), () => this.#afterEvent()).then(resume);
        return;
      }
      this.#afterEvent();
    }
    if (!this.#closed && !this.#closing && this.#peerEnded && this.#queued() === 0) {
      void this.#closeAfterOutput().finally(() => {
        this.#running = false;
      });
      return;
    }
    this.#running = false;
  }

  #queued(): number {
    return this.#queue.length - this.#head;
  }

  #take(): FrameEvent | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const ev = this.#queue[this.#head++];
    if (this.#head === this.#queue.length) this.#clearQueue();
    return ev;
  }

  #clearQueue(): void {
    this.#queue.length = 0;
    this.#head = 0;
  }

  /** Input paused while too many events queued resumes once half of them ran. */
  #afterEvent(): void {
    if (this.#paused && this.#queued() < MAX_QUEUED_EVENTS / 2 && !this.#closed) {
      this.#paused = false;
      this.#opts.io.resumeInput();
    }
  }


  /** Runs one event; a promise when the next one must wait (see the end). */
  #handle(ev: FrameEvent): Promise<void> | undefined {
    if (ev.kind === 'continuation') {
      if (this.#prompt) this.#send('+ ');
      return undefined;
    }
    if (ev.kind === 'fatal') {
      this.#send(ev.message);
      return this.#closeAfterOutput();
    }
    const args = tokenizeLine(ev.line, ev.payloadPattern).args;
    const payload = ev.payload === undefined ? undefined : cString(ev.payload);
    const outcome = this.#execute(args, payload);
    if (outcome === QUIT) return this.#closeAfterOutput();
    // the prompt is the one in force when the command ran, whatever the next commands toggle
    const prompt = this.#promptText();
    if (typeof outcome === 'string') this.#send(outcome + prompt);
    else this.#send(outcome.then((text) => text + prompt));
    if (!this.#prompt && ev.endOfLine) return this.#closeAfterOutput();
    // a command that is not pipelinable finishes (reply written) before the next one starts
    if (typeof outcome !== 'string' && !this.#lastWasPipelined) return this.#outbox;
    if (this.#inflight > MAX_INFLIGHT) return this.#outbox;
    return undefined;
  }

  /** Queues reply bytes behind every earlier reply; replies leave in command order. */
  #send(text: string | Promise<string>): void {
    if (typeof text === 'string' && this.#inflight === 0) {
      // nothing ahead of it: write now; only a peer that does not read makes later replies wait
      const waiting = this.#opts.io.write(text);
      if (waiting !== undefined) this.#enqueue(() => waiting);
      return;
    }
    this.#enqueue(async () => {
      await this.#opts.io.write(await text);
    });
  }

  /** Runs `step` after every earlier one, counting it in flight until it is done. */
  #enqueue(step: () => void | Promise<void>): void {
    this.#inflight++;
    if (this.#inflight === 1) this.#opts.io.busy?.(true);
    this.#outbox = this.#outbox.then(async () => {
      try {
        await step();
      } finally {
        this.#inflight--;
        if (this.#inflight === 0) this.#opts.io.busy?.(false);
      }
    });
  }

  async #closeAfterOutput(): Promise<void> {
    this.#closing = true;
    await this.#outbox;
    this.#close();
  }

  /**
   * Returns the reply text (without the prompt), a promise of it for an asynchronous command,
   * or QUIT. Runs the command's synchronous part now, so state changes keep command order.
   */
  #execute(args: readonly string[], payload: string | undefined): string | Promise<string> | typeof QUIT {
    this.#lastWasPipelined = false;
    const first = args[0];
    if (first === undefined) return '';
    switch (first) {
      case 'help':
        return usageMessage(this.#opts.commands.keywords, args);
      case 'prompt':
        if (args[1] === 'timed') {
          this.#prompt = true;
          this.#timed = !this.#timed;
        } else {
          this.#prompt = !this.#prompt;
        }
        return '';
      case 'quit':
        return QUIT;
      case 'operator':
      case 'user':
        if (!levelAllows(this.#level, first)) return PERMISSION_DENIED;
        this.#level = first;
        return '';
    }
    const spec = this.#opts.commands.find(args);
    if (spec === undefined) return usageMessage(this.#opts.commands.keywords, args);
    if (!levelAllows(this.#level, spec.level)) return PERMISSION_DENIED;
    // one context per level while no payload comes with the command: no object per command
    const ctx = payload === undefined ? this.#context() : { level: this.#level, payload, signal: this.#abort.signal };
    let result: string | Promise<string>;
    try {
      result = spec.run(args, ctx);
    } catch (err) {
      return this.#failed(spec.words, err);
    }
    if (typeof result === 'string') return withFinalNewline(result);
    this.#lastWasPipelined = spec.pipelinable === true;
    return result.then(withFinalNewline, (err: unknown) => this.#failed(spec.words, err));
  }

  #context(): CommandContext {
    const c = this.#ctx;
    if (c !== null && c.level === this.#level) return c;
    return (this.#ctx = { level: this.#level, payload: undefined, signal: this.#abort.signal });
  }

  #failed(words: readonly string[], err: unknown): string {
    this.#opts.logger?.warn({ err, code: 'PXY_ERR_CLI_COMMAND_FAILED', command: words.join(' ') }, 'runtime command failed');
    return INTERNAL_ERROR;
  }

  #promptText(): string {
    if (!this.#prompt) return '\n';
    if (!this.#timed) return '\n> ';
    const up = Math.max(0, Math.floor((Date.now() - (this.#opts.startedAt ?? Date.now())) / 1000));
    const two = (n: number): string => String(n).padStart(2, '0');
    return `\n[${Math.floor(up / 86400)}:${two(Math.floor(up / 3600) % 24)}:${two(Math.floor(up / 60) % 60)}:${two(up % 60)}]> `;
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearQueue();
    this.#opts.io.close();
  }
}

/** HAProxy hands payloads to commands as C strings: nothing after a NUL byte exists. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** HAProxy ends every message with exactly one newline; dumps are written as they are. */
function withFinalNewline(reply: string): string {
  return reply === '' || reply.endsWith('\n') ? reply : `${reply}\n`;
}
