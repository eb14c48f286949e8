/**
 * The controller's metrics (prom-client, its own registry). Names are the contract the chart's
 * dashboard and alerts are checked against (charts/hawser/metrics.json).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ControllerMetrics {
  readonly registry: Registry;
  readonly syncRuns: Counter<'lane' | 'result'>;
  readonly syncErrors: Counter<'reason'>;
  readonly reconcileSeconds: Histogram<'lane'>;
  readonly commandsSent: Counter<'lane'>;
  readonly invalidObjects: Gauge<'reason'>;
  readonly apiErrors: Counter<'kind' | 'reason'>;
  readonly leader: Gauge;
  readonly certificateExpiry: Gauge<'secret'>;
  readonly eventsFailed: Counter;
}

export function createControllerMetrics(): ControllerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hawser_controller_' });
  const r = [registry];
  return {
    registry,
    syncRuns: new Counter({ name: 'hawser_sync_runs_total', help: 'Sync runs by lane (full, endpoints) and result (ok, retry, error).', labelNames: ['lane', 'result'] as const, registers: r }),
    syncErrors: new Counter({ name: 'hawser_sync_errors_total', help: 'Sync runs that did not complete, by reason (a catalogue code or "unreachable").', labelNames: ['reason'] as const, registers: r }),
    reconcileSeconds: new Histogram({ name: 'hawser_reconcile_duration_seconds', help: 'Time of one sync run, from snapshot to the last runtime reply.', labelNames: ['lane'] as const, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: r }),
    commandsSent: new Counter({ name: 'hawser_sync_commands_total', help: 'Runtime commands the differ produced, by lane.', labelNames: ['lane'] as const, registers: r }),
    invalidObjects: new Gauge({ name: 'hawser_controller_invalid_objects', help: 'Objects (or parts) the last build rejected or skipped, by reason (catalogue code).', labelNames: ['reason'] as const, registers: r }),
    apiErrors: new Counter({ name: 'hawser_kube_api_errors_total', help: 'Kubernetes API list/watch failures by kind and reason (list, watch, gone, decode).', labelNames: ['kind', 'reason'] as const, registers: r }),
    leader: new Gauge({ name: 'hawser_leader', help: '1 while this controller holds the leader lease (it writes Ingress status), else 0.', registers: r }),
    certificateExpiry: new Gauge({ name: 'hawser_certificate_expiry_timestamp_seconds', help: 'notAfter of each TLS Secret in use, as a Unix timestamp.', labelNames: ['secret'] as const, registers: r }),
    eventsFailed: new Counter({ name: 'hawser_events_failed_total', help: 'Kubernetes Events that could not be recorded.', registers: r }),
  };
}
