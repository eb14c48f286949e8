/**
 * Test helpers: talk to a runtime socket the way socat does. Not used in production.
 */
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Sends `input`, half-closes, and returns everything received until the server closes. */
export function exchange(socketPath: string, input: string | Buffer, opts: { halfClose?: boolean; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = net.createConnection({ path: socketPath, allowHalfOpen: true });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no close within ${opts.timeoutMs ?? 5000} ms; got ${JSON.stringify(Buffer.concat(chunks).toString())}`));
    }, opts.timeoutMs ?? 5000);
    sock.on('connect', () => {
      sock.write(input);
      if (opts.halfClose ?? false) sock.end();
    });
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', () => undefined);
    const done = (): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    sock.on('end', done);
    sock.on('close', done);
  });
}

/** An interactive (`prompt`) connection: `send` resolves with the reply up to the next prompt. */
export class PromptClient {
  readonly #sock: net.Socket;
  #buf = '';
  #waiter: (() => void) | undefined;
  #closed = false;

  private constructor(sock: net.Socket) {
    this.#sock = sock;
    sock.on('data', (c: Buffer) => {
      this.#buf += c.toString('utf8');
      this.#waiter?.();
    });
    sock.on('close', () => {
      this.#closed = true;
      this.#waiter?.();
    });
    sock.on('error', () => undefined);
  }

  static async open(socketPath: string): Promise<PromptClient> {
    const sock = net.createConnection({ path: socketPath });
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    const client = new PromptClient(sock);
    const first = await client.send('prompt\n');
    if (first !== '') throw new Error(`unexpected answer to prompt: ${JSON.stringify(first)}`);
    return client;
  }

  /** Writes `text` and waits until `count` prompts arrived; returns the replies joined, prompts removed. */
  async send(text: string, count = 1): Promise<string> {
    this.#sock.write(text);
    return this.read(count);
  }

  async read(count = 1): Promise<string> {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      for (;;) {
        const at = this.#buf.indexOf('\n> ');
        if (at !== -1) {
          out.push(this.#buf.slice(0, at));
          this.#buf = this.#buf.slice(at + 3);
          break;
        }
        if (this.#closed) throw new Error(`closed; pending ${JSON.stringify(this.#buf)}`);
        await new Promise<void>((resolve) => (this.#waiter = resolve));
        this.#waiter = undefined;
      }
    }
    return out.join('');
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#sock.destroy();
  }
}

/** A fresh temp dir for sockets; `cleanup` removes it. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
