// Issue 7 §4, TLS: certificates from kubernetes.io/tls Secrets served by SNI, the chart's
// default-certificate value for unknown names, and a Secret rotated under traffic.
import { expect } from 'chai';
import { Agent as HttpsAgent } from 'node:https';
import { useHawserStack } from '../support/hawser-stack.ts';
import { ingress, selfSigned, tlsSecret } from '../support/hawser-objects.ts';
import { backendNamed, serviceFor, waitForReply } from '../support/hawser-scenario.ts';
import { describeLoad, get, peerCertificate, startLoad } from '../support/hawser-traffic.ts';
import { namespaceManifest } from '../support/manifests.ts';
import { waitUntil } from '../support/wait-until.ts';

const NS = 'tls';

describe('TLS on a real control plane', function () {
  const stack = useHawserStack({
    backends: ['alpha'],
    // The chart's value for --default-ssl-certificate, as a user sets it.
    install: { set: [`controller.defaultSSLCertificate=${NS}/fallback-cert`] },
  });

  const cn = async (servername: string): Promise<string> => String((await peerCertificate(stack().httpsPort, servername)).subject.CN);

  before(async function () {
    this.timeout(60_000);
    const s = stack();
    const alpha = serviceFor(NS, 'alpha', [backendNamed(s, 'alpha')]);
    await s.apply([
      namespaceManifest(NS), ...alpha.objects,
      tlsSecret(NS, 'secure-cert', await selfSigned(['secure.example'])),
      tlsSecret(NS, 'rotating-cert', await selfSigned(['rotating.example', 'rotating-v1'])),
      ingress(NS, 'secure', {
        className: 'hawser',
        tls: [{ hosts: ['secure.example'], secretName: 'secure-cert' }, { hosts: ['rotating.example'], secretName: 'rotating-cert' }],
        rules: ['secure.example', 'rotating.example'].map((host) => ({ host, paths: [{ path: '/', pathType: 'Prefix' as const, service: 'alpha', port: 80 }] })),
      }),
    ]);
  });

  it('serves the certificate of an Ingress\'s TLS Secret to clients that ask for its host by SNI', async function () {
    this.timeout(20_000);
    await waitUntil(async () => (await cn('secure.example').catch(() => '')) === 'secure.example', 15_000,
      () => 'the proxy never presented CN=secure.example for SNI secure.example');
    await waitForReply('GET https://secure.example/', () => stack().get('secure.example', '/', { servername: 'secure.example' }), { status: 200, backend: 'alpha' });
  });

  it('serves the default certificate from --default-ssl-certificate for names no Secret covers', async function () {
    this.timeout(20_000);
    const before = await cn('unknown.example');
    expect(before, 'the default certificate before the Secret exists').not.to.equal('fallback.example');
    await stack().apply([tlsSecret(NS, 'fallback-cert', await selfSigned(['fallback.example']))]);
    await waitUntil(async () => (await cn('unknown.example').catch(() => '')) === 'fallback.example', 15_000,
      () => `unknown names still get CN=${before}, not the Secret ${NS}/fallback-cert (CN=fallback.example)`);
    expect(await cn('secure.example'), 'SNI names with their own Secret keep it').to.equal('secure.example');
  });

  it('rotates a certificate without dropping a connection or failing a request', async function () {
    this.timeout(60_000);
    const s = stack();
    expect(await cn('rotating.example')).to.equal('rotating.example');
    // One long-lived keep-alive connection, plus a steady load of new ones.
    const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    agent.on('free', (socket) => sockets.add(socket));
    const load = startLoad({ port: s.httpsPort, host: 'rotating.example', tls: { servername: 'rotating.example' } }, 100);
    let kept = 0;
    let keptFailures = 0;
    let stopKept = false;
    const keptLoop = (async () => {
      while (!stopKept) {
        try {
          const r = await get({ port: s.httpsPort, host: 'rotating.example', tls: { servername: 'rotating.example' }, agent });
          if (r.status === 200) kept++;
          else keptFailures++;
        } catch {
          keptFailures++;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const next = await selfSigned(['rotating.example', 'rotating-v2']);
      await s.apply([tlsSecret(NS, 'rotating-cert', next)]);
      await waitUntil(async () => {
        const san = (await peerCertificate(s.httpsPort, 'rotating.example')).subjectaltname;
        return (san ?? '').includes('rotating-v2');
      }, 15_000, () => 'new handshakes never got the rotated certificate (SAN rotating-v2)');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      stopKept = true;
      await keptLoop;
    }
    const result = await load.stop();
    agent.destroy();
    expect(result.failures, `load on new connections during the rotation: ${describeLoad(result)}`).to.deep.equal([]);
    expect(result.sent, 'requests sent during the rotation').to.be.greaterThan(100);
    expect(keptFailures, 'failed requests on the long-lived connection').to.equal(0);
    expect(kept, 'requests on the long-lived connection').to.be.greaterThan(20);
    expect(sockets.size, 'sockets the long-lived connection used (1 = never dropped)').to.equal(1);
  });
});
