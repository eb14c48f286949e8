import { expect } from 'chai';
import type { V1EndpointSlice, V1Ingress, V1ObjectMeta, V1Secret, V1Service } from '@kubernetes/client-node';
import { certificateVerdict, convertEndpointSlice, convertIngress, convertSecret, convertService } from './convert.ts';
import { OTHER_KEY, TEST_CERT, TEST_CERT_SHA1, TEST_KEY } from './test-certificate.ts';
import { certificateFingerprint } from '../runtime/fingerprint.ts';
import { buildModel } from '../model/build.ts';
import { options } from '../model/fixtures.ts';

const meta = (name: string): V1ObjectMeta => ({
  namespace: 'ns', name, uid: '0b0b0b0b-0000-4000-8000-000000000001', creationTimestamp: new Date('2024-05-01T10:00:00Z'),
  annotations: { 'hawser.dev/load-balance': 'leastconn' },
  managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
});

describe('kube: client-node objects become slim records', () => {
  it('keeps what the model reads of an Ingress and drops managedFields', () => {
    const ing: V1Ingress = {
      metadata: meta('a'),
      spec: {
        ingressClassName: 'hawser',
        defaultBackend: { service: { name: 'web', port: { name: 'http' } } },
        rules: [{ host: 'a.example.com', http: { paths: [{ path: '/x', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
        tls: [{ hosts: ['a.example.com'], secretName: 'cert' }],
      },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    };
    const r = convertIngress(ing);
    expect(r).to.deep.equal({
      meta: { namespace: 'ns', name: 'a', uid: '0b0b0b0b-0000-4000-8000-000000000001', creationTimestamp: '2024-05-01T10:00:00.000Z', annotations: { 'hawser.dev/load-balance': 'leastconn' } },
      ingressClassName: 'hawser',
      defaultBackend: { service: { name: 'web', port: { name: 'http' } } },
      rules: [{ host: 'a.example.com', paths: [{ path: '/x', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] }],
      tls: [{ hosts: ['a.example.com'], secretName: 'cert' }],
    });
    expect(JSON.stringify(r)).to.not.include('managedFields');
  });

  it('reads a watch event\'s string timestamp like a listed Date', () => {
    const raw = { metadata: { ...meta('a'), creationTimestamp: '2024-05-01T10:00:00Z' } } as unknown as V1Ingress;
    expect(convertIngress(raw).meta.creationTimestamp).to.equal('2024-05-01T10:00:00.000Z');
  });

  it('defaults a Service port protocol to TCP and its name to empty', () => {
    const svc: V1Service = { metadata: meta('web'), spec: { ports: [{ port: 80 }] } };
    expect(convertService(svc).ports).to.deep.equal([{ name: '', port: 80, protocol: 'TCP' }]);
  });

  it('reads the EndpointSlice service label, conditions and targetRef', () => {
    const s: V1EndpointSlice = {
      metadata: { ...meta('web-x'), labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'nope' }],
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: false, serving: true, terminating: true }, targetRef: { kind: 'Pod', uid: 'p-1', name: 'web-0' } }],
    };
    const r = convertEndpointSlice(s);
    expect([r.serviceName, r.ports, r.endpoints]).to.deep.equal(['web', [{ name: 'http', port: 8080, protocol: 'TCP' }], [{ addresses: ['10.0.0.1'], conditions: { ready: false, serving: true, terminating: true }, targetRef: { kind: 'Pod', uid: 'p-1' } }]]);
  });

  it('parses a TLS Secret and fingerprints it as show ssl cert does', () => {
    const secret: V1Secret = { metadata: meta('cert'), type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(TEST_CERT).toString('base64'), 'tls.key': Buffer.from(TEST_KEY).toString('base64') } };
    const r = convertSecret(secret);
    expect(r.certificate).to.deep.equal({ ok: true, fingerprint: TEST_CERT_SHA1, notAfter: r.certificate?.ok === true ? r.certificate.notAfter : '' });
    expect(certificateFingerprint(TEST_CERT)).to.equal(TEST_CERT_SHA1);
  });

  const bad: { name: string; crt: string; key: string; detail: RegExp }[] = [
    { name: 'a key that does not match', crt: TEST_CERT, key: OTHER_KEY, detail: /does not match/ },
    { name: 'a broken certificate', crt: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', key: TEST_KEY, detail: /does not parse/ },
    { name: 'garbage', crt: 'hello', key: 'world', detail: /does not parse/ },
    { name: 'a 1 MB tls.crt', crt: 'A'.repeat(1 << 20), key: TEST_KEY, detail: /over 262144 bytes/ },
  ];
  for (const c of bad) {
    it(`refuses ${c.name} without throwing`, () => {
      const v = certificateVerdict(c.crt, c.key);
      expect(v.ok).to.equal(false);
      if (!v.ok) expect(v.detail).to.match(c.detail);
    });
  }

  it('feeds a real certificate through the model to a crt-list entry', () => {
    const secret = convertSecret({ metadata: meta('cert'), type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(TEST_CERT).toString('base64'), 'tls.key': Buffer.from(TEST_KEY).toString('base64') } });
    const ing = convertIngress({ metadata: { ...meta('a'), uid: '0b0b0b0b-0000-4000-8000-000000000002' }, spec: { ingressClassName: 'hawser', tls: [{ hosts: ['a.example.com'], secretName: 'cert' }] } });
    const d = buildModel({ ingressClasses: [{ meta: { namespace: '', name: 'hawser', uid: 'c1', creationTimestamp: '', annotations: {} }, controller: 'hawser.dev/ingress-controller', isDefault: false }], ingresses: [ing], services: [], endpointSlices: [], secrets: [secret] }, options()).desired;
    expect(d.certificates.map((c) => c.fingerprint)).to.deep.equal([TEST_CERT_SHA1]);
    expect(certificateFingerprint(d.certificates[0]?.pem ?? '')).to.equal(TEST_CERT_SHA1);
  });
});
