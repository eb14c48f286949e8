/**
 * The runtime map store: HAProxy's pattern references (`pat_ref`) for the maps named by
 * `route-map` in frontends. Entries keep insertion order and carry a generation; `prepare map`
 * opens a new generation, `add map @<ver>` fills it while traffic still sees the current one,
 * and `commit map @<ver>` makes it current in ONE change record, so a worker swaps the whole
 * table at once.
 *
 * Reads (`show`, `get`) look at the state directly: mutations only happen inside the writer
 * section and are synchronous there, so a reader never sees half of one.
 */
import type { WriterSection } from '../runtime/writer-section.ts';
import { parseRouteKey, parseRouteValue } from './route-key.ts';

export interface MapEntry {
  /** HAProxy shows the entry's address; ours is a stable unique id in the same shape. */
  readonly ref: string;
  readonly key: string;
  value: string;
  readonly gen: number;
}

export interface MapRef {
  readonly id: number;
  readonly name: string;
  /** The description `show map` prints (where the map is used). */
  readonly display: string;
  /** Route maps validate their keys and values against the route format. */
  readonly route: boolean;
  currGen: number;
  nextGen: number;
  /** Every entry of every generation, in insertion order, by ref. */
  readonly entries: Map<string, MapEntry>;
}

/**
 * Change records a map mutation publishes, in the data plane's contract
 * (`proxy-core/src/dataplane/records.ts`): only changes of the current generation reach traffic.
 * `map.del` / `map.set` act on every entry with the key; when an operation touches only some of
 * them (a `#<ref>` or a duplicate key), the whole table is republished with `map.replace`.
 */
export type MapChange =
  | { kind: 'map.add'; map: string; key: string; value: string }
  | { kind: 'map.del'; map: string; key: string }
  | { kind: 'map.set'; map: string; key: string; value: string }
  | { kind: 'map.replace'; map: string; version: number; entries: { key: string; value: string }[] };

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

const OK: Outcome = { ok: true };
const fail = (error: string): Outcome => ({ ok: false, error });

/** Entry refs look like HAProxy's %p: 0x + 12 hex digits. */
const REF_BASE = 0x7f3a00000000;

export class MapStore {
  readonly #writer: WriterSection;
  readonly #byName = new Map<string, MapRef>();
  readonly #byId = new Map<number, MapRef>();
  #nextRef = 0;

  constructor(writer: WriterSection) {
    this.#writer = writer;
  }

  /**
   * Declares a map at configuration load (`route-map <name>` in a frontend). Idempotent for a
   * name: a second frontend using the same map shares it.
   */
  declare(name: string, opts: { display?: string; route?: boolean } = {}): MapRef {
    const existing = this.#byName.get(name);
    if (existing !== undefined) return existing;
    const ref: MapRef = {
      id: this.#byId.size,
      name,
      display: opts.display ?? `route map '${name}'`,
      route: opts.route ?? true,
      currGen: 0,
      nextGen: 0,
      entries: new Map(),
    };
    this.#byName.set(name, ref);
    this.#byId.set(ref.id, ref);
    return ref;
  }

  /** HAProxy's pat_ref_lookup_ref(): `#<id>` (decimal) or the name. */
  lookup(ident: string): MapRef | undefined {
    if (ident.startsWith('#')) {
      const digits = ident.slice(1);
      if (!/^[+-]?\d*$/.test(digits)) return undefined;
      return this.#byId.get(digits === '' ? 0 : Number(digits));
    }
    return this.#byName.get(ident);
  }

