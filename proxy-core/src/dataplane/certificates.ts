/**
 * The worker's certificate store and crt-lists, compiled into SNI indexes. A SecureContext is
 * built once per committed certificate (at change time), and the SNI callback only does map
 * lookups: the exact name, then the one-label wildcard, then the bind's default certificate.
 * A certificate replaced through the runtime API serves the next handshake.
 */
import { createSecureContext, type SecureContext } from 'node:tls';

/** TLS 1.2 and 1.3 only; Node's default cipher list (ECDHE + AEAD first) is already sane. */
export const TLS_OPTIONS = {
  minVersion: 'TLSv1.2',
  honorCipherOrder: true,
  ALPNProtocols: ['http/1.1'],
} as const;

interface Cert {
  readonly context: SecureContext;
  readonly cert: string;
  readonly key: string;
  readonly names: readonly string[];
}

interface CrtList {
  /** Certificates in the order they were added, with their SNI filters (empty = the cert's names). */
  readonly entries: Map<string, readonly string[]>;
  /** Compiled: exact name → cert, `.suffix` → cert (for `*.suffix`). Null when stale. */
  index: { exact: Map<string, SecureContext>; wildcard: Map<string, SecureContext> } | null;
}

function secureContext(cert: string, key: string): SecureContext {
  return createSecureContext({ cert, key, ...TLS_OPTIONS });
}

export class Certificates {
  private readonly certs = new Map<string, Cert>();
  private readonly lists = new Map<string, CrtList>();
  /** Called after any change so listeners can refresh their default context. */
  onChange: (() => void) | null = null;

  set(name: string, cert: string, key: string, names: readonly string[]): void {
    this.certs.set(name, { context: secureContext(cert, key), cert, key, names: names.map((n) => n.toLowerCase()) });
    this.invalidate();
  }

  delete(name: string): void {
    this.certs.delete(name);
    this.invalidate();
  }

  listAdd(list: string, cert: string, sni: readonly string[]): void {
    let l = this.lists.get(list);
    if (l === undefined) this.lists.set(list, (l = { entries: new Map(), index: null }));
    l.entries.set(cert, sni.map((n) => n.toLowerCase()));
    l.index = null;
    this.onChange?.();
  }

  listDel(list: string, cert: string): void {
    const l = this.lists.get(list);
    if (l === undefined) return;
    l.entries.delete(cert);
    l.index = null;
    this.onChange?.();
  }

  clear(): void {
    this.certs.clear();
    this.lists.clear();
    this.onChange?.();
  }

  context(name: string): SecureContext | undefined {
    return this.certs.get(name)?.context;
  }

  /** The PEM texts of a certificate (a TLS server's no-SNI context is built from them). */
  pem(name: string): { readonly cert: string; readonly key: string } | undefined {
    return this.certs.get(name);
  }

  /**
   * The context for an SNI name from a crt-list, or undefined (the caller uses its default).
   * Exact names beat wildcards; among equals the entry added first wins, as in HAProxy.
   */
  select(list: string | null, servername: string): SecureContext | undefined {
    if (list === null) return undefined;
    const l = this.lists.get(list);
    if (l === undefined) return undefined;
    const idx = l.index ?? (l.index = this.compile(l));
    const name = servername.toLowerCase();
    const hit = idx.exact.get(name);
    if (hit !== undefined) return hit;
    const dot = name.indexOf('.');
    return dot > 0 ? idx.wildcard.get(name.slice(dot)) : undefined;
  }

  private compile(l: CrtList): NonNullable<CrtList['index']> {
    const exact = new Map<string, SecureContext>();
    const wildcard = new Map<string, SecureContext>();
    for (const [certName, filters] of l.entries) {
      const cert = this.certs.get(certName);
      if (cert === undefined) continue;
      for (const n of filters.length > 0 ? filters : cert.names) {
        if (n.startsWith('!')) continue; // negative filters are not supported: never serve them
        if (n.startsWith('*.')) {
          if (!wildcard.has(n.slice(1))) wildcard.set(n.slice(1), cert.context);
        } else if (!exact.has(n)) {
          exact.set(n, cert.context);
        }
      }
    }
    return { exact, wildcard };
  }

  private invalidate(): void {
    for (const l of this.lists.values()) l.index = null;
    this.onChange?.();
  }
}
