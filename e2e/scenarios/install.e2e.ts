// Issue 7 §2 with the controller running: the chart installed with its namespace scope, the
// controller run with that release's ServiceAccount token (so the chart's namespaced RBAC is what
// it gets) serves the watched namespace, ignores the others, and cannot read what it does not need.
// (The cluster-wide install's permissions and the dry run of deploy/hawser.yaml are in
// e2e/chart-install.e2e.ts.)
import { expect } from 'chai';
import { parseConfig } from '../../controller/src/config.ts';
import { useHawserStack } from '../support/hawser-stack.ts';
import { canI } from '../support/hawser-install.ts';
import { ingress } from '../support/hawser-objects.ts';
import { backendNamed, holdsFor, serviceFor, waitForReply } from '../support/hawser-scenario.ts';
import { namespaceManifest } from '../support/manifests.ts';

const WATCHED = 'team-a';
const OTHER = 'team-b';

describe('the chart installed with a namespace scope, controller running', function () {
  const stack = useHawserStack({
    backends: ['alpha'],
    beforeInstall: [namespaceManifest(WATCHED), namespaceManifest(OTHER)],
    install: { set: [`controller.scope.namespaces={${WATCHED}}`] },
  });

  before(async function () {
    this.timeout(60_000);
    const s = stack();
    const alpha = backendNamed(s, 'alpha');
    const rule = (host: string): { host: string; paths: Array<{ path: string; pathType: 'Prefix'; service: string; port: number }> } =>
      ({ host, paths: [{ path: '/', pathType: 'Prefix', service: 'alpha', port: 80 }] });
    await s.apply([
      ...serviceFor(WATCHED, 'alpha', [alpha]).objects,
      ...serviceFor(OTHER, 'alpha', [alpha]).objects,
      ingress(WATCHED, 'app', { className: 'hawser', rules: [rule('a.example')] }),
      ingress(OTHER, 'app', { className: 'hawser', rules: [rule('b.example')] }),
    ]);
  });

  it('passes the watched namespace to the controller, which becomes ready with the namespaced RBAC only', function () {
    expect(stack().release.controllerArgs).to.include(`--watch-namespace=${WATCHED}`);
    expect(stack().controller.process.hasExited()).to.equal(false);
  });

  it('serves Ingresses of the watched namespace', async function () {
    await waitForReply('GET a.example (team-a)', () => stack().get('a.example'), { status: 200, backend: 'alpha' });
  });

  it('ignores Ingresses of other namespaces', async function () {
    await waitForReply('GET a.example (sync point)', () => stack().get('a.example'), { status: 200, backend: 'alpha' });
    await holdsFor('GET b.example (team-b)', () => stack().get('b.example'), { status: 404, backend: '' }, 1000);
  });

  const denied: Array<[string, readonly string[]]> = [
    ['cannot read Secrets of a namespace it does not watch', ['get', 'secrets', '-n', OTHER]],
    ['cannot list Secrets cluster-wide', ['list', 'secrets', '--all-namespaces']],
    ['cannot list Ingresses cluster-wide', ['list', 'ingresses.networking.k8s.io', '--all-namespaces']],
    ['cannot read EndpointSlices of a namespace it does not watch', ['list', 'endpointslices.discovery.k8s.io', '-n', OTHER]],
    ['cannot read Pods, even in its watched namespace', ['list', 'pods', '-n', WATCHED]],
    ['cannot read ConfigMaps, even in its watched namespace', ['list', 'configmaps', '-n', WATCHED]],
    ['cannot write Secrets in its watched namespace', ['create', 'secrets', '-n', WATCHED]],
  ];
  for (const [name, args] of denied) {
    it(name, async function () {
      expect(await canI(stack().plane, stack().release, args), `can-i ${args.join(' ')}`).to.equal('no');
    });
  }

  it('can read the Secrets of the namespace it watches (for TLS)', async function () {
    expect(await canI(stack().plane, stack().release, ['watch', 'secrets', '-n', WATCHED])).to.equal('yes');
  });

  // BUG (charts/hawser/templates/_pod.tpl vs controller/src/config.ts): the chart renders
  // --ingress-class-controller, --allow-external-name-services, --metrics-port and --health-port;
  // hawser-controller knows --controller-class, --allow-external-name and --admin-port, and exits
  // with "Unknown option" (exit 2) on the chart's arguments, so the Deployment's controller
  // container would never start. Expected: every rendered flag parses. The e2e stack renames them
  // (CHART_FLAG_RENAMES in e2e/support/hawser-install.ts) until this is fixed; then drop the
  // renames and this skip.
  it.skip('gives the controller only arguments it accepts', function () {
    expect(() => parseConfig(stack().release.controllerArgs, {})).not.to.throw();
  });
});
