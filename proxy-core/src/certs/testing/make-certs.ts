/**
 * Test fixture generator: self-signed and CA-signed certificates made with the machine's
 * `openssl` in a temp dir. Test material only; nothing is committed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestCert {
  readonly cert: string;
  readonly key: string;
  /** cert + key, as `set ssl cert` takes it. */
  readonly bundle: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A self-signed certificate for `cn` with the given DNS SANs (none when empty). */
export function selfSigned(dir: string, name: string, cn: string, sans: string[] = [], kind: 'rsa' | 'ec' = 'rsa'): TestCert {
  const key = path.join(dir, `${name}.key`);
  const crt = path.join(dir, `${name}.crt`);
  const keyArgs = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  const sanArgs = sans.length > 0 ? ['-addext', `subjectAltName=${sans.map((s) => `DNS:${s}`).join(',')}`] : [];
  openssl(dir, ['req', '-x509', ...keyArgs, '-nodes', '-keyout', key, '-out', crt, '-days', '2', '-subj', `/CN=${cn}`, ...sanArgs]);
  const c = readFileSync(crt, 'utf8');
  const k = readFileSync(key, 'utf8');
  return { cert: c, key: k, bundle: c + k };
}

/** A CA and a leaf signed by it; the leaf's bundle carries the CA as its chain. */
export function signedByCa(dir: string, cn: string): { leaf: TestCert; ca: TestCert } {
  const ca = selfSigned(dir, 'ca', 'Test CA');
  const key = path.join(dir, 'leaf.key');
  const csr = path.join(dir, 'leaf.csr');
  const crt = path.join(dir, 'leaf.crt');
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`]);
  writeFileSync(path.join(dir, 'ext.cnf'), `subjectAltName=DNS:${cn}\n`);
  openssl(dir, ['x509', '-req', '-in', csr, '-CA', path.join(dir, 'ca.crt'), '-CAkey', path.join(dir, 'ca.key'), '-CAcreateserial', '-out', crt, '-days', '2', '-extfile', path.join(dir, 'ext.cnf')]);
  const c = readFileSync(crt, 'utf8');
  const k = readFileSync(key, 'utf8');
  return { leaf: { cert: c, key: k, bundle: c + ca.cert + k }, ca };
}
