/**
 * proxy-core's metrics: per frontend, backend and server traffic read from the shared counter
 * blocks, server states and health from the model, and the runtime API's command counter.
 * Labels carry names and GUIDs only (never paths or hosts), so cardinality is bounded by the
 * number of configured objects.
 */
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { F, LATENCY_BUCKETS, type SharedCounters } from '../stats/counters.ts';
import { histogramSamples, registerCollected, type Sample } from './collected-metric.ts';

export type ServerStateName = 'ready' | 'drain' | 'maint' | 'down';

export interface MeteredProxy {
  readonly kind: 'frontend' | 'backend';
  readonly name: string;
  readonly guid: string;
  readonly slot: number;
}

export interface MeteredServer {
  readonly backend: string;
  readonly name: string;
  readonly guid: string;
  readonly slot: number;
  readonly state: ServerStateName;
  /** Last health check result: true passed, false failed, null no check running. */
  readonly checkPassed: boolean | null;
}

export interface MetricsSource {
  proxies(): Iterable<MeteredProxy>;
  servers(): Iterable<MeteredServer>;
}

export interface ProxyMetrics {
  readonly registry: Registry;
  readonly runtimeCommands: Counter<'command' | 'result'>;
  readonly workerEvents: Counter<'event' | 'reason'>;
  readonly fallbacks: Counter<'reason'>;
}

const CLASSES: readonly [string, number][] = [['1xx', F.RESP_1XX], ['2xx', F.RESP_2XX], ['3xx', F.RESP_3XX], ['4xx', F.RESP_4XX], ['5xx', F.RESP_5XX], ['other', F.RESP_OTHER]];
const STATES: readonly ServerStateName[] = ['ready', 'drain', 'maint', 'down'];