  all(): readonly MapRef[] {
    return [...this.#byId.values()];
  }

  /** Entries of one generation in insertion order. */
  entriesOf(ref: MapRef, gen = ref.currGen): MapEntry[] {
    const out: MapEntry[] = [];
    for (const e of ref.entries.values()) if (e.gen === gen) out.push(e);
    return out;
  }

  /** Validates a key/value pair for this map; undefined when it is acceptable. */
  check(ref: MapRef, key: string, value: string): string | undefined {
    if (!ref.route) return undefined;
    const k = parseRouteKey(key);
    if (!k.ok) return k.error;
    const v = parseRouteValue(value);
    return v.ok ? undefined : v.error;
  }

  /** `prepare map`: opens the next generation and returns its number. */
  prepare(ref: MapRef): Promise<number> {
    return this.#writer.write(() => {
      ref.nextGen = (ref.nextGen + 1) >>> 0;
      return ref.nextGen;
    });
  }

  /**
   * Adds pairs to generation `gen` (the current one when undefined). All pairs are validated
   * before any is added: a bad pair leaves the map untouched.
   */
  add(ref: MapRef, gen: number | undefined, pairs: readonly (readonly [string, string])[]): Promise<Outcome> {
    return this.#writer.write((emit) => {
      for (const [key, value] of pairs) {
        const err = this.check(ref, key, value);
        if (err !== undefined) return fail(err);
      }
      const target = gen ?? ref.currGen;
      for (const [key, value] of pairs) {
        const entry: MapEntry = { ref: this.#newRef(), key, value, gen: target };
        ref.entries.set(entry.ref, entry);
        if (target === ref.currGen) emit({ kind: 'map.add', map: ref.name, key, value } satisfies MapChange);
      }
      return OK;
    });
  }

  /** `del map <map> <key>` removes the oldest current entry with that key (HAProxy 3.4); `#<ref>` that entry. */
  delete(ref: MapRef, target: { key: string } | { ref: string }): Promise<Outcome> {
    return this.#writer.write((emit) => {
      const entry = 'ref' in target ? ref.entries.get(target.ref) : this.#firstCurrent(ref, target.key);
      if (entry === undefined) return fail('Key not found.');
      ref.entries.delete(entry.ref);
      if (entry.gen !== ref.currGen) return OK;
      if (this.#firstCurrent(ref, entry.key) === undefined) emit({ kind: 'map.del', map: ref.name, key: entry.key } satisfies MapChange);
      else emit(this.#replaceRecord(ref));
      return OK;
    });
  }

  /** `set map`: every current entry with the key (or the one entry) takes the value. */
  set(ref: MapRef, target: { key: string } | { ref: string }, value: string): Promise<Outcome> {
    return this.#writer.write((emit) => {
      let hits: MapEntry[];
      if ('ref' in target) {
        const e = ref.entries.get(target.ref);
        if (e === undefined) return fail('Key or pattern not found.');
        hits = [e];
      } else {
        hits = this.entriesOf(ref).filter((e) => e.key === target.key);
        if (hits.length === 0) return fail('entry not found.');
      }
      for (const e of hits) {
        const err = this.check(ref, e.key, value);
        if (err !== undefined) return fail(`${err}.`);
      }
      for (const e of hits) e.value = value;
      const live = hits.filter((e) => e.gen === ref.currGen);
      const first = live[0];
      if (first === undefined) return OK;
      const sameKey = this.entriesOf(ref).filter((e) => e.key === first.key).length;
      if (sameKey === live.length) emit({ kind: 'map.set', map: ref.name, key: first.key, value } satisfies MapChange);
      else emit(this.#replaceRecord(ref));
      return OK;
    });
  }

  /** `clear map [@<ver>]`: drops every entry of that generation. */
  clear(ref: MapRef, gen: number | undefined): Promise<Outcome> {
    return this.#writer.write((emit) => {
      const target = gen ?? ref.currGen;
      const refs: string[] = [];
      for (const e of ref.entries.values()) if (e.gen === target) refs.push(e.ref);
      for (const r of refs) ref.entries.delete(r);
      if (target === ref.currGen) emit(this.#replaceRecord(ref));
      return OK;
    });
  }

  /**
   * `commit map @<ver>`: valid for curr < ver <= next (modulo 2^32, as HAProxy). Makes `ver`
   * current, drops older generations, keeps newer pending ones, and publishes the whole new
   * table as one record.
   */
  commit(ref: MapRef, gen: number): Promise<Outcome> {
    return this.#writer.write((emit) => {
      const span = (ref.nextGen - ref.currGen) >>> 0;
      const offset = (gen - ((ref.currGen + 1) >>> 0)) >>> 0;
      if (!(offset < span)) return fail('Version number out of range.');
      for (const e of [...ref.entries.values()]) {
        // older than the committed generation, in the same modular sense HAProxy purges
        if (((gen - 1 - e.gen) >>> 0) <= 0x7fffffff) ref.entries.delete(e.ref);
      }
      ref.currGen = gen;
      emit(this.#replaceRecord(ref));
      return OK;
    });
  }

  /** Parses `#0x…` entry refs as HAProxy does (the `#` and `0x` are mandatory). */
  static isRefSyntax(word: string): boolean {
    return word.startsWith('#0x');
  }

  /** The whole current table as one record: a worker swaps it at once. */
  #replaceRecord(ref: MapRef): MapChange {
    const entries = this.entriesOf(ref).map((e) => ({ key: e.key, value: e.value }));
    return { kind: 'map.replace', map: ref.name, version: ref.currGen, entries };
  }

  #firstCurrent(ref: MapRef, key: string): MapEntry | undefined {
    for (const e of ref.entries.values()) if (e.gen === ref.currGen && e.key === key) return e;
    return undefined;
  }

  #newRef(): string {
    const n = REF_BASE + this.#nextRef++ * 0x60;
    return `0x${n.toString(16)}`;
  }
}
