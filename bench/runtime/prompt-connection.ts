/**
 * A persistent interactive (`prompt`) runtime connection for the benchmark: `roundTrip(line, n)`
 * sends one line holding `n` commands and resolves with the `n` replies once `n` prompts came
 * back. Works the same against HAProxy and proxy-core.
 */
import net from 'node:net';

export class PromptConnection {
  readonly #sock: net.Socket;
  #buf = '';
  #want = 0;
  #replies: string[] = [];
  #resolve: ((r: string[]) => void) | undefined;
  #reject: ((e: Error) => void) | undefined;

  private constructor(sock: net.Socket) {
    this.#sock = sock;
    sock.setNoDelay?.(true);
    sock.on('data', (c: Buffer) => this.#onData(c.toString('utf8')));
    sock.on('close', () => this.#reject?.(new Error(`connection closed; pending ${JSON.stringify(this.#buf.slice(0, 200))}`)));
    sock.on('error', (e) => this.#reject?.(e));
  }

  static async open(path: string): Promise<PromptConnection> {
    const sock = net.createConnection({ path });
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    const c = new PromptConnection(sock);
    await c.roundTrip('prompt', 1);
    return c;
  }

  /** Sends `line` (without newline) carrying `count` commands; resolves with their replies. */
  roundTrip(line: string, count: number): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.#want = count;
      this.#replies = [];
      this.#resolve = resolve;
      this.#reject = reject;
      this.#sock.write(`${line}\n`);
    });
  }

  #onData(text: string): void {
    this.#buf += text;
    for (;;) {
      const at = this.#buf.indexOf('\n> ');
      if (at === -1) return;
      this.#replies.push(this.#buf.slice(0, at));
      this.#buf = this.#buf.slice(at + 3);
      if (this.#replies.length === this.#want) {
        const r = this.#replies;
        const done = this.#resolve;
        this.#resolve = undefined;
        this.#reject = undefined;
        this.#want = 0;
        done?.(r);
      }
    }
  }

  close(): void {
    this.#sock.destroy();
  }
}
