/**
 * Serves a FakeProxy on a UNIX socket with HAProxy's framing: non-interactive by default (each
 * reply then an empty line, close after the first line), interactive after `prompt` (each reply
 * then `\n> `, pipelined lines welcome, `quit` closes). For tests of the transports and the binary.
 */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import type { FakeProxy } from './fake-proxy.ts';

export function serveFakeProxy(path: string, proxy: FakeProxy): Server {
  return createServer((c) => {
    let input = '';
    let prompt = false;
    c.setEncoding('utf8');
    c.on('data', (d: string) => {
      input += d;
      if (!prompt && input.startsWith('prompt\n')) {
        prompt = true;
        input = input.slice('prompt\n'.length);
        c.write('\n> ');
      }
      if (!prompt) {
        if (!(/ <<\n/.test(input) ? input.endsWith('\n\n') : input.endsWith('\n'))) return;
        c.end(proxy.handle(input).map((r) => (r === '' ? '\n' : `${r}\n\n`)).join(''));
        return;
      }
      const nl = input.lastIndexOf('\n');
      if (nl < 0) return;
      const chunk = input.slice(0, nl + 1);
      input = input.slice(nl + 1);
      if (chunk.startsWith('quit\n')) {
        c.end();
        return;
      }
      c.write(proxy.handle(chunk).map((r) => `${r === '' ? '' : `${r}\n`}\n> `).join(''));
    });
  }).listen(path);
}
