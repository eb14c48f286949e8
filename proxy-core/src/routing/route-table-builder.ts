/**
 * Builds route tables incrementally. Entries arrive one at a time (`add map @<ver>` during a
 * prepare, or `add map`/`del map` on the live version); the builder keeps them grouped by host and
 * remembers each host's compiled routes, so `build()` recompiles only the hosts that changed since
 * the previous build and re-indexes hosts in O(hosts).
 */
import { HostRoutes } from './host-routes.ts';
import type { RouteEntry } from './route-entry.ts';
import { RouteTable } from './route-table.ts';

/** Identifies one added entry (HAProxy maps may hold several entries with the same key). */
export type EntryId = number;

interface HostBucket {
  /** Entries by id; ids grow, so iteration order is the order the entries were added. */
  readonly entries: Map<EntryId, RouteEntry>;
  /** Null when an entry changed since the last build. */
  compiled: HostRoutes | null;
}

export class RouteTableBuilder {
  private nextId: EntryId = 1;
  private readonly exact = new Map<string, HostBucket>();
  private readonly wildcard = new Map<string, HostBucket>();
  private any: HostBucket | null = null;
  /** Where each live entry is, for removal by id. */
  private readonly byId = new Map<EntryId, { readonly entry: RouteEntry; readonly bucket: HostBucket }>();
  /** Live ids per key as written, for `del map <key>`. */
  private readonly byKey = new Map<string, EntryId[]>();
  private last: RouteTable | null = null;

  /** Number of live entries, duplicates included. */
  get entryCount(): number {
    return this.byId.size;
  }

  /** Adds a parsed entry after every existing one; returns its id. */
  add(entry: RouteEntry): EntryId {
    const id = this.nextId++;
    const bucket = this.bucketFor(entry, true) as HostBucket;
    bucket.entries.set(id, entry);
    bucket.compiled = null;
    this.byId.set(id, { entry, bucket });
    const ids = this.byKey.get(entry.key);
    if (ids === undefined) this.byKey.set(entry.key, [id]);
    else ids.push(id);
    this.last = null;
    return id;
  }

  /** Removes one entry; false when the id is unknown (already removed). */
  remove(id: EntryId): boolean {
    const found = this.byId.get(id);
    if (found === undefined) return false;
    this.byId.delete(id);
    found.bucket.entries.delete(id);
    found.bucket.compiled = null;
    if (found.bucket.entries.size === 0) this.dropBucket(found.entry);
    const ids = this.byKey.get(found.entry.key) as EntryId[];
    ids.splice(ids.indexOf(id), 1);
    if (ids.length === 0) this.byKey.delete(found.entry.key);
    this.last = null;
    return true;
  }

  /** Removes every entry with this key as written (`del map <map> <key>`); returns how many. */
  removeKey(key: string): number {
    const ids = this.byKey.get(key);
    if (ids === undefined) return 0;
    const all = [...ids];
    for (const id of all) this.remove(id);
    return all.length;
  }

  /** Ids of the live entries with this key, oldest first. */
  idsOf(key: string): readonly EntryId[] {
    return this.byKey.get(key) ?? [];
  }

  clear(): void {
    this.exact.clear();
    this.wildcard.clear();
    this.any = null;
    this.byId.clear();
    this.byKey.clear();
    this.last = null;
  }

  /** The table for the current entries. Calling it twice without a change returns the same object. */
  build(): RouteTable {
    if (this.last !== null) return this.last;
    const exact = new Map<string, HostRoutes>();
    const wildcard = new Map<string, HostRoutes>();
    for (const [host, bucket] of this.exact) exact.set(host, compile(bucket));
    for (const [suffix, bucket] of this.wildcard) wildcard.set(suffix, compile(bucket));
    this.last = new RouteTable({ exact, wildcard, any: this.any === null ? null : compile(this.any) });
    return this.last;
  }

  private bucketFor(entry: RouteEntry, create: boolean): HostBucket | null {
    if (entry.hostKind === 'any') {
      if (this.any === null && create) this.any = newBucket();
      return this.any;
    }
    const [index, name] = entry.hostKind === 'exact' ? [this.exact, entry.host] : [this.wildcard, entry.host.slice(1)];
    let bucket = index.get(name);
    if (bucket === undefined && create) index.set(name, (bucket = newBucket()));
    return bucket ?? null;
  }

  private dropBucket(entry: RouteEntry): void {
    if (entry.hostKind === 'any') this.any = null;
    else if (entry.hostKind === 'exact') this.exact.delete(entry.host);
    else this.wildcard.delete(entry.host.slice(1));
  }
}

/** Compiles a whole map at once (the `commit map` of a prepared version). */
export function compileRouteTable(entries: Iterable<RouteEntry>): RouteTable {
  const builder = new RouteTableBuilder();
  for (const e of entries) builder.add(e);
  return builder.build();
}

function newBucket(): HostBucket {
  return { entries: new Map(), compiled: null };
}

function compile(bucket: HostBucket): HostRoutes {
  if (bucket.compiled === null) bucket.compiled = new HostRoutes(bucket.entries.values());
  return bucket.compiled;
}
