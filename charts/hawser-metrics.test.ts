// The dashboard and the alerts query only metrics of the contract in charts/hawser/metrics.json,
// with labels those metrics carry (or that Prometheus adds to every target), so a renamed metric
// or label cannot leave a blank panel or an alert that never fires.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartDir, helmBinary, template } from './helm.ts';
import { one } from './rendered-objects.ts';

interface MetricSpec {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  labels: string[];
  exporter: 'proxy' | 'controller';
  help: string;
}

const contract = (JSON.parse(readFileSync(join(chartDir, 'metrics.json'), 'utf8')) as { metrics: MetricSpec[] }).metrics;
/** Labels Prometheus (through prometheus-operator) attaches to every scraped series. */
const targetLabels = ['namespace', 'pod', 'container', 'job', 'instance', 'service', 'endpoint'];

/** The contract metric a series name belongs to (histograms expose _bucket, _sum and _count). */
function metricOf(series: string): MetricSpec | undefined {
  const exact = contract.find((m) => m.name === series);
  if (exact !== undefined) return exact;
  const base = series.replace(/_(bucket|sum|count)$/, '');
  return contract.find((m) => m.name === base && m.type === 'histogram');
}

/** Series names, and every label name a query or template text mentions. */
function references(text: string): { series: string[]; labels: string[] } {
  const series = [...text.matchAll(/\b(hawser_[a-z0-9_]+)/g)].map((m) => m[1] ?? '');
  const labels: string[] = [];
  for (const selector of text.matchAll(/hawser_[a-z0-9_]+\s*\{([^}]*)\}/g)) {
    for (const matcher of (selector[1] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) labels.push(matcher[1] ?? '');
  }
  for (const grouping of text.matchAll(/\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g)) {
    labels.push(...(grouping[1] ?? '').split(',').map((l) => l.trim()).filter((l) => l !== ''));
  }
  for (const legend of text.matchAll(/\{\{\s*\$?(?:labels\.)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)) labels.push(legend[1] ?? '');
  return { series, labels };
}

interface Query {
  where: string;
  text: string;
}

function dashboardQueries(): Query[] {
  const dashboard = JSON.parse(readFileSync(join(chartDir, 'dashboards', 'hawser.json'), 'utf8')) as {
    panels: { title: string; targets: { expr: string; legendFormat: string }[] }[];
    templating: { list: { name: string; definition?: string }[] };
  };
  const queries = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: `panel "${p.title}"`, text: `${t.expr}\n${t.legendFormat}` })));
  for (const variable of dashboard.templating.list) {
    if (variable.definition !== undefined) queries.push({ where: `variable ${variable.name}`, text: variable.definition });
  }
  return queries;
}

function alertQueries(): Query[] {
  const objects = template({ metrics: { prometheusRule: { enabled: true } } });
  const spec = one(objects, 'PrometheusRule')['spec'] as { groups: { rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[] };
  return spec.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, text: `${r.expr}\n${Object.values(r.annotations).join('\n')}` })));
}

describe('charts/hawser metrics contract (metrics.json)', function () {
  let queries: Query[] = [];
  before(function () {
    this.timeout(20 * 60_000);
    helmBinary();
    queries = [...dashboardQueries(), ...alertQueries()];
  });

  it('names each metric once, in Prometheus style with the hawser_ prefix', function () {
    const names = contract.map((m) => m.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const m of contract) {
      expect(m.name).to.match(/^hawser_[a-z0-9_]+$/);
      if (m.type === 'counter') expect(m.name, m.name).to.match(/_total$/);
      if (m.type === 'histogram') expect(m.name, m.name).to.match(/_seconds$/);
      expect(m.help.length, m.name).to.be.above(20);
    }
  });

  it('queries only metrics of the contract', function () {
    const unknown = queries.flatMap((q) => references(q.text).series.filter((s) => metricOf(s) === undefined).map((s) => `${q.where}: ${s}`));
    expect(unknown).to.deep.equal([]);
  });

  it('groups and filters only by labels the queried metrics carry', function () {
    const wrong: string[] = [];
    for (const q of queries) {
      const { series, labels } = references(q.text);
      const allowed = new Set([...targetLabels, 'le', ...series.flatMap((s) => metricOf(s)?.labels ?? [])]);
      for (const label of labels) if (!allowed.has(label)) wrong.push(`${q.where}: ${label}`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it('uses every metric of the contract in the dashboard or an alert', function () {
    const used = new Set(queries.flatMap((q) => references(q.text).series.map((s) => metricOf(s)?.name)));
    expect(contract.map((m) => m.name).filter((n) => !used.has(n))).to.deep.equal([]);
  });

  it('alerts on no ready server, sync errors, expiring certificates and no leader', function () {
    const alerts = queries.filter((q) => q.where.startsWith('alert ')).map((q) => q.where);
    expect(alerts).to.include.members(['alert HawserBackendNoReadyServers', 'alert HawserSyncErrors', 'alert HawserCertificateExpiringSoon', 'alert HawserControllerNotLeading']);
  });
});
