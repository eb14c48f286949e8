/**
 * Builds route tables incrementally. Entries arrive one at a time (`add map @<ver>` during a
 * prepare, or `add map`/`del map` on the live version); the builder groups them by host, recompiles
 * only the hosts that changed since the previous build, and edits a copy of the previous host
 * index, so `build()` after one change costs O(entries of that host) plus one array copy.
 */
import { compileHostRoutes, hostRouteCount, type HostRoutes } from './host-routes.ts';
import type { RouteEntry, RouteValue } from './route-entry.ts';
import { RouteTable } from './route-table.ts';
import { StringTable } from './string-table.ts';

/** Identifies one added entry (HAProxy maps may hold several entries with the same key). */
export type EntryId = number;

interface HostBucket {
  readonly kind: RouteEntry['hostKind'];
  /** The index key: the exact host, the wildcard suffix with its dot, or '*'. */
  readonly name: string;
  /** Entries by id; ids grow, so iteration order is the order the entries were added. */
  readonly entries: Map<EntryId, RouteEntry>;
  /** The routes the last built table holds for this host (null: none yet). */
  published: HostRoutes | null;
}

export class RouteTableBuilder {
  private nextId: EntryId = 1;
  /** Buckets by index name, one Map per host kind (the `*` bucket is keyed '*'). */
  private readonly buckets = { exact: new Map<string, HostBucket>(), wildcard: new Map<string, HostBucket>(), any: new Map<string, HostBucket>() };
  /** The bucket of each live entry, for removal by id. */
  private readonly byId = new Map<EntryId, HostBucket>();
  /** Live ids per key as written, for `del map <key>`: one id, or several for duplicate keys. */
  private readonly byKey = new Map<string, EntryId | EntryId[]>();
  /** Buckets whose entries changed since the last build (possibly now empty). */
  private readonly dirty = new Set<HostBucket>();
  private exact = new StringTable<HostRoutes>();
  private wildcard = new StringTable<HostRoutes>();
  private any: HostRoutes | null = null;
  private size = 0;
  private last: RouteTable = RouteTable.EMPTY;

  /** Number of live entries, duplicates included. */
  get entryCount(): number {
    return this.byId.size;
  }

  /** Adds a parsed entry after every existing one; returns its id. */
  add(entry: RouteEntry): EntryId {
    const id = this.nextId++;
    const index = this.buckets[entry.hostKind];
    const name = indexName(entry);
    let bucket = index.get(name);
    if (bucket === undefined) {
      bucket = { kind: entry.hostKind, name, entries: new Map(), published: null };
      index.set(name, bucket);
    }
    bucket.entries.set(id, entry);
    this.dirty.add(bucket);
    this.byId.set(id, bucket);
    const ids = this.byKey.get(entry.key);
    if (ids === undefined) this.byKey.set(entry.key, id);
    else if (typeof ids === 'number') this.byKey.set(entry.key, [ids, id]);
    else ids.push(id);
    return id;
  }

  /** Removes one entry; false when the id is unknown (already removed). */
  remove(id: EntryId): boolean {
    const bucket = this.byId.get(id);
    if (bucket === undefined) return false;
    const entry = bucket.entries.get(id) as RouteEntry;
    this.byId.delete(id);
    bucket.entries.delete(id);
    this.dirty.add(bucket);
    if (bucket.entries.size === 0) this.buckets[bucket.kind].delete(bucket.name);
    const ids = this.byKey.get(entry.key) as EntryId | EntryId[];
    if (typeof ids === 'number') {
      this.byKey.delete(entry.key);
    } else {
      ids.splice(ids.indexOf(id), 1);
      if (ids.length === 1) this.byKey.set(entry.key, ids[0] as EntryId);
    }
    return true;
  }

  /** Removes every entry with this key as written (`del map <map> <key>`); returns how many. */
  removeKey(key: string): number {
    const ids = this.idsOf(key);
    for (const id of ids) this.remove(id);
    return ids.length;
  }

  /**
   * Gives every entry with this key a new value, keeping its place (`set map <map> <key> <value>`);
   * returns how many entries changed.
   */
  setValue(key: string, value: RouteValue): number {
    const ids = this.idsOf(key);
    for (const id of ids) {
      const bucket = this.byId.get(id) as HostBucket;
      const entry = bucket.entries.get(id) as RouteEntry;
      bucket.entries.set(id, { ...entry, backend: value.backend, guid: value.guid });
      this.dirty.add(bucket);
    }
    return ids.length;
  }

  /** Ids of the live entries with this key, oldest first. */
  idsOf(key: string): readonly EntryId[] {
    const ids = this.byKey.get(key);
    return ids === undefined ? [] : typeof ids === 'number' ? [ids] : [...ids];
  }

  /** Removes every entry (`clear map`). */
  clear(): void {
    for (const index of Object.values(this.buckets)) {
      for (const bucket of index.values()) {
        bucket.entries.clear();
        this.dirty.add(bucket);
      }
      index.clear();
    }
    this.byId.clear();
    this.byKey.clear();
  }

  /**
   * The table for the current entries. Tables already handed out are never modified: the host
   * indexes are copied before they are edited. Without a change, returns the previous table.
   */
  build(): RouteTable {
    if (this.dirty.size === 0) return this.last;
    let exact: StringTable<HostRoutes> | null = null;
    let wildcard: StringTable<HostRoutes> | null = null;
    for (const bucket of this.dirty) {
      if (bucket.published !== null) this.size -= hostRouteCount(bucket.published);
      const routes = bucket.entries.size === 0 ? null : compileHostRoutes(bucket.entries.values());
      bucket.published = routes;
      if (routes !== null) this.size += hostRouteCount(routes);
      if (bucket.kind === 'any') {
        this.any = routes;
        continue;
      }
      let index: StringTable<HostRoutes>;
      if (bucket.kind === 'exact') index = exact ??= this.exact.clone();
      else index = wildcard ??= this.wildcard.clone();
      if (routes === null) index.delete(bucket.name);
      else index.set(bucket.name, routes);
    }
    this.dirty.clear();
    if (exact !== null) this.exact = exact;
    if (wildcard !== null) this.wildcard = wildcard;
    this.last = new RouteTable({ exact: this.exact, wildcard: this.wildcard, any: this.any, size: this.size });
    return this.last;
  }
}

/** Compiles a whole map at once (the `commit map` of a prepared version). */
export function compileRouteTable(entries: Iterable<RouteEntry>): RouteTable {
  const builder = new RouteTableBuilder();
  for (const e of entries) builder.add(e);
  return builder.build();
}

/** The name a host is indexed by: the host, the wildcard's suffix with its dot, or '*'. */
function indexName(entry: RouteEntry): string {
  return entry.hostKind === 'wildcard' ? entry.host.slice(1) : entry.host;
}
