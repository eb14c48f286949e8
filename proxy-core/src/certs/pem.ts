/**
 * Reads a `set ssl cert` payload the way HAProxy's ssl_sock_load_pem_into_ckch() does: the
 * first certificate is the leaf, the following ones are the chain, a private key may be
 * anywhere (a bad or missing key is not an error at this stage: `commit` checks it).
 * node:crypto parses; nothing is written anywhere.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

export interface CertData {
  readonly cert: X509Certificate;
  readonly chain: readonly X509Certificate[];
  readonly key: KeyObject | undefined;
  /** The PEM texts, kept to hand to TLS workers in change records. */
  readonly certPem: string;
  readonly chainPem: readonly string[];
  readonly keyPem: string | undefined;
}

export type PemResult = { readonly ok: true; readonly data: CertData } | { readonly ok: false; readonly reason: string };

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g;
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY']);

/** `reason` is the OpenSSL reason HAProxy appends after the file name (e.g. `no start line`). */
export function parsePemBundle(text: string): PemResult {
  const certs: string[] = [];
  let keyPem: string | undefined;
  for (const m of text.matchAll(BLOCK)) {
    const label = m[1] ?? '';
    if (label === 'CERTIFICATE' || label === 'TRUSTED CERTIFICATE') certs.push(m[0]);
    else if (KEY_LABELS.has(label) && keyPem === undefined) keyPem = m[0];
  }
  const [leafPem, ...chainPem] = certs;
  if (leafPem === undefined) return { ok: false, reason: 'no start line' };
  let cert: X509Certificate;
  const chain: X509Certificate[] = [];
  try {
    cert = new X509Certificate(leafPem);
    for (const c of chainPem) chain.push(new X509Certificate(c));
  } catch {
    return { ok: false, reason: 'ASN1 lib' };
  }
  let key: KeyObject | undefined;
  let normalizedKey: string | undefined;
  if (keyPem !== undefined) {
    try {
      key = createPrivateKey(keyPem);
      normalizedKey = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    } catch {
      key = undefined;
    }
  }
  return { ok: true, data: { cert, chain, key, certPem: leafPem, chainPem, keyPem: normalizedKey } };
}

/** X509_check_private_key(): the key is the certificate's. */
export function keyMatches(data: CertData): boolean {
  return data.key !== undefined && data.cert.checkPrivateKey(data.key);
}

/**
 * The names a certificate serves when a crt-list entry has no SNI filter: its DNS SANs, or its
 * CN when it has none (HAProxy's ckch_inst_new_load_store()).
 */
export function serverNames(cert: X509Certificate): string[] {
  const dns = sanEntries(cert)
    .filter((e) => e.startsWith('DNS:'))
    .map((e) => e.slice(4).toLowerCase());
  if (dns.length > 0) return dns;
  const cn = /^CN=(.*)$/m.exec(cert.subject)?.[1];
  return cn === undefined ? [] : [cn.toLowerCase()];
}

/** The SAN list as `TYPE:value` strings, in certificate order. */
export function sanEntries(cert: X509Certificate): string[] {
  const san = cert.subjectAltName;
  if (san === undefined || san === '') return [];
  return san.split(', ');
}
