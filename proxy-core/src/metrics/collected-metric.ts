/**
 * A Prometheus metric whose values are read at scrape time from somewhere else (the workers'
 * shared counter blocks), registered in a prom-client Registry like any other metric.
 *
 * prom-client's Counter/Histogram keep their own values; ours live in shared memory written by
 * other threads, so copying them into prom-client objects on every scrape would only add work.
 * The Registry formats any object with `name`, `help`, `type` and `get()`, which is what this is.
 */
import type { Metric, Registry } from 'prom-client';

export interface Sample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  /** For histogram series: `<name>_bucket`, `<name>_sum`, `<name>_count`. */
  readonly metricName?: string;
}

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface CollectedMetricSpec {
  readonly name: string;
  readonly help: string;
  readonly type: MetricKind;
  readonly collect: () => Iterable<Sample>;
}

export function registerCollected(registry: Registry, spec: CollectedMetricSpec): void {
  const metric = {
    name: spec.name,
    help: spec.help,
    type: spec.type,
    aggregator: 'sum' as const,
    get: async () => ({ name: spec.name, help: spec.help, type: spec.type, aggregator: 'sum', values: [...spec.collect()] }),
    reset: () => undefined,
  };
  // The Registry only reads the fields above; the Metric class type also names private fields
  // this duck-typed object cannot have.
  registry.registerMetric(metric as unknown as Metric);
}

/** The samples of one cumulative histogram, Prometheus-shaped. */
export function histogramSamples(name: string, labels: Readonly<Record<string, string>>, bounds: readonly number[], h: { buckets: readonly number[]; sum: number; count: number }): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < h.buckets.length; i++) {
    const le = i < bounds.length ? String(bounds[i]) : '+Inf';
    out.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: h.buckets[i] ?? 0 });
  }
  out.push({ metricName: `${name}_sum`, labels, value: h.sum });
  out.push({ metricName: `${name}_count`, labels, value: h.count });
  return out;
}
