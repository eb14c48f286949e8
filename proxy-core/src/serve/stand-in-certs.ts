/**
 * A bind's default certificate (`bind … ssl crt <name>`) that no file provided starts empty
 * (certs/declare-certs.ts). Handshakes for unknown names must still complete, so the process
 * gives each empty one a self-signed stand-in (as ingress-nginx's "Fake Certificate") until
 * `set ssl cert <name>` + `commit ssl cert <name>` replace it. Each stand-in is logged and
 * counted as a fallback, never silent.
 */
import type { CertStore } from '../certs/cert-store.ts';
import { parsePemBundle } from '../certs/pem.ts';
import type { Logger } from '../log.ts';
import { selfSignedCertificate } from '../tls/self-signed.ts';

export async function fillStandInCertificates(certs: CertStore, logger: Logger, onFallback: (reason: string) => void): Promise<void> {
  for (const name of certs.certNames()) {
    if (certs.cert(name)?.data !== undefined) continue;
    const pair = await selfSignedCertificate();
    const parsed = parsePemBundle(pair.cert + pair.key);
    if (!parsed.ok) throw new Error(`stand-in certificate for '${name}': ${parsed.reason}`);
    // Fills the data only: the binds that use it were counted when it was declared.
    certs.loadCertificate(name, parsed.data);
    onFallback('self-signed-default-certificate');
    logger.warn({ certificate: name }, 'serving a self-signed stand-in for this default certificate until one is set through the runtime API');
  }
}
