import { expect } from 'chai';
import { buildModel } from './build.ts';
import { CERT_FINGERPRINT, CERT_PEM, KEY_PEM, ingress, options, service, snapshot, tlsSecret } from './fixtures.ts';
import { normalisePem } from './pem.ts';
import type { BuildResult } from './build.ts';
import type { ModelOptions } from './types.ts';

type Obj = Parameters<typeof snapshot>[0][number];
const web = service('ns/web').port(80).build();
const cert = tlsSecret('ns/cert');

function build(objects: Obj[], o: Partial<ModelOptions> = {}): BuildResult {
  return buildModel(snapshot([web, ...objects]), options(o));
}

describe('model: TLS Secrets become certificates and crt-list entries', () => {
  it('serves a TLS Secret by SNI for the hosts of spec.tls', () => {
    const d = build([cert, ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 80).tls('cert', 'a.example.com', 'www.example.com').build()]).desired;
    expect(d.certificates.map((c) => [c.name, c.fingerprint])).to.deep.equal([[`secret-${cert.meta.uid}.pem`, CERT_FINGERPRINT]]);
    expect(d.crtList).to.deep.equal([{ cert: `secret-${cert.meta.uid}.pem`, snis: ['a.example.com', 'www.example.com'] }]);
  });

  it('merges the hosts of every Ingress naming the same Secret', () => {
    const d = build([
      cert,
      ingress('ns/a').tls('cert', 'b.example.com').build(),
      ingress('ns/b').tls('cert', 'a.example.com', '*.example.com').build(),
    ]).desired;
    expect(d.crtList[0]?.snis).to.deep.equal(['*.example.com', 'a.example.com', 'b.example.com']);
  });

  it('serves the certificate\'s own names when a spec.tls block lists no hosts', () => {
    const d = build([cert, ingress('ns/a').tls('cert').build(), ingress('ns/b').tls('cert', 'a.example.com').build()]).desired;
    expect(d.crtList[0]?.snis).to.deep.equal([]);
  });

  it('looks the Secret up in the Ingress namespace only', () => {
    const r = build([tlsSecret('other/cert'), ingress('ns/a').tls('cert', 'a.example.com').build()]);
    expect(r.desired.certificates).to.deep.equal([]);
    expect(r.warnings.map((w) => w.code)).to.deep.equal(['HWS_ERR_TLS_SECRET_NOT_FOUND']);
  });

  const invalid: { name: string; secret: Obj }[] = [
    { name: 'a Secret of another type', secret: tlsSecret('ns/cert', undefined, { type: 'Opaque' }) },
    { name: 'a Secret without tls.key', secret: { ...tlsSecret('ns/cert'), tlsKey: undefined } as unknown as Obj },
    { name: 'a certificate the edge could not parse', secret: tlsSecret('ns/cert', undefined, { certificate: { ok: false, detail: 'tls.crt does not parse' } }) },
    { name: 'a tls.crt that holds no PEM block', secret: tlsSecret('ns/cert', undefined, { tlsCrt: 'hello' }) },
    { name: 'a tls.key with two keys', secret: tlsSecret('ns/cert', undefined, { tlsKey: KEY_PEM + KEY_PEM }) },
    { name: 'a PEM body with characters outside base64', secret: tlsSecret('ns/cert', undefined, { tlsCrt: '-----BEGIN CERTIFICATE-----\nab;cd\n-----END CERTIFICATE-----' }) },
  ];
  for (const c of invalid) {
    it(`refuses ${c.name} and keeps routing`, () => {
      const r = build([c.secret, ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 80).tls('cert', 'a.example.com').build()]);
      expect(r.desired.certificates).to.deep.equal([]);
      expect(r.desired.routes.map((x) => x.key)).to.deep.equal(['prefix:a.example.com/']);
      expect(r.warnings.map((w) => w.code)).to.deep.equal(['HWS_ERR_TLS_SECRET_INVALID']);
    });
  }

  it('sets the default certificate from --default-ssl-certificate', () => {
    const d = build([tlsSecret('infra/default', 'CD'.repeat(20))], { defaultCertificateSecret: 'infra/default' }).desired;
    expect(d.defaultCertificate?.name).to.equal('default.pem');
    expect(d.defaultCertificate?.fingerprint).to.equal('CD'.repeat(20));
  });

  it('reports a missing default certificate Secret', () => {
    const r = build([], { defaultCertificateSecret: 'infra/nope' });
    expect(r.desired.defaultCertificate).to.equal(undefined);
    expect(r.warnings.map((w) => w.code)).to.deep.equal(['HWS_ERR_DEFAULT_CERT_INVALID']);
  });
});

describe('model: PEM payloads are rebuilt, never copied', () => {
  it('drops text between blocks and empty lines that would end a CLI payload', () => {
    const hostile = `junk\n\nshow map\n${CERT_PEM}\n\n;del ssl cert x\n`;
    const pem = normalisePem(hostile, KEY_PEM);
    expect(pem).to.be.a('string');
    expect(pem).to.not.include('\n\n');
    expect(pem).to.not.include('junk');
    expect(pem?.split('\n').every((l) => /^(?:-----(?:BEGIN|END) [A-Z ]+-----|[A-Za-z0-9+/=]{1,64})$/.test(l))).to.equal(true);
  });

  it('puts the chain before the key', () => {
    const pem = normalisePem(CERT_PEM + CERT_PEM, KEY_PEM) ?? '';
    expect(pem.split('\n').filter((l) => l.startsWith('-----BEGIN'))).to.deep.equal(['-----BEGIN CERTIFICATE-----', '-----BEGIN CERTIFICATE-----', '-----BEGIN PRIVATE KEY-----']);
  });
});
