import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cache } from './cache.ts';
import { ManifestSource } from './manifests.ts';
import { buildModel } from '../model/build.ts';
import { options } from '../model/fixtures.ts';
import type { Change } from './cache.ts';

const DEMO = `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: hawser }
spec: { controller: hawser.dev/ingress-controller }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { ports: [{ name: http, port: 80 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: web-1, labels: { kubernetes.io/service-name: web } }
addressType: IPv4
ports: [{ name: http, port: 8080 }]
endpoints: [{ addresses: [127.0.0.1] }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: demo }
spec:
  ingressClassName: hawser
  rules:
    - host: demo.localhost
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { name: http } } } }] }
`;

describe('kube: the --manifests source', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'hawser-manifests-')); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it('feeds hand-written YAML to the same model, with stable UIDs and the default namespace', () => {
    writeFileSync(join(dir, 'demo.yaml'), DEMO);
    const cache = new Cache();
    const changes: Change[] = [];
    let synced = 0;
    const src = new ManifestSource(dir, cache, { change: (c) => changes.push(c), synced: () => { synced++; }, error: (_k, e) => { throw e; } });
    src.reload();
    src.reload();
    expect(changes.filter((c) => c !== 'none').length).to.be.greaterThan(0);
    const d = buildModel(cache.snapshot(), options()).desired;
    expect(d.routes.map((r) => r.key)).to.deep.equal(['prefix:demo.localhost/']);
    expect(d.backends.map((b) => [b.name, b.servers.map((s) => `${s.address}:${String(s.port)}`)])).to.deep.equal([['default_web_80', ['127.0.0.1:8080']]]);
    expect(synced).to.equal(0);
  });

  it('removes objects whose file went away', () => {
    writeFileSync(join(dir, 'demo.yaml'), DEMO);
    const cache = new Cache();
    const src = new ManifestSource(dir, cache, { change: () => undefined, synced: () => undefined, error: () => undefined });
    src.reload();
    writeFileSync(join(dir, 'demo.yaml'), '');
    src.reload();
    expect(cache.snapshot().ingresses).to.deep.equal([]);
  });

  it('reports broken YAML and keeps what it had', () => {
    writeFileSync(join(dir, 'demo.yaml'), DEMO);
    const cache = new Cache();
    const errors: unknown[] = [];
    const src = new ManifestSource(dir, cache, { change: () => undefined, synced: () => undefined, error: (_k, e) => errors.push(e) });
    src.reload();
    writeFileSync(join(dir, 'demo.yaml'), 'kind: [unclosed');
    src.reload();
    expect(errors).to.have.length(1);
    expect(cache.snapshot().ingresses).to.have.length(1);
  });
});
