/**
 * `npm run bench:controller` (issue 5 §11): a generated object stream, no network but the runtime
 * socket, through the real handlers (convert → cache → sync loop), model builder, differ and
 * runtime client, against a real proxy-core process (bin/hawser-proxy.js).
 *
 * Measures: initial sync (first object in → first full sync applied), RSS of both processes,
 * EndpointSlice change → its `add server` written to the socket (p50/p99), Ingress change → its
 * route map committed (p50/p99, holdoff included).
 *
 * Sizes: BENCH_INGRESSES (10000), BENCH_SERVICES (10000), BENCH_ENDPOINTS (100000),
 * BENCH_ENDPOINT_SAMPLES (200), BENCH_INGRESS_SAMPLES (30). Writes bench/controller/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1EndpointSlice, V1Ingress, V1Service } from '@kubernetes/client-node';
import { Cache } from '../controller/src/kube/cache.ts';
import { convertEndpointSlice, convertIngress, convertIngressClass, convertService } from '../controller/src/kube/convert.ts';
import { CliRuntimeClient } from '../controller/src/runtime/client.ts';
import type { Transport } from '../controller/src/runtime/client.ts';
import { PromptTransport } from '../controller/src/runtime/prompt-transport.ts';
import { SyncLoop } from '../controller/src/sync/loop.ts';
import type { SyncReport } from '../controller/src/sync/loop.ts';
import { DEFAULT_MODEL_OPTIONS } from '../controller/src/model/types.ts';

const INGRESSES = Number(process.env.BENCH_INGRESSES ?? 10_000);
const SERVICES = Number(process.env.BENCH_SERVICES ?? 10_000);
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 100_000);
const EP_SAMPLES = Number(process.env.BENCH_ENDPOINT_SAMPLES ?? 200);
const ING_SAMPLES = Number(process.env.BENCH_INGRESS_SAMPLES ?? 30);
const PER_SERVICE = Math.max(1, Math.floor(ENDPOINTS / SERVICES));

function uid(kind: string, n: number): string {
  const h = (n >>> 0).toString(16).padStart(12, '0');
  const k = { s: '1', e: '2', i: '3', p: '4' }[kind] ?? '9';
  return `0000000${k}-0000-4000-8000-${h}`;
}

const ns = (i: number): string => `ns-${String(i % 100)}`;
const ip = (n: number): string => `10.${String((n >> 16) & 255)}.${String((n >> 8) & 255)}.${String(n & 255)}`;

function service(i: number): V1Service {
  return { metadata: { namespace: ns(i), name: `svc-${String(i)}`, uid: uid('s', i), creationTimestamp: new Date(0) }, spec: { ports: [{ name: 'http', port: 80 }] } };
}

function slice(i: number, extra = 0): V1EndpointSlice {
  const endpoints = [];
  for (let k = 0; k < PER_SERVICE + extra; k++) {
    const n = i * (PER_SERVICE + 50) + k;
    endpoints.push({ addresses: [ip(n)], conditions: { ready: true }, targetRef: { kind: 'Pod', uid: uid('p', n) } });
  }
  return {
    metadata: { namespace: ns(i), name: `svc-${String(i)}-x`, uid: uid('e', i), labels: { 'kubernetes.io/service-name': `svc-${String(i)}` } },
    addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints,
  };
}

function ingress(i: number, svc: number): V1Ingress {
  return {
    metadata: { namespace: ns(svc), name: `ing-${String(i)}`, uid: uid('i', i), creationTimestamp: new Date(0) },
    spec: { ingressClassName: 'hawser', rules: [{ host: `h${String(i)}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: `svc-${String(svc)}`, port: { number: 80 } } } }] } }] },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
  });
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
  return m === null ? 0 : Number(m[1]) * 1024;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

/** Records when each text leaves for the socket. */
class TimedTransport implements Transport {
  readonly inner: Transport;
  readonly multiline: boolean;
  watch: { needle: string; resolve: (t: number) => void } | undefined;
  constructor(inner: Transport) { this.inner = inner; this.multiline = inner.multiline === true; }
  send(text: string, commands: number): Promise<string[]> {
    if (this.watch !== undefined && text.includes(this.watch.needle)) {
      this.watch.resolve(performance.now());
      this.watch = undefined;
    }
    return this.inner.send(text, commands);
  }
  close(): Promise<void> { return this.inner.close(); }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hawser-bench-ctl-'));
  const sock = join(dir, 'rt.sock');
  writeFileSync(join(dir, 'p.cfg'), `global\n    stats socket ${sock} mode 600 level admin\n\ndefaults ingress-defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nfrontend http\n    bind 127.0.0.1:${String(await freePort())}\n    bind 127.0.0.1:${String(await freePort())} ssl crt default.pem crt-list ingress\n    route-map ingress\n`);
  const proxy = spawn(process.execPath, ['bin/hawser-proxy.js', '-f', join(dir, 'p.cfg')], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 600 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
    const transport = new TimedTransport(new PromptTransport({ path: sock, timeoutMs: 120_000 }));
    const client = new CliRuntimeClient(transport);
    const cache = new Cache();
    const reports: { at: number; r: SyncReport }[] = [];
    const loop = new SyncLoop({
      snapshot: () => cache.snapshot(), dirtyServices: () => cache.takeDirtyServices(),
    endpointInputs: (s) => cache.endpointInputs(s), client, modelOptions: DEFAULT_MODEL_OPTIONS, diffOptions: { routeMap: 'ingress', crtList: 'ingress' },
      onReport: (r) => reports.push({ at: performance.now(), r }),
      onError: (e) => process.stderr.write(`sync error: ${e instanceof Error ? e.message : String(e)}\n`),
    });

    process.stderr.write(`feeding ${String(INGRESSES)} Ingresses, ${String(SERVICES)} Services, ${String(SERVICES * PER_SERVICE)} endpoints\n`);
    const t0 = performance.now();
    cache.upsert('IngressClass', convertIngressClass({ metadata: { name: 'hawser', uid: uid('s', 9_999_999) }, spec: { controller: 'hawser.dev/ingress-controller' } }));
    for (let i = 0; i < INGRESSES; i++) loop.notify(cache.upsert('Ingress', convertIngress(ingress(i, i % SERVICES))));
    for (let i = 0; i < SERVICES; i++) loop.notify(cache.upsert('Service', convertService(service(i))));
    for (let i = 0; i < SERVICES; i++) loop.notify(cache.upsert('EndpointSlice', convertEndpointSlice(slice(i))));
    const fed = performance.now();
    loop.start();
    while (!loop.ready) await new Promise((r) => setTimeout(r, 20));
    await loop.idle();
    const synced = performance.now();
    const first = reports[0]?.r;
    const rssController = process.memoryUsage().rss;
    const rssProxy = rssOf(proxy.pid ?? 0);
    process.stderr.write(`initial sync ${((synced - t0) / 1000).toFixed(2)} s (${String(first?.commands ?? 0)} commands)\n`);

    const epLatency: number[] = [];
    for (let s = 0; s < EP_SAMPLES; s++) {
      const i = (s * 7919) % SERVICES;
      const extra = 1 + Math.floor(s / SERVICES);
      const n = i * (PER_SERVICE + 50) + PER_SERVICE + extra - 1;
      const sent = new Promise<number>((resolve) => { transport.watch = { needle: `add server ${ns(i)}_svc-${String(i)}_80/${uid('p', n)}_8080`, resolve }; });
      const start = performance.now();
      loop.notify(cache.upsert('EndpointSlice', convertEndpointSlice(slice(i, extra))));
      epLatency.push((await sent) - start);
      await loop.idle();
    }

    const ingLatency: number[] = [];
    for (let s = 0; s < ING_SAMPLES; s++) {
      const before = reports.length;
      const start = performance.now();
      loop.notify(cache.upsert('Ingress', convertIngress(ingress(INGRESSES + s, s % SERVICES))));
      while (reports.length === before || reports[reports.length - 1]?.r.kind !== 'full') await new Promise((r) => setTimeout(r, 2));
      ingLatency.push((reports[reports.length - 1]?.at ?? start) - start);
      await loop.idle();
    }
    await loop.stop();
    await client.close();

    const ms = (x: number): string => `${x.toFixed(1)} ms`;
    const table = [
      `| measure | value | target |`,
      `|---|---|---|`,
      `| objects | ${String(INGRESSES)} Ingresses, ${String(SERVICES)} Services, ${String(SERVICES * PER_SERVICE)} endpoints | 10 000 / 10 000 / 100 000 |`,
      `| feeding the cache (convert + upsert) | ${ms(fed - t0)} | |`,
      `| initial sync (first object → first full sync applied) | ${((synced - t0) / 1000).toFixed(2)} s, ${String(first?.commands ?? 0)} commands | ≤ 10 s |`,
      `| RSS controller / proxy-core | ${(rssController / 2 ** 20).toFixed(0)} MiB / ${(rssProxy / 2 ** 20).toFixed(0)} MiB | < 1 GB |`,
      `| EndpointSlice change → add server sent, p50 / p99 (${String(EP_SAMPLES)}) | ${ms(pct(epLatency, 50))} / ${ms(pct(epLatency, 99))} | p99 ≤ 50 ms |`,
      `| Ingress change → route map committed, p50 / p99 (${String(ING_SAMPLES)}, holdoff 100 ms included) | ${ms(pct(ingLatency, 50))} / ${ms(pct(ingLatency, 99))} | p99 ≤ 600 ms |`,
    ].join('\n');
    const out = `# bench:controller\n\nMachine: ${String((await import('node:os')).cpus().length)} cores (shared), Node ${process.version}, run ${new Date().toISOString()}.\n\n${table}\n`;
    mkdirSync('bench/controller', { recursive: true });
    writeFileSync('bench/controller/RESULTS.md', out);
    process.stdout.write(`${out}\n`);
  } finally {
    proxy.kill('SIGTERM');
    await new Promise((r) => proxy.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
