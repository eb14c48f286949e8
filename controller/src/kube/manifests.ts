/**
 * The --manifests source: Ingress, Service, EndpointSlice, IngressClass and Secret YAML from a
 * folder, fed to the same cache and sync loop as the Kubernetes source, and re-read when the
 * folder changes. Objects written by hand lack server-set fields, so a missing UID is derived
 * from kind/namespace/name (stable across restarts), a missing namespace is `default` and a
 * missing creationTimestamp is the epoch (conflicts then fall to namespace/name). Nothing here is
 * validated: the model validates every record as it does for the API server's.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { V1EndpointSlice, V1Ingress, V1IngressClass, V1Secret, V1Service } from '@kubernetes/client-node';
import type { Cache, Kind } from './cache.ts';
import type { SourceEvents } from './sources.ts';
import { convertEndpointSlice, convertIngress, convertIngressClass, convertSecret, convertService } from './convert.ts';

type Loose = Record<string, unknown> & { kind?: unknown; metadata?: Record<string, unknown>; items?: unknown };

function uidFor(kind: string, ns: string, name: string): string {
  const h = createHash('sha1').update(`hawser-manifest/${kind}/${ns}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Fills the fields the API server would have set. */
function complete(o: Loose, kind: string): Loose {
  const meta = { ...(o.metadata ?? {}) };
  const namespaced = kind !== 'IngressClass';
  if (namespaced && (typeof meta.namespace !== 'string' || meta.namespace === '')) meta.namespace = 'default';
  const ns = namespaced ? String(meta.namespace) : '';
  meta.uid ??= uidFor(kind, ns, String(meta.name ?? ''));
  meta.creationTimestamp ??= '1970-01-01T00:00:00Z';
  const out: Loose = { ...o, metadata: meta };
  if (kind === 'Secret' && typeof o.stringData === 'object' && o.stringData !== null) {
    const data = { ...((o.data as Record<string, string> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(o.stringData as Record<string, unknown>)) data[k] = Buffer.from(String(v)).toString('base64');
    out.data = data;
  }
  return out;
}

export interface ManifestRecord { readonly kind: Kind; readonly key: string; readonly upsert: (c: Cache) => ReturnType<Cache['upsert']> }

/** Every object of a known kind in the folder's *.yaml / *.yml files. Throws on unreadable YAML. */
export function readManifests(dir: string): ManifestRecord[] {
  const out: ManifestRecord[] = [];
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  for (const file of files) {
    const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf8'));
    for (const doc of docs) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
      const root = doc.toJS() as Loose | null;
      const items: Loose[] = root === null ? [] : root.kind === 'List' && Array.isArray(root.items) ? (root.items as Loose[]) : [root];
      for (const raw of items) {
        const kind = String(raw.kind ?? '');
        const o = complete(raw, kind);
        const meta = o.metadata ?? {};
        const key = `${kind === 'IngressClass' ? '' : String(meta.namespace)}/${String(meta.name ?? '')}`;
        switch (kind) {
          case 'IngressClass': out.push({ kind, key, upsert: (c) => c.upsert(kind, convertIngressClass(o as V1IngressClass)) }); break;
          case 'Ingress': out.push({ kind, key, upsert: (c) => c.upsert(kind, convertIngress(o as V1Ingress)) }); break;
          case 'Service': out.push({ kind, key, upsert: (c) => c.upsert(kind, convertService(o as V1Service)) }); break;
          case 'EndpointSlice': out.push({ kind, key, upsert: (c) => c.upsert(kind, convertEndpointSlice(o as unknown as V1EndpointSlice)) }); break;
          case 'Secret': out.push({ kind, key, upsert: (c) => c.upsert(kind, convertSecret(o as V1Secret)) }); break;
          default: break;
        }
      }
    }
  }
  // Ingresses first: the cache keeps only Secrets that some Ingress references.
  const order: Kind[] = ['IngressClass', 'Ingress', 'Service', 'EndpointSlice', 'Secret'];
  return out.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

export class ManifestSource {
  readonly #dir: string;
  readonly #cache: Cache;
  readonly #events: SourceEvents;
  #known = new Map<string, Kind>();
  #watcher: FSWatcher | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(dir: string, cache: Cache, events: SourceEvents) {
    this.#dir = dir;
    this.#cache = cache;
    this.#events = events;
  }

  /** Reads the folder into the cache; removes what disappeared since the last read. */
  reload(): void {
    let records: ManifestRecord[];
    try {
      records = readManifests(this.#dir);
    } catch (e) {
      this.#events.error('Ingress', e);
      return;
    }
    const seen = new Map<string, Kind>();
    for (const r of records) {
      seen.set(`${r.kind}|${r.key}`, r.kind);
      this.#events.change(r.upsert(this.#cache));
    }
    for (const [id, kind] of this.#known) {
      if (!seen.has(id)) this.#events.change(this.#cache.remove(kind, id.slice(id.indexOf('|') + 1)));
    }
    this.#known = seen;
  }

  start(): void {
    this.reload();
    this.#events.synced();
    this.#watcher = watch(this.#dir, () => {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.reload(), 50);
    });
  }

  stop(): void {
    this.#watcher?.close();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }
}
