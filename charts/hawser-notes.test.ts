// NOTES.txt, which helm prints only on install: rendered here through a copy of the chart that
// wraps it in a template (helm template leaves NOTES out), so its commands can be checked.
import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { chartDir, helmBinary, kubeVersion, runHelm } from './helm.ts';

/** The install notes for `values`, as helm would print them for release "web" in "edge". */
function notes(values: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'hawser-notes-'));
  try {
    const chart = join(dir, 'hawser');
    cpSync(chartDir, chart, { recursive: true });
    const text = readFileSync(join(chart, 'templates', 'NOTES.txt'), 'utf8');
    rmSync(join(chart, 'templates', 'NOTES.txt'));
    writeFileSync(join(chart, 'templates', '_notes.tpl'), `{{- define "test.notes" -}}\n${text}{{- end -}}\n`);
    writeFileSync(join(chart, 'templates', 'notes.yaml'), 'notes: {{ include "test.notes" . | toJson }}\n');
    writeFileSync(join(dir, 'values.json'), JSON.stringify(values));
    const result = runHelm(['template', 'web', chart, '--namespace', 'edge', '--kube-version', kubeVersion, '--values', join(dir, 'values.json'), '--show-only', 'templates/notes.yaml']);
    if (!result.ok) throw new Error(result.stderr);
    return (parse(result.stdout) as { notes: string }).notes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('charts/hawser NOTES.txt', function () {
  before(function () {
    this.timeout(20 * 60_000);
    helmBinary();
  });

  it('tells how to find the load balancer, the Lease and the metrics with the defaults', function () {
    const text = notes({});
    expect(text).to.include('Hawser 0.1.0 is installed as Deployment web-hawser in namespace edge.');
    expect(text).to.include('Ingresses with `spec.ingressClassName: hawser` are served.');
    expect(text).to.include('kubectl --namespace edge get service web-hawser --output wide --watch');
    expect(text).to.include('kubectl --namespace edge get lease web-hawser-leader');
    expect(text).to.include('kubectl --namespace edge port-forward deployment/web-hawser 8404 10254');
    expect(text).to.include('curl -s http://127.0.0.1:8404/metrics | grep ^hawser_');
    expect(text).to.include('set metrics.enabled=true and metrics.serviceMonitor.enabled=true');
  });

  it('follows the kind, the Service type, the scope and the ServiceMonitor', function () {
    const text = notes({ controller: { kind: 'DaemonSet', scope: { namespaces: ['a', 'b'] } }, service: { type: 'ClusterIP' }, metrics: { enabled: true, serviceMonitor: { enabled: true } } });
    expect(text).to.include('installed as DaemonSet web-hawser');
    expect(text).to.include('Watched namespaces: a, b.');
    expect(text).to.include('kubectl --namespace edge port-forward service/web-hawser 8080:80');
    expect(text).to.include('kubectl --namespace edge port-forward daemonset/web-hawser 8404 10254');
    expect(text).to.include('Prometheus scrapes them through ServiceMonitor web-hawser.');
  });

  it('gives the node ports for a NodePort Service', function () {
    expect(notes({ service: { type: 'NodePort' } })).to.include("kubectl --namespace edge get service web-hawser --output jsonpath='{.spec.ports[*].nodePort}'");
  });
});