export function createProxyMetrics(counters: SharedCounters, source: MetricsSource): ProxyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hawser_proxy_' });

  const runtimeCommands = new Counter({
    name: 'hawser_runtime_commands_total',
    help: 'Runtime API commands by command keyword and result (ok, error, denied).',
    labelNames: ['command', 'result'] as const,
    registers: [registry],
  });
  const workerEvents = new Counter({
    name: 'hawser_worker_events_total',
    help: 'Traffic worker restarts, record failures and picks the writer stopped waiting for, by reason: every fallback is counted.',
    labelNames: ['event', 'reason'] as const,
    registers: [registry],
  });

  const fallbacks = new Counter({
    name: 'hawser_proxy_fallbacks_total',
    help: 'Fallbacks the proxy took instead of failing (e.g. a self-signed stand-in default certificate), by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });

  const proxyLabels = (p: MeteredProxy): Record<string, string> => ({ [p.kind]: p.name, guid: p.guid });
  const serverLabels = (s: MeteredServer): Record<string, string> => ({ backend: s.backend, server: s.name, guid: s.guid });

  // Literal names (not built from the kind) so that a search for a metric finds its definition.
  const PROXY_NAMES = {
    frontend: { responses: 'hawser_frontend_http_responses_total', bytesIn: 'hawser_frontend_bytes_in_total', bytesOut: 'hawser_frontend_bytes_out_total', current: 'hawser_frontend_current_sessions', total: 'hawser_frontend_sessions_total' },
    backend: { responses: 'hawser_backend_http_responses_total', bytesIn: 'hawser_backend_bytes_in_total', bytesOut: 'hawser_backend_bytes_out_total', current: 'hawser_backend_current_sessions', total: 'hawser_backend_sessions_total' },
  } as const;
  for (const kind of ['frontend', 'backend'] as const) {
    const names = PROXY_NAMES[kind];
    const each = function* (): Iterable<MeteredProxy> {
      for (const p of source.proxies()) if (p.kind === kind) yield p;
    };
    registerCollected(registry, {
      name: names.responses, type: 'counter',
      help: `HTTP responses sent per ${kind}, by status class.`,
      collect: () => byClass(counters, each(), proxyLabels),
    });
    perField(registry, counters, names.bytesIn, 'counter', `Bytes received from clients per ${kind}.`, F.BYTES_IN, each, proxyLabels);
    perField(registry, counters, names.bytesOut, 'counter', `Bytes sent to clients per ${kind}.`, F.BYTES_OUT, each, proxyLabels);
    perField(registry, counters, names.current, 'gauge', `Connections open now per ${kind}.`, F.CONN_CUR, each, proxyLabels);
    perField(registry, counters, names.total, 'counter', `Connections accepted or opened per ${kind}.`, F.CONN_TOTAL, each, proxyLabels);
  }

  registerCollected(registry, {
    name: 'hawser_server_http_responses_total', type: 'counter',
    help: 'HTTP responses received per server, by status class.',
    collect: () => byClass(counters, source.servers(), serverLabels),
  });
  const servers = (): Iterable<MeteredServer> => source.servers();
  perField(registry, counters, 'hawser_server_current_sessions', 'gauge', 'Upstream connections open now per server, idle pooled ones included.', F.CONN_CUR, servers, serverLabels);
  perField(registry, counters, 'hawser_server_idle_connections', 'gauge', 'Idle keep-alive connections pooled per server.', F.CONN_IDLE, servers, serverLabels);
  perField(registry, counters, 'hawser_server_bytes_in_total', 'counter', 'Bytes sent to the server (request side).', F.BYTES_IN, servers, serverLabels);
  perField(registry, counters, 'hawser_server_bytes_out_total', 'counter', 'Bytes received from the server (response side).', F.BYTES_OUT, servers, serverLabels);
  perField(registry, counters, 'hawser_server_connect_errors_total', 'counter', 'Failed connection attempts per server.', F.CONNECT_ERRORS, servers, serverLabels);
  perField(registry, counters, 'hawser_server_response_errors_total', 'counter', 'Responses that failed after the connection was made (reset, timeout, bad response).', F.RESPONSE_ERRORS, servers, serverLabels);
  perField(registry, counters, 'hawser_server_retries_total', 'counter', 'Requests retried on the same server.', F.RETRIES, servers, serverLabels);
  perField(registry, counters, 'hawser_server_redispatches_total', 'counter', 'Requests redispatched to another server.', F.REDISPATCHES, servers, serverLabels);
  for (const [name, first, help] of [
    ['hawser_server_connect_seconds', F.CONNECT_HIST, 'Time to open an upstream connection.'],
    ['hawser_server_response_seconds', F.RESPONSE_HIST, 'Time from sending the request to the first response byte.'],
  ] as const) {
    registerCollected(registry, {
      name, type: 'histogram', help,
      collect: function* () {
        for (const s of source.servers()) yield* histogramSamples(name, serverLabels(s), LATENCY_BUCKETS, counters.histogram(s.slot, first));
      },
    });
  }

  registerCollected(registry, {
    name: 'hawser_server_state', type: 'gauge',
    help: 'Server state: 1 for the state the server is in (ready, drain, maint, down), 0 for the others.',
    collect: function* () {
      for (const s of source.servers()) for (const st of STATES) yield { labels: { ...serverLabels(s), state: st }, value: s.state === st ? 1 : 0 };
    },
  });
  registerCollected(registry, {
    name: 'hawser_server_check_up', type: 'gauge',
    help: 'Last health check result per server with checks running: 1 passed, 0 failed.',
    collect: function* () {
      for (const s of source.servers()) if (s.checkPassed !== null) yield { labels: serverLabels(s), value: s.checkPassed ? 1 : 0 };
    },
  });
  registerCollected(registry, {
    name: 'hawser_backend_servers', type: 'gauge',
    help: 'Servers per backend and state.',
    collect: () => {
      const count = new Map<string, number>();
      for (const s of source.servers()) {
        const k = `${s.backend}\u0000${s.state}`;
        count.set(k, (count.get(k) ?? 0) + 1);
      }
      const out: Sample[] = [];
      for (const p of source.proxies()) {
        if (p.kind !== 'backend') continue;
        for (const st of STATES) out.push({ labels: { backend: p.name, state: st }, value: count.get(`${p.name}\u0000${st}`) ?? 0 });
      }
      return out;
    },
  });

  return { registry, runtimeCommands, workerEvents, fallbacks };
}

function* byClass<T extends { slot: number }>(counters: SharedCounters, objects: Iterable<T>, labels: (o: T) => Record<string, string>): Iterable<Sample> {
  for (const o of objects) {
    const l = labels(o);
    for (const [code, field] of CLASSES) yield { labels: { ...l, code }, value: counters.sum(o.slot, field) };
  }
}

function perField<T extends { slot: number }>(registry: Registry, counters: SharedCounters, name: string, type: 'counter' | 'gauge', help: string, field: number, objects: () => Iterable<T>, labels: (o: T) => Record<string, string>): void {
  registerCollected(registry, {
    name, type, help,
    collect: function* () {
      for (const o of objects()) yield { labels: labels(o), value: counters.sum(o.slot, field) };
    },
  });
}
