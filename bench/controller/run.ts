/**
 * npm run bench:controller — issue 5 §11: a generated object stream (no network, no API server)
 * of N Ingresses, N Services and 10 endpoints per Service, pushed through the real informer-side
 * conversion and cache, the model builder, the differ and the runtime client into a real
 * proxy-core over its UNIX socket. Reports the initial sync time, RSS of both processes, the
 * EndpointSlice change → runtime command sent latency, and the Ingress change → routable latency
 * (the proxy answers the new host from a real backend).
 *
 *   npm run bench:controller                 # 10 000 Ingresses, 100 000 endpoints
 *   INGRESSES=1000 npm run bench:controller  # smaller
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1EndpointSlice, V1Ingress, V1IngressClass, V1Service } from '@kubernetes/client-node';
import { Cache } from '../../controller/src/kube/cache.ts';
import { convertEndpointSlice, convertIngress, convertIngressClass, convertService } from '../../controller/src/kube/convert.ts';
import { CliRuntimeClient, type Transport } from '../../controller/src/runtime/client.ts';
import { SocketTransport } from '../../controller/src/runtime/socket-transport.ts';
import { SyncLoop, type SyncReport } from '../../controller/src/sync/loop.ts';
import { DEFAULT_MODEL_OPTIONS } from '../../controller/src/model/types.ts';

const N = Number(process.env['INGRESSES'] ?? 10_000);
const PER = Number(process.env['ENDPOINTS_PER_SERVICE'] ?? 10);
const CHANGES = Number(process.env['CHANGES'] ?? 100);
const INGRESS_CHANGES = Number(process.env['INGRESS_CHANGES'] ?? 20);

const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as AddressInfo;
    s.close(() => resolve(port));
  });
});
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** GET with a Host header (fetch() does not let a caller set Host). */
const get = (port: number, host: string): Promise<number> => new Promise((resolve) => {
  const req = httpRequest({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode ?? 0));
  });
  req.on('error', () => resolve(0));
  req.end();
});
let uid = 0;
const meta = (ns: string, name: string): { namespace: string; name: string; uid: string; creationTimestamp: Date } => ({ namespace: ns, name, uid: `00000000-0000-4000-8000-${(++uid).toString(16).padStart(12, '0')}`, creationTimestamp: new Date('2026-01-01T00:00:00Z') });

// A real backend for the "routable" measurement; the other endpoints point at it too, on
// distinct (refused) ports, so their servers exist but carry no traffic.
const backend = createHttpServer((_req, res) => res.end('ok'));
// Every 127.x.y.z address reaches it: the generated endpoints all land here.
await new Promise<void>((r) => backend.listen(0, '0.0.0.0', r));
const backendPort = (backend.address() as AddressInfo).port;

const dir = mkdtempSync(join(tmpdir(), 'hawser-bench-ctl-'));
const sock = join(dir, 'rt.sock');
const httpPort = await freePort();
writeFileSync(join(dir, 'p.cfg'), `global
    stats socket ${sock} mode 600 level admin
    nbthread 1
defaults ingress-defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend http
    bind 127.0.0.1:${String(httpPort)}
    bind 127.0.0.1:${String(await freePort())} ssl crt default.pem crt-list ingress
    route-map ingress
`);
const proxy = spawn(process.execPath, ['bin/hawser-proxy.js', '-f', join(dir, 'p.cfg')], { stdio: 'ignore', env: { ...process.env, HAWSER_ADMIN_PORT: '0', HAWSER_LOG_LEVEL: 'warn' } });
for (let i = 0; i < 300; i++) {
  try {
    readFileSync(sock);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') break;
  }
  await sleep(50);
}
await sleep(500);

// The transport is wrapped to timestamp every line sent: "runtime command sent".
const inner = new SocketTransport({ path: sock, timeoutMs: 120_000 });
let lastSend = { at: 0, text: '' };
const transport: Transport = {
  send: (text, n) => {
    lastSend = { at: performance.now(), text };
    return inner.send(text, n);
  },
  close: () => inner.close(),
};
const client = new CliRuntimeClient(transport, {});
const cache = new Cache();
let reports: SyncReport[] = [];
const loop = new SyncLoop({
  snapshot: () => cache.snapshot(), client, modelOptions: DEFAULT_MODEL_OPTIONS,
  diffOptions: { routeMap: 'ingress', crtList: 'ingress' }, onReport: (r) => reports.push(r),
  onError: (e) => console.error('sync error:', e instanceof Error ? e.message : e),
});

