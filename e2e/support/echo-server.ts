// A tiny HTTP backend for e2e tests: answers every request with JSON naming itself and echoing the
// request line, host and headers, so a test can tell which backend served it and what it received.
//
//   node e2e/support/echo-server.ts --name <name> --host <address> --port <port>
import { createServer, type IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';

export interface EchoReply {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly remoteAddress: string;
}

export function echoReply(name: string, req: IncomingMessage): EchoReply {
  return {
    name,
    method: req.method ?? '',
    path: req.url ?? '',
    host: req.headers.host ?? '',
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress ?? '',
  };
}

function main(): void {
  const { values } = parseArgs({
    options: { name: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  const port = Number(values.port);
  if (values.name === undefined || values.host === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write('usage: echo-server.ts --name <name> --host <address> --port <1-65535>\n');
    process.exit(2);
  }
  const name = values.name;
  const server = createServer((req, res) => {
    // Drain the body so keep-alive connections stay usable; its content is not echoed.
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify(echoReply(name, req));
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo-server': name });
      res.end(body);
    });
  });
  server.listen(port, values.host, () => process.stdout.write(`echo-server ${name} listening on ${values.host}:${port}\n`));
  const shutdown = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (import.meta.main) main();
