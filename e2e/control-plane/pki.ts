// The certificates of one control plane, made with openssl: a CA, the API server's serving
// certificate, the admin's client certificate, and the key pair that signs ServiceAccount tokens.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { E2eError } from './e2e-errors.ts';

const run = promisify(execFile);

export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly saPublicKey: string;
  readonly saPrivateKey: string;
}

/** Two days is plenty for a test run and keeps a leaked key useless soon. */
const DAYS = '2';
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(dir: string, args: readonly string[]): Promise<void> {
  try {
    await run('openssl', [...args], { cwd: dir });
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr ?? String(err);
    throw new E2eError('HWS_E2E_ERR_PKI', `openssl ${args[0] ?? ''} failed in ${dir}: ${detail.trim()}`, { cause: err });
  }
}

/** Signs a new EC key's certificate with the CA; `ext` holds the X.509 v3 extensions. */
async function issue(dir: string, name: string, subject: string, ext: string): Promise<void> {
  await openssl(dir, ['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  await writeFile(join(dir, `${name}.ext`), ext);
  await openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', DAYS, '-out', `${name}.crt`, '-extfile', `${name}.ext`,
  ]);
}

/**
 * Precondition: `dir` is private to this control plane. Creates it and writes every file there.
 * The admin is in `system:masters`, which RBAC lets do anything.
 */
export async function createPki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await openssl(dir, ['req', '-x509', ...EC, '-days', DAYS, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=hawser-e2e-ca']);
  await issue(dir, 'apiserver', '/CN=kube-apiserver',
    'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n');
  await issue(dir, 'admin', '/O=system:masters/CN=hawser-e2e-admin',
    'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n');
  await openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'sa.key']);
  await openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  const p = (file: string): string => join(dir, file);
  return {
    dir,
    caCert: p('ca.crt'), caKey: p('ca.key'),
    serverCert: p('apiserver.crt'), serverKey: p('apiserver.key'),
    adminCert: p('admin.crt'), adminKey: p('admin.key'),
    saPublicKey: p('sa.pub'), saPrivateKey: p('sa.key'),
  };
}
