// Issue 7 §4, routing: real Ingresses on a real API server, turned into routes by the controller
// running with the chart's RBAC, served by the proxy to echo backends in network namespaces.
import { expect } from 'chai';
import { useHawserStack } from '../support/hawser-stack.ts';
import { ingress, ingressClass, service, endpointSlice, pod } from '../support/hawser-objects.ts';
import { backendNamed, serviceFor, waitForReply, holdsFor } from '../support/hawser-scenario.ts';
import { namespaceManifest } from '../support/manifests.ts';

const NS = 'routing';
const CLASS = 'hawser'; // the chart's IngressClass

describe('routing on a real control plane', function () {
  const stack = useHawserStack({ backends: ['alpha', 'beta', 'gamma'] });

  before(async function () {
    this.timeout(60_000);
    const s = stack();
    const [alpha, beta, gamma] = ['alpha', 'beta', 'gamma'].map((n) => serviceFor(NS, n, [backendNamed(s, n)]));
    await s.apply([namespaceManifest(NS), ...(alpha?.objects ?? []), ...(beta?.objects ?? []), ...(gamma?.objects ?? [])]);
  });

  const via = (host: string, path = '/') => () => stack().get(host, path);

  describe('host and path rules', function () {
    before(async function () {
      await stack().apply([
        ingress(NS, 'paths', {
          className: CLASS,
          rules: [{
            host: 'paths.example',
            paths: [
              { path: '/exact', pathType: 'Exact', service: 'alpha', port: 80 },
              { path: '/prefix', pathType: 'Prefix', service: 'beta', port: 80 },
              { path: '/impl', pathType: 'ImplementationSpecific', service: 'alpha', port: 'http' },
              { path: '/', pathType: 'Prefix', service: 'gamma', port: 80 },
            ],
          }],
        }),
        ingress(NS, 'wildcard', {
          className: CLASS,
          rules: [
            { host: '*.wild.example', paths: [{ path: '/', pathType: 'Prefix', service: 'beta', port: 80 }] },
            { host: 'named.wild.example', paths: [{ path: '/', pathType: 'Prefix', service: 'alpha', port: 80 }] },
          ],
        }),
      ]);
    });

    const cases: Array<[string, string, string, string]> = [
      ['routes an Exact path to its backend', 'paths.example', '/exact', 'alpha'],
      ['does not stretch an Exact path to a longer one', 'paths.example', '/exact/more', 'gamma'],
      ['routes a Prefix path and everything below it', 'paths.example', '/prefix/a/b', 'beta'],
      ['matches a Prefix path element-wise, not as a string prefix', 'paths.example', '/prefixes', 'gamma'],
      ['treats ImplementationSpecific as Prefix', 'paths.example', '/impl/x', 'alpha'],
      ['matches hosts case-insensitively and ignores the port in Host', 'PATHS.example:8080', '/prefix', 'beta'],
      ['routes a one-label wildcard host', 'a.wild.example', '/', 'beta'],
      ['prefers an exact host over a wildcard that also matches', 'named.wild.example', '/', 'alpha'],
    ];
    for (const [name, host, path, backend] of cases) {
      it(name, async function () {
        const r = await waitForReply(`GET ${host}${path}`, via(host, path), { status: 200, backend });
        expect(r.backendPath, 'the path the backend received').to.equal(path);
      });
    }

    it('answers 404 for a host no Ingress names (and for two labels under a wildcard)', async function () {
      await waitForReply('GET unknown.example/', via('unknown.example'), { status: 404, backend: '' });
      await waitForReply('GET a.b.wild.example/', via('a.b.wild.example'), { status: 404, backend: '' });
    });
  });

  describe('a default backend', function () {
    after(async function () {
      await stack().kubectl(['delete', 'ingress', '-n', NS, 'fallback', '--ignore-not-found']);
    });

    it('sends requests no rule matches to spec.defaultBackend, and 404s again once it is gone', async function () {
      this.timeout(40_000);
      await stack().apply([ingress(NS, 'fallback', { className: CLASS, defaultBackend: { service: 'gamma', port: 80 } })]);
      await waitForReply('GET unknown.example/ with a default backend', via('unknown.example', '/x'), { status: 200, backend: 'gamma' });
      // Explicit rules still win over the catch-all.
      await waitForReply('GET paths.example/exact', via('paths.example', '/exact'), { status: 200, backend: 'alpha' });
      await stack().kubectl(['delete', 'ingress', '-n', NS, 'fallback']);
      await waitForReply('GET unknown.example/ after the default backend was deleted', via('unknown.example', '/x'), { status: 404, backend: '' });
    });
  });

  describe('Service port by name', function () {
    it('reaches the EndpointSlice port of the same name when its number differs from the Service port', async function () {
      this.timeout(30_000);
      const s = stack();
      const beta = backendNamed(s, 'beta');
      // Service port 80 named "web" targets a named container port; the slice says "web" is 8080.
      await s.apply([
        service(NS, 'named', [{ name: 'web', port: 80, targetPort: 'web-container' }]),
        endpointSlice(NS, 'named', 'named-1', [{ name: 'web', port: 8080 }], [pod('named-0', beta.address)]),
        ingress(NS, 'by-name', { className: CLASS, rules: [{ host: 'named.example', paths: [{ path: '/', pathType: 'Prefix', service: 'named', port: 'web' }] }] }),
      ]);
      await waitForReply('GET named.example/ (port by name)', via('named.example'), { status: 200, backend: 'beta' });
    });
  });

  describe('IngressClass selection', function () {
    const host = (n: string): string => `${n}.class.example`;
    const rule = (n: string): { host: string; paths: Array<{ path: string; pathType: 'Prefix'; service: string; port: number }> } => ({
      host: host(n), paths: [{ path: '/', pathType: 'Prefix', service: 'alpha', port: 80 }],
    });

    before(async function () {
      await stack().apply([
        ingressClass('someone-else', 'example.com/other-controller'),
        ingress(NS, 'ours', { className: CLASS, rules: [rule('ours')] }),
        ingress(NS, 'theirs', { className: 'someone-else', rules: [rule('theirs')] }),
        ingress(NS, 'unknown-class', { className: 'does-not-exist', rules: [rule('unknown-class')] }),
        ingress(NS, 'legacy', { annotations: { 'kubernetes.io/ingress.class': 'hawser' }, rules: [rule('legacy')] }),
        ingress(NS, 'legacy-other', { annotations: { 'kubernetes.io/ingress.class': 'nginx' }, rules: [rule('legacy-other')] }),
        ingress(NS, 'classless', { rules: [rule('classless')] }),
      ]);
    });

    it('serves an Ingress whose ingressClassName is our IngressClass', async function () {
      await waitForReply('GET ours', via(host('ours')), { status: 200, backend: 'alpha' });
    });

    it('serves an Ingress with the legacy kubernetes.io/ingress.class annotation naming our class', async function () {
      await waitForReply('GET legacy', via(host('legacy')), { status: 200, backend: 'alpha' });
    });

    it('ignores Ingresses of another controller\'s class, of an unknown class and of another legacy class', async function () {
      this.timeout(20_000);
      await waitForReply('GET ours (sync point)', via(host('ours')), { status: 200, backend: 'alpha' });
      for (const n of ['theirs', 'unknown-class', 'legacy-other']) {
        await holdsFor(`GET ${n}`, via(host(n)), { status: 404, backend: '' }, 1000);
      }
    });

    it('ignores a class-less Ingress while no IngressClass of ours is the default, and serves it once ours is', async function () {
      this.timeout(40_000);
      const s = stack();
      await holdsFor('GET classless (no default class)', via(host('classless')), { status: 404, backend: '' }, 1000);
      await s.kubectl(['annotate', 'ingressclass', CLASS, 'ingressclass.kubernetes.io/is-default-class=true', '--overwrite']);
      try {
        await waitForReply('GET classless (our class is the default)', via(host('classless')), { status: 200, backend: 'alpha' });
      } finally {
        await s.kubectl(['annotate', 'ingressclass', CLASS, 'ingressclass.kubernetes.io/is-default-class-']);
      }
      await waitForReply('GET classless (default annotation removed)', via(host('classless')), { status: 404, backend: '' });
    });
  });
});
