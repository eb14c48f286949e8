/**
 * Loads what a configuration says about TLS into the certificate store at start-up:
 * `bind … ssl crt <file>` loads that PEM (the bind's default certificate) and
 * `bind … crt-list <name>` declares the list, filled at run time by `add ssl crt-list`.
 * A certificate file that does not exist is not an error: the name is an identifier (the chart
 * names `default.pem`), its store starts empty (the data plane serves a self-signed stand-in,
 * tls/self-signed.ts) until `set ssl cert` + `commit ssl cert` fill it; a warning says so.
 * A file that exists but holds no usable certificate and key is an error, as in HAProxy.
 * Reading the files is the caller's (the process edge).
 */
import type { ParsedConfig } from '../config/types.ts';
import type { CertStore } from './cert-store.ts';
import { keyMatches, parsePemBundle } from './pem.ts';

export interface Declared {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** `read(path)` returns the file's text, or undefined when it cannot be read. */
export function declareCertificates(cfg: ParsedConfig, certs: CertStore, read: (path: string) => string | undefined): Declared {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const p of cfg.proxies) {
    for (const b of p.binds) {
      const where = `parsing [${cfg.file}:${b.line}] : 'bind' : `;
      if (b.crt !== null && certs.cert(b.crt) === undefined) {
        const text = read(b.crt);
        if (text === undefined) {
          warnings.push(`${where}certificate '${b.crt}' is not loaded from a file: it stays empty until 'set ssl cert' and 'commit ssl cert'.`);
          certs.loadCertificate(b.crt, undefined, { bindDefault: true });
        } else {
          const parsed = parsePemBundle(text);
          if (!parsed.ok) errors.push(`${where}unable to load certificate from file '${b.crt}': ${parsed.reason}.`);
          else if (parsed.data.key === undefined) errors.push(`${where}No Private Key found in '${b.crt}'.`);
          else if (!keyMatches(parsed.data)) errors.push(`${where}inconsistencies between private key and certificate loaded '${b.crt}'.`);
          else certs.loadCertificate(b.crt, parsed.data, { bindDefault: true });
        }
      } else if (b.crt !== null) {
        certs.loadCertificate(b.crt, certs.cert(b.crt)?.data, { bindDefault: true });
      }
      if (b.crtList !== null) certs.declareCrtList(b.crtList);
    }
  }
  return { errors, warnings };
}
