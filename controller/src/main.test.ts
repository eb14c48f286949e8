import { expect } from 'chai';
import { spawn } from 'node:child_process';
import type { Server } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeProxy } from './runtime/fake-proxy.ts';
import { serveFakeProxy } from './runtime/fake-socket.ts';

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
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
`;

function until(check: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const started = Date.now();
    const poll = (): void => {
      if (check()) resolve(true);
      else if (Date.now() - started > ms) resolve(false);
      else setTimeout(poll, 25);
    };
    poll();
  });
}

describe('hawser-controller: from a folder of YAML to runtime commands over the socket', () => {
  let dir = '';
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => (server === undefined ? r(undefined) : server.close(r)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('routes the demo Ingress, follows an endpoint change, and stops cleanly on SIGTERM', async function () {
    this.timeout(15_000);
    dir = mkdtempSync(join(tmpdir(), 'hawser-main-'));
    const manifests = join(dir, 'manifests');
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'demo.yaml'), DEMO);
    const sock = join(dir, 'rt.sock');
    const proxy = new FakeProxy({ routeMap: 'ingress', crtList: 'ingress', defaultCertName: 'default.pem', defaultCertPem: '' });
    server = serveFakeProxy(sock, proxy);
    const child = spawn(process.execPath, ['bin/hawser-controller.js', '--manifests', manifests, '--runtime-socket', sock, '--admin-address', '127.0.0.1', '--admin-port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    try {
      const routed = await until(() => proxy.maps.get('ingress')?.has('prefix:demo.localhost/') === true, 8000);
      expect(routed, stderr).to.equal(true);
      expect([...(proxy.backends.get('default_web_80')?.servers.keys() ?? [])]).to.deep.equal(['127.0.0.1_8080']);
      writeFileSync(join(manifests, 'demo.yaml'), DEMO.replace('[127.0.0.1] }', '[127.0.0.1] }, { addresses: [127.0.0.2] }'));
      const followed = await until(() => proxy.backends.get('default_web_80')?.servers.size === 2, 5000);
      expect(followed, stderr).to.equal(true);
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    }
  });
});
