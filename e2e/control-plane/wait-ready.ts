// Polling helpers for "is this endpoint up yet", bounded by a deadline.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';

export interface Probe {
  readonly url: string;
  /** PEM of the CA for https URLs. */
  readonly ca?: string;
}

/** One GET; resolves with status and body, or rejects on a connection error or after 2 s. */
export function getOnce(probe: Probe): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(probe.url);
    const options = { method: 'GET', timeout: 2000, ...(probe.ca === undefined ? {} : { ca: probe.ca }) };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 65536) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${probe.url} within 2 s`)));
    req.on('error', reject);
    req.end();
  });
}

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Called before each attempt; a string return aborts the wait with that reason. */
  readonly abortReason?: () => string | undefined;
}

/** Resolves when the probe answers 200 and `accept(body)` holds; rejects at the deadline. */
export async function waitFor200(probe: Probe, options: WaitOptions, accept: (body: string) => boolean = () => true): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no attempt yet';
  while (Date.now() < deadline) {
    const reason = options.abortReason?.();
    if (reason !== undefined) throw new Error(reason);
    try {
      const { status, body } = await getOnce(probe);
      if (status === 200 && accept(body)) return;
      last = `HTTP ${status}: ${body.slice(0, 300)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${probe.url} was not ready within ${options.timeoutMs} ms (last: ${last})`);
}

/** A loopback port that was free a moment ago (the caller retries if it is taken meanwhile). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a loopback listener'));
      });
    });
  });
}
