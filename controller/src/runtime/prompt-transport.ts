/**
 * The runtime CLI over one persistent UNIX-socket connection in HAProxy's interactive (`prompt`)
 * mode: every reply ends with `\n> `, so many lines of `;`-joined commands can be written at once
 * and their replies read back in order (pipelining). Payload commands, whose lines the proxy
 * acknowledges with `+ `, go over a one-shot non-interactive connection instead.
 *
 * The connection is opened on first use, re-opened after the proxy closes it (idle timeout) or
 * after any error; a failure rejects the pending send as retryable.
 */
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import type { Transport } from './client.ts';
import { SocketTransport } from './socket-transport.ts';
import { HawserError } from '../errors.ts';

const PROMPT = '\n> ';

export interface PromptTransportOptions {
  readonly path: string;
  readonly timeoutMs: number;
}

interface Pending {
  readonly count: number;
  readonly resolve: (replies: string[]) => void;
  readonly reject: (e: Error) => void;
}

export class PromptTransport implements Transport {
  /** Lines of commands may be written together: the client can pipeline. */
  readonly multiline = true;
  readonly #o: PromptTransportOptions;
  readonly #oneShot: SocketTransport;
  #socket: Socket | undefined;
  #ready: Promise<Socket> | undefined;
  #buffer = '';
  #replies: string[] = [];
  #queue: Pending[] = [];

  constructor(o: PromptTransportOptions) {
    this.#o = o;
    this.#oneShot = new SocketTransport(o);
  }

  #fail(e: Error): void {
    const queue = this.#queue;
    this.#queue = [];
    this.#replies = [];
    this.#buffer = '';
    this.#socket?.destroy();
    this.#socket = undefined;
    this.#ready = undefined;
    for (const p of queue) p.reject(e);
  }

  #connect(): Promise<Socket> {
    this.#ready ??= new Promise<Socket>((resolve, reject) => {
      const socket = createConnection({ path: this.#o.path });
      let greeted = false;
      socket.setEncoding('utf8');
      socket.on('connect', () => socket.write('prompt\n'));
      socket.on('data', (d: string) => {
        this.#buffer += d;
        if (!greeted) {
          const at = this.#buffer.indexOf('> ');
          if (at < 0) return;
          greeted = true;
          this.#buffer = this.#buffer.slice(at + 2);
          this.#socket = socket;
          resolve(socket);
        }
        this.#drain();
      });
      const lost = (why: string): void => {
        const e = new HawserError('HWS_ERR_RUNTIME_RETRYABLE', `runtime socket ${this.#o.path}: ${why}`);
        if (!greeted) reject(e);
        if (this.#socket === socket || !greeted) this.#fail(e);
      };
      socket.on('error', (e: Error) => lost(e.message));
      socket.on('close', () => lost('connection closed'));
    });
    return this.#ready;
  }

  /** Moves complete replies from the buffer to the waiting sends, oldest first. */
  #drain(): void {
    for (;;) {
      const end = this.#buffer.indexOf(PROMPT);
      if (end < 0) break;
      this.#replies.push(this.#buffer.slice(0, end).replace(/\n+$/, ''));
      this.#buffer = this.#buffer.slice(end + PROMPT.length);
      const head = this.#queue[0];
      if (head !== undefined && this.#replies.length >= head.count) {
        this.#queue.shift();
        head.resolve(this.#replies.splice(0, head.count));
      }
    }
  }

  async send(text: string, commands: number): Promise<string[]> {
    if (/ <<[^\n]{0,7}\n/.test(text)) return this.#oneShot.send(text, commands);
    const socket = await this.#connect();
    return new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(new HawserError('HWS_ERR_RUNTIME_RETRYABLE', `runtime socket ${this.#o.path}: no reply within ${String(this.#o.timeoutMs)} ms`)), this.#o.timeoutMs);
      this.#queue.push({
        count: commands,
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      socket.write(text);
    });
  }

  close(): Promise<void> {
    if (this.#socket !== undefined) {
      this.#socket.end('quit\n');
      this.#socket = undefined;
      this.#ready = undefined;
    }
    return Promise.resolve();
  }
}
