import { expect } from 'chai';
import { buildModel } from '../model/build.ts';
import { ingress, options, service, snapshot } from '../model/fixtures.ts';
import { readAnnotations } from './read.ts';
import { parseDurationMs } from './duration.ts';
import type { BackendSettings } from '../model/proxy-state.ts';

const ref = { kind: 'Ingress', namespace: 'ns', name: 'a', uid: 'u' } as const;

describe('annotations: typed values, bad ones dropped alone', () => {
  const cases: { name: string; annotations: Record<string, string>; settings: BackendSettings; codes: string[] }[] = [
    { name: 'reads leastconn', annotations: { 'hawser.dev/load-balance': 'leastconn' }, settings: { balance: { algorithm: 'leastconn' } }, codes: [] },
    { name: 'reads hdr(<name>) and lower-cases the header', annotations: { 'hawser.dev/load-balance': 'hdr(X-User)' }, settings: { balance: { algorithm: 'hdr', header: 'x-user' } }, codes: [] },
    { name: 'refuses an unknown algorithm', annotations: { 'hawser.dev/load-balance': 'static-rr' }, settings: {}, codes: ['HWS_ERR_ANNOTATION_INVALID'] },
    { name: 'refuses a header name with a space or semicolon', annotations: { 'hawser.dev/load-balance': 'hdr(a b;c)' }, settings: {}, codes: ['HWS_ERR_ANNOTATION_INVALID'] },
    { name: 'reads timeouts in HAProxy time units', annotations: { 'hawser.dev/timeout-connect': '5s', 'hawser.dev/timeout-server': '2m' }, settings: { timeoutConnectMs: 5000, timeoutServerMs: 120000 }, codes: [] },
    { name: 'reads a bare number as milliseconds', annotations: { 'hawser.dev/timeout-connect': '250' }, settings: { timeoutConnectMs: 250 }, codes: [] },
    { name: 'refuses a timeout above a day and keeps the other settings', annotations: { 'hawser.dev/timeout-server': '2d', 'hawser.dev/load-balance': 'random' }, settings: { balance: { algorithm: 'random' } }, codes: ['HWS_ERR_ANNOTATION_INVALID'] },
    { name: 'refuses a timeout with a newline', annotations: { 'hawser.dev/timeout-server': '5s\nshow map' }, settings: {}, codes: ['HWS_ERR_ANNOTATION_INVALID'] },
    { name: 'reads a health-check path and interval', annotations: { 'hawser.dev/health-check-path': '/healthz', 'hawser.dev/health-check-interval': '2s' }, settings: { checkPath: '/healthz', checkIntervalMs: 2000 }, codes: [] },
    { name: 'refuses a health-check path with a semicolon', annotations: { 'hawser.dev/health-check-path': '/h;x' }, settings: {}, codes: ['HWS_ERR_ANNOTATION_INVALID'] },
    { name: 'refuses a check interval under 100ms', annotations: { 'hawser.dev/health-check-interval': '10ms' }, settings: {}, codes: ['HWS_ERR_ANNOTATION_INVALID'] },
    { name: 'reports an unknown hawser.dev annotation', annotations: { 'hawser.dev/config-snippet': 'anything' }, settings: {}, codes: ['HWS_ERR_ANNOTATION_UNKNOWN'] },
    { name: 'ignores annotations of other prefixes', annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' }, settings: {}, codes: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = readAnnotations(c.annotations, ref);
      expect(r.settings).to.deep.equal(c.settings);
      expect(r.warnings.map((w) => w.code)).to.deep.equal(c.codes);
    });
  }

  it('pins the text of an invalid annotation', () => {
    const r = readAnnotations({ 'hawser.dev/load-balance': 'nope' }, ref);
    expect(r.warnings[0]?.message).to.equal('annotation hawser.dev/load-balance: "nope" expects roundrobin, leastconn, random, source or hdr(<header-name>); the default applies');
  });

  it('parses durations', () => {
    expect([parseDurationMs('1500us'), parseDurationMs('1h'), parseDurationMs('1.5s'), parseDurationMs('-1'), parseDurationMs('')]).to.deep.equal([undefined, 3_600_000, undefined, undefined, undefined]);
  });
});

describe('annotations: settings of a shared backend', () => {
  const web = (a: Record<string, string> = {}): ReturnType<ReturnType<typeof service>['build']> => {
    let b = service('ns/web').port(80);
    for (const [k, v] of Object.entries(a)) b = b.annotate(k, v);
    return b.build();
  };

  it('applies an Ingress annotation to the backends it routes to', () => {
    const d = buildModel(snapshot([web(), ingress('ns/a').annotate('hawser.dev/load-balance', 'leastconn').path('/', 'Prefix', 'web', 80).build()]), options()).desired;
    expect(d.backends[0]?.settings).to.deep.equal({ balance: { algorithm: 'leastconn' } });
  });

  it('lets the Service annotation win over the Ingress and tells the Ingress', () => {
    const r = buildModel(snapshot([web({ 'hawser.dev/load-balance': 'random' }), ingress('ns/a').annotate('hawser.dev/load-balance', 'leastconn').path('/', 'Prefix', 'web', 80).build()]), options());
    expect(r.desired.backends[0]?.settings).to.deep.equal({ balance: { algorithm: 'random' } });
    expect(r.warnings.map((w) => [w.object.kind, w.code])).to.deep.equal([['Ingress', 'HWS_ERR_ANNOTATION_CONFLICT']]);
  });

  it('lets the older Ingress win a conflict between Ingresses', () => {
    const r = buildModel(snapshot([
      web(),
      ingress('ns/new').annotate('hawser.dev/timeout-server', '1s').host('b.example.com').path('/', 'Prefix', 'web', 80).build(),
      ingress('ns/old').created('2020-01-01T00:00:00Z').annotate('hawser.dev/timeout-server', '9s').host('a.example.com').path('/', 'Prefix', 'web', 80).build(),
    ]), options());
    expect(r.desired.backends[0]?.settings).to.deep.equal({ timeoutServerMs: 9000 });
    expect(r.warnings.map((w) => [w.object.name, w.code])).to.deep.equal([['new', 'HWS_ERR_ANNOTATION_CONFLICT']]);
  });

  it('turns health checks on for every server when a check annotation is set', () => {
    const d = buildModel(snapshot([web({ 'hawser.dev/health-check-path': '/healthz' }), ingress('ns/a').path('/', 'Prefix', 'web', 80).build()]), options()).desired;
    expect(d.backends[0]?.settings?.checkPath).to.equal('/healthz');
  });
});
