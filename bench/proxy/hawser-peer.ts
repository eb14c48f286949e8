/**
 * Hawser's data plane as a proxy-peers benchmark peer: `--port P --upstream http://host:port
 * [--workers N]`. It runs the real plane in N worker threads (default 1) with routing (a route
 * map with a catch-all entry and a default backend), balancing (roundrobin over one server),
 * counters and the metrics registry on, access logs off. SIGTERM soft-stops.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startAdminServer } from '../../proxy-core/src/admin/server.ts';
import { createProxyMetrics } from '../../proxy-core/src/metrics/proxy-metrics.ts';
import type { PlaneRecord } from '../../proxy-core/src/dataplane/records.ts';
import { SharedCounters } from '../../proxy-core/src/stats/counters.ts';
import { WorkerPool } from '../../proxy-core/src/workers/pool.ts';
import type { ChangeRecord } from '../../proxy-core/src/workers/protocol.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env['PORT'] ?? '8090' },
    upstream: { type: 'string', default: process.env['UPSTREAM_URL'] ?? 'http://127.0.0.1:19000' },
    workers: { type: 'string', default: '1' },
    'admin-port': { type: 'string', default: '0' },
  },
});
const port = Number(values.port);
const workers = Number(values.workers);
const up = new URL(values.upstream);

const counters = new SharedCounters(workers, 64);
const fe = counters.alloc();
const be = counters.alloc();
const srv = counters.alloc();
let seq = 0;
type Body = PlaneRecord extends infer R ? R extends unknown ? Omit<R, 'seq'> : never : never;
const bodies: Body[] = [
  {
    kind: 'backend.add', name: 'bench', guid: 'bench-backend', mode: 'http', balance: { algo: 'roundrobin', hdrName: null },
    timeouts: { connect: 5000, server: 30000, tunnel: 30000 }, retries: 3, redispatch: true, poolMaxIdle: 256, counterSlot: be, published: true,
  },
  {
    kind: 'server.add', key: 1, backend: 'bench', name: 'up1', guid: 'bench-up1', host: up.hostname, port: Number(up.port),
    weight: 1, admin: 'ready', health: 'up', maxconn: 0, counterSlot: srv,
  },
  { kind: 'map.replace', map: 'ingress', entries: [{ key: 'prefix:*/', value: 'bench bench-route' }] },
  {
    kind: 'frontend.add', name: 'http', guid: 'bench-frontend', mode: 'http', binds: [{ host: '127.0.0.1', port, ssl: null }],
    routeMap: 'ingress', defaultBackend: 'bench', timeouts: { client: 30000, httpRequest: 10000, httpKeepAlive: 30000 },
    forwarded: 'append', accessLog: false, counterSlot: fe,
  },
];
const records: ChangeRecord[] = bodies.map((r) => ({ ...r, seq: ++seq }) as ChangeRecord);

const logger = pino({ level: 'warn' });
const pool = new WorkerPool({
  size: workers,
  planeModule: new URL('../../proxy-core/src/dataplane/plane.ts', import.meta.url).href,
  counters: counters.init(),
  snapshot: () => [{ seq, kind: 'reset' }, ...records],
  logger,
});
await pool.start();
await pool.publish(records);

const metrics = createProxyMetrics(counters, {
  proxies: () => [
    { kind: 'frontend', name: 'http', guid: 'bench-frontend', slot: fe },
    { kind: 'backend', name: 'bench', guid: 'bench-backend', slot: be },
  ],
  servers: () => [{ backend: 'bench', name: 'up1', guid: 'bench-up1', slot: srv, state: 'ready', checkPassed: null }],
});
const admin = await startAdminServer({ host: '127.0.0.1', port: Number(values['admin-port']), registry: metrics.registry, notReadyReason: () => null });
logger.warn({ port, workers, upstream: values.upstream }, 'hawser bench peer ready');

let stopping = false;
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void pool.stop(2000).then(() => admin.close()).then(() => process.exit(0));
  });
}
