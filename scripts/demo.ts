/**
 * npm start: the quick-start demo with no cluster. Starts three local echo backends, proxy-core
 * on examples/demo/hawser.cfg and the controller reading examples/demo/manifests (the same code
 * path as with a cluster, from the source on), then prints what to try. Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const demo = join(root, 'examples/demo');
mkdirSync(join(demo, '.run'), { recursive: true });

const backends = [['web-blue', 18081], ['web-green', 18082], ['api-1', 18083]] as const;
for (const [name, port] of backends) {
  createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`${name} answered ${req.method ?? ''} ${req.url ?? ''} for host ${req.headers.host ?? ''}\n`);
  }).listen(port, '127.0.0.1');
}

const children: ChildProcess[] = [];
function run(args: string[], env: Record<string, string>): ChildProcess {
  const c = spawn(process.execPath, args, { cwd: demo, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  children.push(c);
  c.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`demo: ${args[0] ?? ''} exited (${String(code ?? signal)}); stopping\n`);
      stop();
    }
  });
  return c;
}

const logLevel = process.env['HAWSER_LOG_LEVEL'] ?? 'warn';
run([join(root, 'bin/hawser-proxy.js'), '-f', 'hawser.cfg'], { HAWSER_ADMIN_PORT: '8404', HAWSER_ADMIN_ADDRESS: '127.0.0.1', HAWSER_LOG_LEVEL: logLevel });
run([join(root, 'bin/hawser-controller.js'), '--manifests', 'manifests', '--runtime-socket', '.run/hawser.sock', '--admin-address', '127.0.0.1', '--admin-port', '10254', '--log-level', logLevel], {});

function status(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))))).then(() => process.exit(0), () => process.exit(1));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

for (let i = 0; i < 600 && !stopping; i++) {
  if ((await status(10254, '/readyz')) === 200) break;
  await new Promise((r) => setTimeout(r, 100));
}
if (!stopping) {
  process.stdout.write(`
Hawser is running: proxy-core on :8080 (HTTP) and :8443 (HTTPS), the controller reading
examples/demo/manifests (edit them: changes apply within ~100 ms, nothing reloads).

  curl -H 'Host: demo.localhost' http://127.0.0.1:8080/        # round robin: web-blue, web-green
  curl -H 'Host: demo.localhost' http://127.0.0.1:8080/api/x   # the api Service
  curl -H 'Host: nope.localhost' http://127.0.0.1:8080/        # 404: no route
  curl -k --resolve demo.localhost:8443:127.0.0.1 https://demo.localhost:8443/   # default certificate
  curl http://127.0.0.1:8404/metrics | grep ^hawser_           # proxy metrics
  curl http://127.0.0.1:10254/metrics | grep ^hawser_          # controller metrics
  printf 'show servers state\\n' | socat - UNIX-CONNECT:examples/demo/.run/hawser.sock

Ctrl-C stops everything.
`);
}
