/**
 * The runtime CLI over a UNIX socket, in HAProxy's non-interactive mode: one connection per
 * batch; the proxy answers each command with its reply and one empty line, then closes after the
 * line's last command. Replies are split on that framing; a single command takes the whole output
 * (show replies may be long, never with an empty line inside).
 */
import { createConnection } from 'node:net';
import type { Transport } from './client.ts';
import { HawserError } from '../errors.ts';

export interface SocketTransportOptions {
  readonly path: string;
  /** Abandon a batch after this long (a `wait … srv-removable` counts towards it). */
  readonly timeoutMs: number;
}

/** Splits the non-interactive output of `commands` commands. Exported for tests. */
export function splitReplies(output: string, commands: number): string[] {
  if (commands === 1) return [output.replace(/\n+$/, '')];
  const replies: string[] = [];
  let rest = output;
  for (let k = 0; k < commands; k++) {
    if (rest.startsWith('\n')) {
      replies.push('');
      rest = rest.slice(1);
      continue;
    }
    const end = rest.indexOf('\n\n');
    if (end < 0) throw new HawserError('HWS_ERR_RUNTIME_UNEXPECTED_REPLY', `expected ${String(commands)} replies, the output ended after ${String(k)}`);
    replies.push(rest.slice(0, end));
    rest = rest.slice(end + 2);
  }
  return replies;
}

export class SocketTransport implements Transport {
  readonly #o: SocketTransportOptions;
  constructor(o: SocketTransportOptions) { this.#o = o; }

  send(text: string, commands: number): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = createConnection({ path: this.#o.path });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new HawserError('HWS_ERR_RUNTIME_RETRYABLE', `runtime socket ${this.#o.path}: no reply within ${String(this.#o.timeoutMs)} ms`));
      }, this.#o.timeoutMs);
      socket.on('connect', () => socket.write(text));
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('error', (e: Error) => {
        clearTimeout(timer);
        reject(new HawserError('HWS_ERR_RUNTIME_RETRYABLE', `runtime socket ${this.#o.path}: ${e.message}`));
      });
      socket.on('close', (hadError: boolean) => {
        clearTimeout(timer);
        if (hadError) return;
        try {
          resolve(splitReplies(Buffer.concat(chunks).toString('utf8'), commands));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
  }

  close(): Promise<void> { return Promise.resolve(); }
}
