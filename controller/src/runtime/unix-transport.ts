/**
 * The runtime client's transport over proxy-core's stats socket, in HAProxy's non-interactive
 * mode: one connection per line of commands, the proxy answers every command followed by an
 * empty line and closes. A fresh connection per line keeps the controller free of stale-session
 * state (a proxy restart between two lines costs nothing but one failed connect).
 */
import { createConnection } from 'node:net';
import type { Transport } from './client.ts';

export interface UnixTransportOptions {
  readonly path: string;
  /** Per line, connect to close. */
  readonly timeoutMs?: number;
  /** A reply larger than this is refused (a hostile or broken peer must not exhaust memory). */
  readonly maxReplyBytes?: number;
}

/**
 * Splits a non-interactive reply stream into `n` replies. Each reply is its text (possibly empty)
 * followed by one empty line; replies never contain an empty line themselves.
 */
export function splitReplies(stream: string, n: number): string[] {
  const out: string[] = [];
  let pos = 0;
  for (let k = 0; k < n; k++) {
    if (stream.startsWith('\n', pos)) {
      out.push('');
      pos += 1;
      continue;
    }
    const end = stream.indexOf('\n\n', pos);
    if (end < 0) {
      out.push(stream.slice(pos));
      pos = stream.length;
      continue;
    }
    out.push(stream.slice(pos, end + 1));
    pos = end + 2;
  }
  return out;
}

export class UnixTransport implements Transport {
  private readonly o: Required<UnixTransportOptions>;

  constructor(o: UnixTransportOptions) {
    this.o = { timeoutMs: 30_000, maxReplyBytes: 64 * 1024 * 1024, ...o };
  }

  send(text: string, commands: number): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const sock = createConnection(this.o.path);
      sock.setTimeout(this.o.timeoutMs, () => sock.destroy(new Error(`runtime socket ${this.o.path}: no answer within ${String(this.o.timeoutMs)} ms`)));
      sock.on('data', (b: Buffer) => {
        size += b.length;
        if (size > this.o.maxReplyBytes) sock.destroy(new Error('runtime reply too large'));
        else chunks.push(b);
      });
      sock.on('error', reject);
      sock.on('close', (hadError) => {
        if (!hadError) resolve(splitReplies(Buffer.concat(chunks).toString('utf8'), commands));
      });
      // No half-close: the proxy answers the whole line, then closes the connection itself.
      sock.write(text.endsWith('\n') ? text : `${text}\n`);
    });
  }

  async close(): Promise<void> {
    // Nothing persistent to close.
  }
}
