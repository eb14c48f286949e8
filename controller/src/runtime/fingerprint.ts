/**
 * The SHA-1 fingerprint of a PEM's first certificate, as HAProxy's `show ssl cert <name>` prints
 * it (`SHA1 FingerPrint:`, upper-case hex of the DER). The edge computes it for desired
 * certificates and the fake proxy for applied ones, so both sides compare equal.
 */
import { createHash } from 'node:crypto';

export function certificateFingerprint(pem: string): string | undefined {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (m?.[1] === undefined) return undefined;
  const der = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  return der.length === 0 ? undefined : createHash('sha1').update(der).digest('hex').toUpperCase();
}
