/**
 * Certificates and crt-lists held by the writer (HAProxy's ckch stores and crt-lists).
 *
 * Like HAProxy there is ONE certificate transaction at a time: `set ssl cert` stages a copy,
 * `commit ssl cert` swaps it in (one change record, so TLS listeners serve the next handshake
 * with the new certificate), `abort ssl cert` drops it. crt-lists are declared by the
 * configuration (`bind … crt-list <name>`); entries are added and removed at runtime.
 * Mutations go through the writer section; reads look at the state directly.
 */
import type { ChangeInput, Emit, WriterSection } from '../runtime/writer-section.ts';
import { serverNames, type CertData } from './pem.ts';
import type { CertStatus } from './cert-info.ts';

export interface CertEntry {
  readonly name: string;
  data: CertData | undefined;
}

export interface CrtListEntry {
  readonly cert: string;
  readonly line: number;
  /** SNI filters as written (`!name` excludes). Empty: the certificate's own names. */
  readonly filters: readonly string[];
}

export interface CrtList {
  readonly name: string;
  readonly entries: CrtListEntry[];
  lineCount: number;
  /** How many `bind` lines use the list: each is one instance of each entry. */
  binds: number;
}

export interface Transaction {
  readonly name: string;
  data: CertData;
}

/**
 * What a TLS worker needs to serve a certificate, in the data plane's contract
 * (`proxy-core/src/dataplane/records.ts`, `cert.set`): the chain leaf first, the key, the names.
 */
export function certSetRecord(name: string, data: CertData): ChangeInput {
  return {
    kind: 'cert.set',
    name,
    cert: [data.certPem, ...data.chainPem].map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join(''),
    key: data.keyPem ?? '',
    names: serverNames(data.cert),
  };
}

/**
 * The data plane keeps one SNI set per (crt-list, certificate); HAProxy allows several entries.
 * The set is the union of the entries' filters, where an entry without filters stands for the
 * certificate's own names (sent as `[]`, resolved by the worker, when every entry has none).
 * Returns the record that brings the worker in line: `crtlist.add` or, with no entry left,
 * `crtlist.del`.
 */
export function crtListRecord(list: CrtList, cert: string, data: CertData | undefined): ChangeInput {
  const entries = list.entries.filter((e) => e.cert === cert);
  if (entries.length === 0) return { kind: 'crtlist.del', list: list.name, cert };
  if (entries.every((e) => e.filters.length === 0)) return { kind: 'crtlist.add', list: list.name, cert, sni: [] };
  const sni = new Set<string>();
  for (const e of entries) {
    if (e.filters.length > 0) for (const f of e.filters) sni.add(f);
    else if (data !== undefined) for (const n of serverNames(data.cert)) sni.add(n);
  }
  return { kind: 'crtlist.add', list: list.name, cert, sni: [...sni] };
}

export class CertStore {
  readonly #writer: WriterSection;
  readonly #certs = new Map<string, CertEntry>();
  readonly #lists = new Map<string, CrtList>();
  /** Certificates used directly by `bind … crt <name>`: name → number of binds. */
  readonly #bindDefaults = new Map<string, number>();
  #tx: Transaction | undefined;

  constructor(writer: WriterSection) {
    this.#writer = writer;
  }

  // ---- configuration time (before workers start; no change records) ----

  /** A certificate loaded from the configuration (`bind … crt <file>`). */
  loadCertificate(name: string, data: CertData | undefined, opts: { bindDefault?: boolean } = {}): void {
    this.#certs.set(name, { name, data });
    if (opts.bindDefault ?? false) this.#bindDefaults.set(name, (this.#bindDefaults.get(name) ?? 0) + 1);
  }

  /** A crt-list named by `bind … crt-list <name>`; each further bind adds one user. */
  declareCrtList(name: string): CrtList {
    const existing = this.#lists.get(name);
    if (existing !== undefined) {
      existing.binds++;
      return existing;
    }
    const list: CrtList = { name, entries: [], lineCount: 0, binds: 1 };
    this.#lists.set(name, list);
    return list;
  }

  // ---- reads ----

  get transaction(): Transaction | undefined {
    return this.#tx;
  }

  cert(name: string): CertEntry | undefined {
    return this.#certs.get(name);
  }

  /** Names in HAProxy's tree order (byte-wise). */
  certNames(): string[] {
    return [...this.#certs.keys()].sort(byteOrder);
  }

  list(name: string): CrtList | undefined {
    return this.#lists.get(name);
  }

  listNames(): string[] {
    return [...this.#lists.keys()].sort(byteOrder);
  }

  /** Number of places serving the certificate (HAProxy's ckch instances). */
  instances(name: string): number {
    let n = this.#bindDefaults.get(name) ?? 0;
    for (const list of this.#lists.values()) for (const e of list.entries) if (e.cert === name) n += list.binds;
    return n;
  }

  /** In use: a bind or any crt-list entry points at it. */
  inUse(name: string): boolean {
    if ((this.#bindDefaults.get(name) ?? 0) > 0) return true;
    for (const list of this.#lists.values()) if (list.entries.some((e) => e.cert === name)) return true;
    return false;
  }

  status(name: string): CertStatus {
    const entry = this.#certs.get(name);
    if (entry?.data === undefined) return 'Empty';
    return this.instances(name) > 0 ? 'Used' : 'Unused';
  }

  // ---- runtime mutations ----

  /**
   * Runs `fn` inside the writer section: checks and changes made there cannot interleave with
   * another connection's. `fn` must check before it changes anything.
   */
  transact<T>(fn: (tx: CertMutation) => T): Promise<T> {
    return this.#writer.write((emit) =>
      fn({
        store: this,
        setTransaction: (t) => {
          this.#tx = t;
        },
        putCert: (entry) => {
          this.#certs.set(entry.name, entry);
        },
        dropCert: (name) => {
          this.#certs.delete(name);
          this.#bindDefaults.delete(name);
        },
        emit,
      }),
    );
  }
}

/** The write access a command gets inside `CertStore.transact`. */
export interface CertMutation {
  readonly store: CertStore;
  setTransaction(tx: Transaction | undefined): void;
  putCert(entry: CertEntry): void;
  dropCert(name: string): void;
  readonly emit: Emit;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
