/**
 * Loads what a configuration says about TLS into the certificate store at start-up:
 * `bind … ssl crt <file>` loads that PEM (the bind's default certificate) and
 * `bind … crt-list <name>` declares the list, filled at run time by `add ssl crt-list`.
 * Reading the files is the caller's (the process edge); returns HAProxy-style error texts.
 */
import type { ParsedConfig } from '../config/types.ts';
import type { CertStore } from './cert-store.ts';
import { keyMatches, parsePemBundle } from './pem.ts';

/** `read(path)` returns the file's text, or undefined when it cannot be read. */
export function declareCertificates(cfg: ParsedConfig, certs: CertStore, read: (path: string) => string | undefined): string[] {
  const errors: string[] = [];
  for (const p of cfg.proxies) {
    for (const b of p.binds) {
      const where = `parsing [${cfg.file}:${b.line}] : 'bind' : `;
      if (b.crt !== null && certs.cert(b.crt) === undefined) {
        const text = read(b.crt);
        if (text === undefined) {
          errors.push(`${where}unable to stat SSL certificate from file '${b.crt}' : No such file or directory.`);
        } else {
          const parsed = parsePemBundle(text);
          if (!parsed.ok) errors.push(`${where}unable to load certificate from file '${b.crt}': ${parsed.reason}.`);
          else if (parsed.data.key === undefined) errors.push(`${where}No Private Key found in '${b.crt}'.`);
          else if (!keyMatches(parsed.data)) errors.push(`${where}inconsistencies between private key and certificate loaded '${b.crt}'.`);
          else certs.loadCertificate(b.crt, parsed.data, { bindDefault: true });
        }
      } else if (b.crt !== null) {
        const entry = certs.cert(b.crt);
        if (entry?.data !== undefined) certs.loadCertificate(b.crt, entry.data, { bindDefault: true });
      }
      if (b.crtList !== null) certs.declareCrtList(b.crtList);
    }
  }
  return errors;
}
