import { expect } from 'chai';
import type { V1EndpointSlice, V1Ingress, V1Secret } from '@kubernetes/client-node';
// A test-only import: the stand-in certificate maker is the quickest source of a real key pair.
import { selfSignedCertificate } from '../../../proxy-core/src/tls/self-signed.ts';
import { endpointSliceRecord, ingressRecord, meta, secretRecord } from './convert.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('converting API objects to slim records', () => {
  it('keeps only the metadata the model reads, managedFields dropped', () => {
    const m = meta({ metadata: { name: 'a', namespace: 'n', uid: 'u', creationTimestamp: new Date('2026-01-02T03:04:05Z'), managedFields: [{ manager: 'kubectl' }], labels: { x: 'y' } } });
    expect(m).to.deep.equal({ namespace: 'n', name: 'a', uid: 'u', creationTimestamp: '2026-01-02T03:04:05Z', annotations: {} });
  });

  it('turns values of the wrong type into empty values instead of throwing', () => {
    const hostile = { metadata: { name: 42, annotations: { ok: 'v', bad: 7 } }, spec: { rules: 'nope', tls: [{ hosts: [1, 'a.example'] }] } } as unknown as V1Ingress;
    const r = ingressRecord(hostile);
    expect(r.meta.name).to.equal('');
    expect(r.meta.annotations).to.deep.equal({ ok: 'v' });
    expect(r.rules).to.deep.equal([]);
    expect(r.tls).to.deep.equal([{ hosts: ['', 'a.example'] }]);
  });

  it('keeps the backend port by number or by name, and the class name', () => {
    const r = ingressRecord({ metadata: { name: 'i' }, spec: { ingressClassName: 'hawser', defaultBackend: { service: { name: 's', port: { name: 'http' } } }, rules: [{ host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } });
    expect(r.ingressClassName).to.equal('hawser');
    expect(r.defaultBackend).to.deep.equal({ service: { name: 's', port: { name: 'http' } } });
    expect(r.rules[0]?.paths[0]?.backend).to.deep.equal({ service: { name: 's', port: { number: 80 } } });
  });

  it('reads endpoint conditions and the Pod behind each endpoint', () => {
    const s: V1EndpointSlice = {
      addressType: 'IPv4', metadata: { name: 's-1', labels: { 'kubernetes.io/service-name': 's' } },
      ports: [{ name: 'http', port: 8080 }],
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: false, serving: true, terminating: true }, targetRef: { kind: 'Pod', uid: 'pod-1' } }],
    };
    const r = endpointSliceRecord(s);
    expect(r.serviceName).to.equal('s');
    expect(r.ports).to.deep.equal([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(r.endpoints[0]).to.deep.equal({ addresses: ['10.0.0.1'], conditions: { ready: false, serving: true, terminating: true }, targetRef: { kind: 'Pod', uid: 'pod-1' } });
  });

  it('parses a TLS Secret into a certificate verdict with the fingerprint', async () => {
    const pair = await selfSignedCertificate('secret.example');
    const r = secretRecord({ type: 'kubernetes.io/tls', metadata: { name: 't' }, data: { 'tls.crt': b64(pair.cert), 'tls.key': b64(pair.key) } } as V1Secret);
    expect(r.certificate?.ok).to.equal(true);
    if (r.certificate?.ok) expect(r.certificate.fingerprint).to.match(/^[0-9A-F]{40}$/);
  });

  it('reports a Secret whose key does not belong to its certificate', async () => {
    const a = await selfSignedCertificate('a.example');
    const b = await selfSignedCertificate('b.example');
    const r = secretRecord({ type: 'kubernetes.io/tls', metadata: { name: 't' }, data: { 'tls.crt': b64(a.cert), 'tls.key': b64(b.key) } } as V1Secret);
    expect(r.certificate).to.deep.equal({ ok: false, detail: 'the private key does not match the certificate' });
  });

  it('reports garbage in a Secret without throwing', () => {
    const r = secretRecord({ type: 'kubernetes.io/tls', metadata: { name: 't' }, data: { 'tls.crt': b64('not a cert'), 'tls.key': b64('nope') } } as V1Secret);
    expect(r.certificate?.ok).to.equal(false);
  });
});
