/**
 * The stand-in certificate: when a bind names a default certificate (`ssl crt <name>`) that is not
 * loaded at start-up, the proxy still has to complete handshakes for unknown names, so it makes a
 * self-signed certificate under that name (as ingress-nginx's "Fake Certificate"). The controller
 * replaces it through the runtime API (`set ssl cert` + `commit ssl cert`) when a default
 * certificate is configured. Each use is logged and counted, never silent.
 */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface PemPair {
  readonly cert: string;
  readonly key: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export async function selfSignedCertificate(commonName = 'Hawser Default Certificate', days = 365): Promise<PemPair> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${commonName}, O=Hawser`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + days * 86_400_000),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'hawser.invalid' }]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const b64 = Buffer.from(pkcs8).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return { cert: cert.toString('pem'), key: `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n` };
}
