// Issue 7 §4, bad input: Ingresses the API server accepts but Hawser must refuse (hostile strings
// in ImplementationSpecific paths and annotations, a missing Service, a broken TLS Secret) each get
// an Event on their object, while a healthy Ingress keeps serving every request meanwhile.
import { expect } from 'chai';
import { useHawserStack } from '../support/hawser-stack.ts';
import { ingress } from '../support/hawser-objects.ts';
import { backendNamed, serviceFor, waitForReply, holdsFor } from '../support/hawser-scenario.ts';
import { describeLoad, startLoad } from '../support/hawser-traffic.ts';
import { namespaceManifest } from '../support/manifests.ts';
import { runtimeCommand } from '../support/hawser-processes.ts';
import { waitUntil } from '../support/wait-until.ts';

const NS = 'bad-input';

interface EventList { items: Array<{ reason?: string; message?: string; type?: string; involvedObject?: { kind?: string; name?: string } }> }

const prefix = (host: string, path = '/', pathType: 'Prefix' | 'ImplementationSpecific' = 'Prefix', svc = 'alpha') =>
  ({ host, paths: [{ path, pathType, service: svc, port: 80 }] });

/** Each Ingress the API server accepts and Hawser must refuse (or partly refuse), with its Event reason. */
const BAD: ReadonlyArray<{ name: string; what: string; reason: string; spec: Parameters<typeof ingress>[2] }> = [
  { name: 'semicolon', what: 'a path holding the runtime API\'s command separator', reason: 'InvalidPath',
    spec: { className: 'hawser', rules: [prefix('semicolon.example', '/a;add server x/y 127.0.0.1:1', 'ImplementationSpecific')] } },
  { name: 'spaces', what: 'a path with spaces, backslashes and a #', reason: 'InvalidPath',
    spec: { className: 'hawser', rules: [prefix('spaces.example', '/a b\\c#d', 'ImplementationSpecific')] } },
  { name: 'regex', what: 'a regular-expression path', reason: 'InvalidPath',
    spec: { className: 'hawser', rules: [prefix('regex.example', '/api(/|$)(.*)', 'ImplementationSpecific')] } },
  { name: 'huge', what: 'a 100 KB path', reason: 'InvalidPath',
    spec: { className: 'hawser', rules: [prefix('huge.example', `/${'x'.repeat(100_000)}`, 'ImplementationSpecific')] } },
  { name: 'no-service', what: 'a backend Service that does not exist', reason: 'ServiceNotFound',
    spec: { className: 'hawser', rules: [prefix('no-service.example', '/', 'Prefix', 'missing')] } },
  { name: 'bad-annotation', what: 'a hostile annotation value', reason: 'InvalidAnnotation',
    spec: { className: 'hawser', annotations: { 'hawser.dev/load-balance': 'roundrobin\nadd server x/y 127.0.0.1:1' }, rules: [prefix('bad-annotation.example')] } },
  { name: 'bad-tls', what: 'a TLS Secret that does not exist', reason: 'TLSSecretNotFound',
    spec: { className: 'hawser', tls: [{ hosts: ['bad-tls.example'], secretName: 'nope' }], rules: [prefix('bad-tls.example')] } },
];

describe('bad input on a real control plane', function () {
  const stack = useHawserStack({ backends: ['alpha'] });

  before(async function () {
    this.timeout(60_000);
    const s = stack();
    await s.apply([namespaceManifest(NS), ...serviceFor(NS, 'alpha', [backendNamed(s, 'alpha')]).objects,
      ingress(NS, 'healthy', { className: 'hawser', rules: [prefix('healthy.example')] })]);
    await waitForReply('GET healthy.example/', () => s.get('healthy.example'), { status: 200, backend: 'alpha' });
  });

  async function events(name: string): Promise<EventList['items']> {
    const list = JSON.parse(await stack().kubectl(['get', 'events', '-n', NS, '--field-selector', `involvedObject.name=${name}`, '-o', 'json'])) as EventList;
    return list.items;
  }

  it('keeps serving a healthy Ingress without a single failed request while the bad ones arrive', async function () {
    this.timeout(60_000);
    const s = stack();
    const load = startLoad({ port: s.httpPort, host: 'healthy.example' }, 100);
    try {
      for (const bad of BAD) await s.apply([ingress(NS, bad.name, bad.spec)]);
      // Give the controller time to see and refuse all of them under load.
      await waitUntil(async () => (await events(BAD[BAD.length - 1]?.name ?? '')).length > 0, 20_000, () => 'no Event for the last bad Ingress');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      const result = await load.stop();
      expect(result.failures, describeLoad(result)).to.deep.equal([]);
      expect(result.ok, describeLoad(result)).to.be.greaterThan(100);
    }
    const health = await (await fetch(`${s.controller.adminUrl}/healthz`)).text().catch(() => '');
    expect(s.controller.process.hasExited(), 'the controller process exited').to.equal(false);
    expect(health, 'controller /healthz').not.to.equal('');
  });

  for (const bad of BAD) {
    it(`records an Event ${bad.reason} on an Ingress with ${bad.what}`, async function () {
      this.timeout(30_000);
      await waitUntil(async () => (await events(bad.name)).some((e) => e.reason === bad.reason), 20_000,
        () => `no ${bad.reason} Event on ${NS}/${bad.name}`);
      const e = (await events(bad.name)).find((x) => x.reason === bad.reason);
      expect(e?.type, 'Event type').to.equal('Warning');
      expect(e?.involvedObject?.kind).to.equal('Ingress');
    });
  }

  it('serves nothing for a refused Ingress and keeps the other parts of partly refused ones', async function () {
    this.timeout(30_000);
    const s = stack();
    for (const host of ['semicolon.example', 'spaces.example', 'regex.example', 'huge.example', 'no-service.example']) {
      await holdsFor(`GET ${host}`, () => s.get(host), { status: 404, backend: '' }, 300);
    }
    // A bad annotation drops the annotation, not the Ingress; a missing TLS Secret drops the certificate only.
    await waitForReply('GET bad-annotation.example/', () => s.get('bad-annotation.example'), { status: 200, backend: 'alpha' });
    await waitForReply('GET bad-tls.example/', () => s.get('bad-tls.example'), { status: 200, backend: 'alpha' });
  });

  it('never lets a hostile string reach the proxy as a command', async function () {
    const s = stack();
    const servers = await runtimeCommand(s.socketPath, 'show servers state');
    const backends = await runtimeCommand(s.socketPath, 'show backend');
    expect(servers, 'show servers state: no server at the injected address').not.to.contain('127.0.0.1');
    expect(backends.split('\n').map((l) => l.trim().split(/\s+/)[0]), 'show backend: no injected backend').not.to.include('x');
  });
});
