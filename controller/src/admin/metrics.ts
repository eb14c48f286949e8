/**
 * The controller's Prometheus metrics (prom-client, own registry). `updates_total{type}` has no
 * `full`/reload type because nothing ever reloads: every change is `dynamic` or a `noop`.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SyncReport } from '../sync/loop.ts';
import type { Cache, Kind } from '../kube/cache.ts';

export class ControllerMetrics {
  readonly registry = new Registry();
  readonly updates = new Counter({ name: 'hawser_controller_updates_total', help: 'Sync runs by outcome: noop (nothing sent) or dynamic (runtime commands sent).', labelNames: ['type'], registers: [this.registry] });
  readonly syncDuration = new Histogram({ name: 'hawser_controller_sync_duration_seconds', help: 'Duration of a sync run, from snapshot to last reply.', labelNames: ['kind'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry] });
  readonly commands = new Counter({ name: 'hawser_controller_runtime_commands_total', help: 'Runtime commands by result.', labelNames: ['result'], registers: [this.registry] });
  readonly watched = new Gauge({ name: 'hawser_controller_watched_objects', help: 'Objects held in the cache, by kind.', labelNames: ['kind'], registers: [this.registry] });
  readonly invalid = new Gauge({ name: 'hawser_controller_invalid_objects', help: 'Problems found in the last full build, by reason (Event reason).', labelNames: ['reason'], registers: [this.registry] });
  readonly leader = new Gauge({ name: 'hawser_controller_leader', help: '1 while this replica holds the status-writer lease.', registers: [this.registry] });
  readonly certExpiry = new Gauge({ name: 'hawser_controller_ssl_certificate_expiry_timestamp_seconds', help: 'notAfter of each referenced TLS Secret, as a Unix timestamp.', labelNames: ['namespace', 'secret'], registers: [this.registry] });
  readonly errors = new Counter({ name: 'hawser_controller_errors_total', help: 'Errors by area (sync, watch, status, events, election).', labelNames: ['area'], registers: [this.registry] });

  constructor() {
    for (const type of ['noop', 'dynamic']) this.updates.inc({ type }, 0);
    this.leader.set(0);
  }

  record(report: SyncReport, reasonOf: (code: string) => string): void {
    this.updates.inc({ type: report.type });
    this.syncDuration.observe({ kind: report.kind }, report.durationMs / 1000);
    for (const o of report.execution?.outcomes ?? []) this.commands.inc({ result: o.status });
    if (report.build !== undefined) {
      this.invalid.reset();
      for (const w of report.build.warnings) this.invalid.inc({ reason: reasonOf(w.code) });
    }
  }

  observeCache(cache: Cache): void {
    for (const kind of ['IngressClass', 'Ingress', 'Service', 'EndpointSlice', 'Secret'] as Kind[]) this.watched.set({ kind }, cache.size(kind));
    this.certExpiry.reset();
    for (const s of cache.snapshot().secrets) {
      if (s.certificate?.ok === true) this.certExpiry.set({ namespace: s.meta.namespace, secret: s.meta.name }, Date.parse(s.certificate.notAfter) / 1000);
    }
  }
}
