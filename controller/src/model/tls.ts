/**
 * spec.tls → certificates and crt-list entries (SNI). A certificate is named after its Secret's
 * UID (`secret-<uid>.pem`), so new content for the same Secret is a `set ssl cert` + `commit` on the same
 * name, which swaps it atomically for new handshakes. A crt-list entry's SNI filters are the
 * union of the hosts of every spec.tls block that names the Secret; a block without hosts makes
 * the entry filter-less (the certificate then serves the names it holds).
 */
import type { ModelOptions, SecretRecord } from './types.ts';
import type { CertificateSpec, CrtListEntry } from './proxy-state.ts';
import type { ModelWarning, ObjectRef } from './warnings.ts';
import type { TlsClaim } from './ingress.ts';
import type { HwsErrCode } from '../errors.ts';
import { ingressRef } from './ingress.ts';
import { certificateName } from './ids.ts';
import { normalisePem } from './pem.ts';
import { cmp } from './warnings.ts';

type CertVerdict = { ok: true; cert: CertificateSpec } | { ok: false; code: HwsErrCode; message: string };

export function secretRef(s: SecretRecord): ObjectRef {
  return { kind: 'Secret', namespace: s.meta.namespace, name: s.meta.name, uid: s.meta.uid };
}

/** Precondition: `secret` is the one the reference names. */
export function certificateFromSecret(secret: SecretRecord, name: string): CertVerdict {
  const id = `${secret.meta.namespace}/${secret.meta.name}`;
  if (secret.type !== 'kubernetes.io/tls') return { ok: false, code: 'HWS_ERR_TLS_SECRET_INVALID', message: `Secret ${id} is not of type kubernetes.io/tls` };
  if (secret.tlsCrt === undefined || secret.tlsKey === undefined) return { ok: false, code: 'HWS_ERR_TLS_SECRET_INVALID', message: `Secret ${id} lacks tls.crt or tls.key` };
  const verdict = secret.certificate;
  if (verdict === undefined || !verdict.ok) {
    return { ok: false, code: 'HWS_ERR_TLS_SECRET_INVALID', message: `Secret ${id}: ${verdict === undefined ? 'certificate not checked' : verdict.detail}` };
  }
  const pem = normalisePem(secret.tlsCrt, secret.tlsKey);
  if (pem === undefined) return { ok: false, code: 'HWS_ERR_TLS_SECRET_INVALID', message: `Secret ${id}: tls.crt or tls.key is not well-formed PEM` };
  return { ok: true, cert: { name, pem, fingerprint: verdict.fingerprint } };
}

export interface TlsResult {
  readonly certificates: readonly CertificateSpec[];
  readonly crtList: readonly CrtListEntry[];
  readonly defaultCertificate?: CertificateSpec;
  readonly warnings: readonly ModelWarning[];
}

/** Precondition: `secrets` is keyed by `<namespace>/<name>`. */
export function buildTls(claims: readonly TlsClaim[], secrets: ReadonlyMap<string, SecretRecord>, options: ModelOptions): TlsResult {
  const warnings: ModelWarning[] = [];
  const certs = new Map<string, CertificateSpec>();
  const snis = new Map<string, Set<string> | 'any'>();
  for (const claim of claims) {
    const secret = secrets.get(`${claim.ingress.meta.namespace}/${claim.secretName}`);
    if (secret === undefined) {
      warnings.push({ object: ingressRef(claim.ingress), code: 'HWS_ERR_TLS_SECRET_NOT_FOUND', message: `TLS Secret ${claim.ingress.meta.namespace}/${claim.secretName} does not exist; its hosts get the default certificate` });
      continue;
    }
    const verdict = certificateFromSecret(secret, certificateName(secret.meta.uid));
    if (!verdict.ok) {
      warnings.push({ object: ingressRef(claim.ingress), code: verdict.code, message: `${verdict.message}; its hosts get the default certificate` });
      continue;
    }
    certs.set(verdict.cert.name, verdict.cert);
    const have = snis.get(verdict.cert.name) ?? new Set<string>();
    if (have === 'any' || claim.hosts.length === 0) snis.set(verdict.cert.name, 'any');
    else snis.set(verdict.cert.name, new Set([...have, ...claim.hosts]));
  }
  const certificates = [...certs.values()].sort((a, b) => cmp(a.name, b.name));
  const crtList = certificates.map((c) => {
    const s = snis.get(c.name);
    return { cert: c.name, snis: s === undefined || s === 'any' ? [] : [...s].sort(cmp) };
  });
  const result: TlsResult = { certificates, crtList, warnings };
  const def = defaultCertificate(secrets, options);
  if (def.warning !== undefined) warnings.push(def.warning);
  return def.cert === undefined ? result : { ...result, defaultCertificate: def.cert };
}

function defaultCertificate(secrets: ReadonlyMap<string, SecretRecord>, options: ModelOptions): { cert?: CertificateSpec; warning?: ModelWarning } {
  const id = options.defaultCertificateSecret;
  if (id === undefined) return {};
  const secret = secrets.get(id);
  const [namespace = '', name = ''] = id.split('/');
  if (secret === undefined) {
    return { warning: { object: { kind: 'Secret', namespace, name, uid: '' }, code: 'HWS_ERR_DEFAULT_CERT_INVALID', message: `default certificate Secret ${id} does not exist; the proxy keeps the certificate it has` } };
  }
  const verdict = certificateFromSecret(secret, options.defaultCertName);
  if (!verdict.ok) return { warning: { object: secretRef(secret), code: 'HWS_ERR_DEFAULT_CERT_INVALID', message: `${verdict.message}; the proxy keeps the certificate it has` } };
  return { cert: verdict.cert };
}
