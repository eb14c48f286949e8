/**
 * Cuts a CLI byte stream into commands the way HAProxy's `cli_snd_buf()` does. Pure: bytes in,
 * events out; the session decides what to run and what to write.
 *
 * - Outside a payload a command ends at the first `\n` or `;` not preceded by a backslash; a
 *   trailing `\r` is removed. Only a `\n` marks the end of a *line*, which matters in
 *   non-interactive mode (the connection closes after the first line).
 * - A command whose last word is `<<` + pattern (0 to 7 chars) opens a payload: following lines
 *   (ended by `\n` only, no escapes, `\r` kept) are collected until a line equal to the pattern
 *   (an empty line for the plain `<<`).
 * - A command line (with its delimiter) must fit in `bufsize - 1` bytes, HAProxy's buffer room;
 *   a payload must fit in `maxPayload` bytes. Either overflow is fatal for the connection.
 * - Input that is still incomplete when the peer closes is dropped, never run.
 */

import { payloadPatternOf } from './tokenizer.ts';

export interface FramerLimits {
  /** HAProxy's tune.bufsize (16384 by default). */
  readonly bufsize: number;
  /** HAProxy 3.4's tune.cli.max-payload-size (131072 by default). */
  readonly maxPayload: number;
}

export const DEFAULT_LIMITS: FramerLimits = { bufsize: 16384, maxPayload: 131072 };

/** HAProxy's reply to a command line that does not fit in the buffer (then it closes). */
export const TOO_BIG_LINE =
  'The command is too big for the buffer size. Please change tune.bufsize in the configuration to use a bigger command.\n';
/** HAProxy 3.4's reply to a payload above tune.cli.max-payload-size (then it closes). */
export const TOO_BIG_PAYLOAD =
  "The payload is too big. Please change 'tune.cli.max-payload-size' in the configuration to use a bigger payload.\n";

export type FrameEvent =
  | {
      readonly kind: 'command';
      /** The raw command line (escapes still in), without delimiter and trailing `\r`. */
      readonly line: string;
      /** The `<<` pattern when the command carries a payload. */
      readonly payloadPattern: string | undefined;
      readonly payload: string | undefined;
      /** True when the command ended with a newline (end of a line), false after `;`. */
      readonly endOfLine: boolean;
    }
  /** A payload is being collected: interactive mode prints `+ ` after each such line. */
  | { readonly kind: 'continuation' }
  | { readonly kind: 'fatal'; readonly message: string };

const LF = 0x0a;
const SEMI = 0x3b;
const BSLASH = 0x5c;
const CR = 0x0d;

export class CliFramer {
  readonly #limits: FramerLimits;
  #pending: Buffer = Buffer.alloc(0);
  /** Where the delimiter scan resumes, so a slow trickle of bytes is not rescanned. */
  #scan = 0;
  #payload: { line: string; pattern: string; endOfLine: boolean; parts: string[]; bytes: number } | undefined;
  #dead = false;

  constructor(limits: FramerLimits = DEFAULT_LIMITS) {
    this.#limits = limits;
  }

  /** Bytes received but not yet part of an event. */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  /** True while a `<<` payload is being collected. */
  get inPayload(): boolean {
    return this.#payload !== undefined;
  }

  /** Feeds bytes; returns the events they complete, in order. After a fatal event, ignores input. */
  /**
   * Frames `chunk`, which is not kept after the call (events carry strings only); the events are
   * appended to `events` (a fresh array when none is given) and returned.
   */
  push(chunk: Buffer, events: FrameEvent[] = []): FrameEvent[] {
    if (this.#dead) return events;
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (!this.#dead) {
      const ev = this.#payload === undefined ? this.#nextCommand() : this.#nextPayloadLine();
      if (ev === undefined) break;
      if (ev !== null) events.push(ev);
    }
    // the caller may reuse `chunk` once this returns (a shared read buffer): keep a copy of the rest
    if (this.#pending.length > 0 && this.#pending.buffer === chunk.buffer) this.#pending = Buffer.from(this.#pending);
    return events;
  }

  /** Returns null when a line was consumed without an event, undefined when more input is needed. */
  #nextCommand(): FrameEvent | null | undefined {
    const buf = this.#pending;
    const room = this.#limits.bufsize - 1;
    let i = this.#scan;
    let delim = -1;
    while (i < buf.length) {
      const b = buf[i];
      if (b === BSLASH) {
        i += 2;
        continue;
      }
      if (b === LF || b === SEMI) {
        delim = i;
        break;
      }
      i++;
    }
    if (delim === -1) {
      if (buf.length >= room) return this.#fatal(TOO_BIG_LINE);
      // an escape as the very last byte must be rescanned together with its successor
      this.#scan = i > buf.length ? buf.length - 1 : buf.length;
      return undefined;
    }
    if (delim + 1 > room) return this.#fatal(TOO_BIG_LINE);
    const endOfLine = buf[delim] === LF;
    let end = delim;
    if (end > 0 && buf[end - 1] === CR) end--;
    const line = buf.toString('utf8', 0, end);
    this.#consume(delim + 1);
    const pattern = payloadPatternOf(line);
    if (pattern !== undefined) {
      this.#payload = { line, pattern, endOfLine, parts: [], bytes: 0 };
      return { kind: 'continuation' };
    }
    return { kind: 'command', line, payloadPattern: undefined, payload: undefined, endOfLine };
  }

  #nextPayloadLine(): FrameEvent | null | undefined {
    const state = this.#payload;
    if (state === undefined) return undefined;
    const buf = this.#pending;
    const lf = buf.indexOf(LF, this.#scan);
    if (lf === -1) {
      if (state.bytes + buf.length > this.#limits.maxPayload) return this.#fatal(TOO_BIG_PAYLOAD);
      this.#scan = buf.length;
      return undefined;
    }
    const text = buf.toString('utf8', 0, lf);
    this.#consume(lf + 1);
    if (text === state.pattern) {
      this.#payload = undefined;
      return {
        kind: 'command',
        line: state.line,
        payloadPattern: state.pattern,
        payload: state.parts.join('\n'),
        // the terminator line always ends with a newline
        endOfLine: true,
      };
    }
    state.bytes += lf + 1;
    if (state.bytes > this.#limits.maxPayload) return this.#fatal(TOO_BIG_PAYLOAD);
    state.parts.push(text);
    return { kind: 'continuation' };
  }

  #consume(n: number): void {
    this.#pending = this.#pending.subarray(n);
    this.#scan = 0;
  }

  #fatal(message: string): FrameEvent {
    this.#dead = true;
    this.#pending = Buffer.alloc(0);
    this.#payload = undefined;
    return { kind: 'fatal', message };
  }
}