function objects(i: number): { ing: V1Ingress; svc: V1Service; slice: V1EndpointSlice } {
  const ns = `ns${String(i % 100)}`;
  const name = `app${String(i)}`;
  return {
    ing: { metadata: meta(ns, name), spec: { ingressClassName: 'hawser', rules: [{ host: `${name}.bench.example`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] } }] } },
    svc: { metadata: meta(ns, name), spec: { ports: [{ name: 'http', port: 80 }] } },
    slice: {
      metadata: { ...meta(ns, `${name}-1`), labels: { 'kubernetes.io/service-name': name } }, addressType: 'IPv4', ports: [{ name: 'http', port: backendPort }],
      endpoints: Array.from({ length: PER }, (_, k) => ({ addresses: [`127.${String(1 + (k >> 8))}.${String(k & 255)}.1`], conditions: { ready: true }, targetRef: { kind: 'Pod', uid: `pod-${name}-${String(k)}` } })),
    },
  };
}

const cls: V1IngressClass = { metadata: meta('', 'hawser'), spec: { controller: DEFAULT_MODEL_OPTIONS.controllerName } };
const t0 = performance.now();
cache.upsert('IngressClass', convertIngressClass(cls));
const all = Array.from({ length: N }, (_, i) => objects(i));
for (const o of all) {
  cache.upsert('Service', convertService(o.svc));
  cache.upsert('EndpointSlice', convertEndpointSlice(o.slice));
  cache.upsert('Ingress', convertIngress(o.ing));
}
const converted = performance.now() - t0;
loop.start();
while (!loop.ready) await sleep(20);
const initial = performance.now() - t0;
const ctlRss = process.memoryUsage().rss / 1048576;
const proxyRss = rssMiB(proxy.pid ?? 0);

// EndpointSlice change → the runtime line that carries it leaves the controller.
const endpointLatency: number[] = [];
for (let c = 0; c < CHANGES; c++) {
  const o = all[(c * 7919) % N];
  if (o === undefined) continue;
  const eps = o.slice.endpoints ?? [];
  o.slice = { ...o.slice, endpoints: [...eps, { addresses: [`127.200.${String(c >> 8)}.${String(c & 255)}`], conditions: { ready: true }, targetRef: { kind: 'Pod', uid: `extra-${String(c)}` } }] };
  reports = [];
  const start = performance.now();
  loop.notify(cache.upsert('EndpointSlice', convertEndpointSlice(o.slice)));
  while (!lastSend.text.includes('add server') || lastSend.at < start) await sleep(0.2);
  endpointLatency.push(lastSend.at - start);
  while (reports.length === 0) await sleep(1);
}

// Ingress change → the proxy routes the new host to a real backend.
const ingressLatency: number[] = [];
for (let c = 0; c < INGRESS_CHANGES; c++) {
  const o = all[(c * 104729) % N];
  if (o === undefined) continue;
  const host = `new${String(c)}.bench.example`;
  const ing: V1Ingress = { ...o.ing, metadata: meta(o.ing.metadata?.namespace ?? '', `new${String(c)}`), spec: { ingressClassName: 'hawser', rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: o.svc.metadata?.name ?? '', port: { number: 80 } } } }] } }] } };
  const start = performance.now();
  loop.notify(cache.upsert('Ingress', convertIngress(ing)));
  for (;;) {
    if ((await get(httpPort, host)) === 200) break;
    await sleep(2);
  }
  ingressLatency.push(performance.now() - start);
}

const row = (k: string, v: string, target: string): string => `| ${k} | ${v} | ${target} |`;
console.log(`\nController benchmark: ${String(N)} Ingresses, ${String(N)} Services, ${String(N * PER)} endpoints (node ${process.version}, ${new Date().toISOString()})\n`);
console.log('| measure | value | target |');
console.log('|---|---|---|');
console.log(row('objects converted and cached', `${(converted / 1000).toFixed(2)} s`, ''));
console.log(row('initial sync (convert → model → diff → proxy applied)', `${(initial / 1000).toFixed(2)} s`, '≤ 10 s'));
console.log(row('controller RSS after initial sync', `${ctlRss.toFixed(0)} MiB`, '< 1 GB'));
console.log(row('proxy-core RSS (1 worker) after initial sync', `${proxyRss.toFixed(0)} MiB`, ''));
console.log(row(`EndpointSlice change → runtime command sent, p50 / p99 (${String(endpointLatency.length)} changes)`, `${pct(endpointLatency, 50).toFixed(1)} / ${pct(endpointLatency, 99).toFixed(1)} ms`, 'p99 ≤ 50 ms'));
console.log(row(`Ingress change → routable, p50 / p99 (${String(ingressLatency.length)} changes)`, `${pct(ingressLatency, 50).toFixed(0)} / ${pct(ingressLatency, 99).toFixed(0)} ms`, 'p99 ≤ 600 ms'));

await loop.stop();
proxy.kill('SIGTERM');
backend.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
