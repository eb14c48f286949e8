// The chart's values: every value in values.schema.json is described, has a default, is used by
// a template and is listed in the chart README; a wrong value fails the install with a message
// that names it.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDefaults, readSchema } from './derived.ts';
import { chartDir, helmBinary, templateRaw } from './helm.ts';
import { valueAt, valueLeaves } from './values-doc.ts';

const templatesText = readdirSync(join(chartDir, 'templates'))
  .map((file) => readFileSync(join(chartDir, 'templates', file), 'utf8'))
  .join('\n');
const readme = readFileSync(join(chartDir, 'README.md'), 'utf8');

/** Leaf paths of a plain values tree (objects with keys recurse; anything else is a leaf). */
function defaultPaths(values: unknown, prefix = ''): string[] {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return [prefix];
  const entries = Object.entries(values as Record<string, unknown>);
  return entries.flatMap(([key, value]) => defaultPaths(value, prefix === '' ? key : `${prefix}.${key}`));
}

describe('charts/hawser values', function () {
  const schema = readSchema();
  const defaults = readDefaults();
  const leaves = valueLeaves(schema);

  it('declares a description and a default for every value', function () {
    const undocumented = leaves.filter((l) => (l.node.description ?? '').length < 10).map((l) => l.path);
    const noDefault = leaves.filter((l) => valueAt(defaults, l.path) === undefined).map((l) => l.path);
    expect(undocumented, 'without description').to.deep.equal([]);
    expect(noDefault, 'without a default in values.yaml').to.deep.equal([]);
  });

  it('declares every default of values.yaml in the schema', function () {
    const leafPaths = leaves.map((l) => l.path);
    const undeclared = defaultPaths(defaults).filter((p) => !leafPaths.some((leaf) => p === leaf || p.startsWith(`${leaf}.`)));
    expect(undeclared).to.deep.equal([]);
  });

  it('uses every value in a template, by its full path', function () {
    const unused = leaves.map((l) => l.path).filter((p) => !new RegExp(`\\.Values\\.${p.replaceAll('.', '\\.')}(?![A-Za-z0-9_])`).test(templatesText));
    expect(unused).to.deep.equal([]);
  });

  it('lists every value in the chart README', function () {
    const missing = leaves.map((l) => l.path).filter((p) => !readme.includes(`| \`${p}\` |`));
    expect(missing).to.deep.equal([]);
  });

  describe('a wrong value fails the install with a message naming it', function () {
    before(function () {
      this.timeout(20 * 60_000);
      helmBinary();
    });

    const cases: { name: string; values: object; message: string }[] = [
      { name: 'rejects a workload kind other than Deployment or DaemonSet', values: { controller: { kind: 'StatefulSet' } }, message: '- controller.kind: controller.kind must be one of the following: "Deployment", "DaemonSet"' },
      { name: 'rejects a misspelt key', values: { controller: { replicas: 3 } }, message: '- controller: Additional property replicas is not allowed' },
      { name: 'rejects a replica count given as a string', values: { controller: { replicaCount: 'two' } }, message: '- controller.replicaCount: Invalid type. Expected: integer, given: string' },
      { name: 'rejects a Service type outside the three supported', values: { service: { type: 'ExternalName' } }, message: '- service.type: service.type must be one of the following: "LoadBalancer", "NodePort", "ClusterIP"' },
      { name: 'rejects an X-Forwarded-* mode other than replace, append or off', values: { proxy: { forwardedHeaders: 'trust' } }, message: '- proxy.forwardedHeaders: proxy.forwardedHeaders must be one of the following: "replace", "append", "off"' },
      { name: 'rejects a busy-poll window that is not a delay up to 1s', values: { proxy: { runtimeBusyPoll: '2s' } }, message: '- proxy.runtimeBusyPoll: Does not match pattern' },
      { name: 'rejects a port above 65535', values: { proxy: { adminPort: 70000 } }, message: '- proxy.adminPort: Must be less than or equal to 65535' },
      { name: 'rejects a timeout that is not an HAProxy duration', values: { proxy: { timeouts: { client: '60 seconds; bind :22' } } }, message: '- proxy.timeouts.client: Does not match pattern' },
      { name: 'rejects an extra controller argument that is not a flag', values: { controller: { extraArgs: ['rm -rf /'] } }, message: '- controller.extraArgs.0: Does not match pattern' },
      { name: 'rejects a default certificate that is not namespace/name', values: { controller: { defaultSSLCertificate: 'my-cert' } }, message: '- controller.defaultSSLCertificate: Does not match pattern' },
      { name: 'rejects a watched namespace that is not a DNS label', values: { controller: { scope: { namespaces: ['Team_A'] } } }, message: '- controller.scope.namespaces.0: Does not match pattern' },
      { name: 'rejects autoscaling a DaemonSet', values: { controller: { kind: 'DaemonSet', autoscaling: { enabled: true } } }, message: 'controller.autoscaling.enabled=true needs controller.kind=Deployment: a DaemonSet runs one pod per node and cannot be autoscaled' },
      { name: 'rejects a grace period shorter than the drain', values: { controller: { terminationGracePeriodSeconds: 10 } }, message: 'controller.terminationGracePeriodSeconds (10) must be at least controller.preStopSleepSeconds + proxy.hardStopAfterSeconds (35), or Kubernetes kills the proxy before in-flight requests finish' },
      { name: 'rejects a ServiceMonitor without the metrics Service', values: { metrics: { serviceMonitor: { enabled: true } } }, message: 'metrics.serviceMonitor.enabled=true needs metrics.enabled=true: the ServiceMonitor scrapes the metrics Service' },
      { name: 'rejects two containers on one port', values: { proxy: { adminPort: 10254 } }, message: 'proxy.ports.http, proxy.ports.https, proxy.adminPort and controller.metricsPort must be different ports' },
      { name: 'rejects autoscaling with fewer maximum than minimum replicas', values: { controller: { autoscaling: { minReplicas: 5, maxReplicas: 3 } } }, message: 'controller.autoscaling.maxReplicas must be at least controller.autoscaling.minReplicas' },
      { name: 'rejects publishing the chart\'s Service when it is turned off', values: { service: { enabled: false } }, message: 'controller.publishService.enabled=true publishes the chart\'s Service, which service.enabled=false leaves out' },
      { name: 'rejects granting rights to the namespace\'s default ServiceAccount', values: { serviceAccount: { create: false } }, message: 'serviceAccount.name is required when serviceAccount.create=false and rbac.create=true' },
    ];
    for (const { name, values, message } of cases) {
      it(name, function () {
        const result = templateRaw(values);
        expect(result.ok).to.equal(false);
        expect(result.stderr).to.include(message);
      });
    }
  });
});
