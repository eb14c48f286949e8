/**
 * The text of `show ssl cert <name>` in HAProxy's layout (3.0's field set, without OCSP
 * lines since Hawser does no OCSP): Filename, Status, Serial, notBefore, notAfter, Subject
 * Alternative Name, Algorithm, SHA1 FingerPrint, Subject, Issuer, then Chain Subject / Chain
 * Issuer per chain certificate. Pure.
 */
import type { X509Certificate } from 'node:crypto';
import { sanEntries, type CertData } from './pem.ts';

export type CertStatus = 'Empty' | 'Uncommitted' | 'Unused' | 'Used';

/** HAProxy's ssl_sock_get_dn_oneline(): `/CN=a.test/OU=gen1`, in certificate order. */
function oneline(dn: string): string {
  return dn === '' ? '' : `/${dn.split('\n').join('/')}`;
}

/** HAProxy prints only DNS names, but a separator for every SAN entry. */
function sanLine(cert: X509Certificate): string {
  return sanEntries(cert)
    .map((e, i) => (i > 0 ? ', ' : '') + (e.startsWith('DNS:') ? e : ''))
    .join('');
}

/** HAProxy's cert_get_pkey_algo(): `RSA2048`, `EC256`, `DSA2048`, else `unknown`. */
function algorithm(cert: X509Certificate): string {
  const k = cert.publicKey;
  const d = k.asymmetricKeyDetails;
  switch (k.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `RSA${d?.modulusLength ?? 0}`;
    case 'dsa':
      return `DSA${d?.modulusLength ?? 0}`;
    case 'ec': {
      const bits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256, 'P-256': 256, 'P-384': 384, 'P-521': 521 };
      return `EC${bits[d?.namedCurve ?? ''] ?? 0}`;
    }
    default:
      return 'unknown';
  }
}

/** node gives `AA:BB:…`; HAProxy prints the bytes as hex without separators. */
function hex(colonHex: string): string {
  return colonHex.replace(/:/g, '').toUpperCase();
}

export function showCertDetail(name: string, status: CertStatus, data: CertData | undefined): string {
  let out = `Filename: ${name}\nStatus: ${status}\n`;
  if (data === undefined) return out;
  const c = data.cert;
  out += `Serial: ${c.serialNumber.toUpperCase()}\n`;
  out += `notBefore: ${c.validFrom}\n`;
  out += `notAfter: ${c.validTo}\n`;
  out += `Subject Alternative Name: ${sanLine(c)}\n`;
  out += `Algorithm: ${algorithm(c)}\n`;
  out += `SHA1 FingerPrint: ${hex(c.fingerprint)}\n`;
  out += `Subject: ${oneline(c.subject)}\n`;
  out += `Issuer: ${oneline(c.issuer)}\n`;
  for (const ca of data.chain) {
    out += `Chain Subject: ${oneline(ca.subject)}\n`;
    out += `Chain Issuer: ${oneline(ca.issuer)}\n`;
  }
  return out;
}
