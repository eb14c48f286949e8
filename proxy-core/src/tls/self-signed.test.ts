import { expect } from 'chai';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { selfSignedCertificate } from './self-signed.ts';

describe('stand-in certificate', () => {
  it('is a valid certificate whose key matches, usable by node:tls', async () => {
    const pair = await selfSignedCertificate();
    const cert = new X509Certificate(pair.cert);
    expect(cert.subject).to.include('CN=Hawser Default Certificate');
    expect(cert.checkPrivateKey(createPrivateKey(pair.key))).to.equal(true);
    expect(() => createSecureContext({ cert: pair.cert, key: pair.key })).not.to.throw();
    expect(new Date(cert.validTo).getTime()).to.be.greaterThan(Date.now() + 300 * 86_400_000);
  });
});
