/**
 * The map commands of HAProxy's map.c as CommandSpecs, with HAProxy's checks in its order and
 * its replies byte for byte (checked against HAProxy 2.6 and the 3.x sources). Hawser's route
 * maps add key/value validation (see route-key.ts) and are all-or-nothing on payloads.
 */
import type { CommandSpec } from '../runtime/command.ts';
import { MapStore, type MapRef } from './map-store.ts';
import { lookupRoute } from './route-lookup.ts';

const UNKNOWN_MAP = 'Unknown map identifier. Please use #<id> or <file>.\n';
const MALFORMED = 'Malformed identifier. Please use #<id> or <file>.\n';

/** HAProxy's str2uic(): leading decimal digits, 0 when none. */
function str2uic(s: string): number {
  const m = /^\d+/.exec(s);
  return m === null ? 0 : Number(BigInt(m[0]) & 0xffffffffn);
}

/** `#0x…` → the entry ref as stored, or undefined when it is not a valid hex number. */
function parseEntryRef(word: string): string | undefined {
  const hex = word.slice(3);
  if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  return `0x${BigInt(`0x${hex}`).toString(16)}`;
}

/** Splits HAProxy's `[@<ver>] <map> …` arguments. */
function withVersion(args: readonly string[]): { gen: string | undefined; rest: readonly string[] } {
  const a = args[2] ?? '';
  if (a.startsWith('@')) return { gen: a.slice(1), rest: [args[0] ?? '', args[1] ?? '', ...args.slice(3)] };
  return { gen: undefined, rest: args };
}

/** One `key value` pair per payload line: key up to the first blank, value the rest after blanks. */
function payloadPairs(payload: string): { pairs: [string, string][]; missing?: string } {
  const pairs: [string, string][] = [];
  let rest = payload;
  while (rest !== '') {
    const lf = rest.indexOf('\n');
    const line = lf === -1 ? rest : rest.slice(0, lf);
    rest = lf === -1 ? '' : rest.slice(lf + 1);
    const m = /^([^ \t]*)(?:[ \t]+([\s\S]*))?$/.exec(line);
    const key = m?.[1] ?? '';
    const sep = line.length > key.length;
    if (!sep) return { pairs, missing: key };
    pairs.push([key, (m?.[2] ?? '')]);
  }
  return { pairs };
}

function showList(store: MapStore): string {
  let out = '# id (file) description\n';
  for (const ref of store.all()) {
    out += `${ref.id} (${ref.name}) ${ref.display}. curr_ver=${ref.currGen} next_ver=${ref.nextGen} entry_cnt=${ref.entries.size}\n`;
  }
  return out;
}

function getLine(store: MapStore, ref: MapRef, sample: string): string {
  const entries = store.entriesOf(ref);
  const found = ref.route ? lookupRoute(entries, sample) : entries.find((e) => e.key === sample);
  const type = ref.route ? 'route' : 'str';
  if (found === undefined) return `type=${type}, case=sensitive, found=no\n`;
  return `type=${type}, case=sensitive, found=yes, idx=tree, key="${found.key}", value="${found.value}", type="str"\n`;
}

export function mapCommands(store: MapStore): CommandSpec[] {
  return [
    {
      words: ['show', 'map'],
      help: "show map [@ver] [map]                   : report available maps or dump a map's contents",
      level: 'user',
      pipelinable: true,
      run: (args) => {
        if ((args[2] ?? '') === '') return showList(store);
        const { gen, rest } = withVersion(args);
        const ref = store.lookup(rest[2] ?? '');
        if (ref === undefined) return UNKNOWN_MAP;
        const entries = store.entriesOf(ref, gen === undefined ? ref.currGen : str2uic(gen));
        return entries.map((e) => `${e.ref} ${e.key} ${e.value}\n`).join('');
      },
    },
    {
      words: ['get', 'map'],
      help: 'get map <acl> <value>                   : report the keys and values matching a sample for a map',
      level: 'user',
      pipelinable: true,
      run: (args) => {
        if ((args[2] ?? '') === '' || (args[3] ?? '') === '') return 'Missing map identifier and/or key.\n';
        const ref = store.lookup(args[2] ?? '');
        if (ref === undefined) return UNKNOWN_MAP;
        return getLine(store, ref, args[3] ?? '');
      },
    },
    {
      words: ['prepare', 'map'],
      help: 'prepare map <acl>                       : prepare a new version for atomic map replacement',
      level: 'operator',
      pipelinable: true,
      run: async (args) => {
        const ref = store.lookup(args[2] ?? '');
        if (ref === undefined) return UNKNOWN_MAP;
        return `New version created: ${await store.prepare(ref)}\n`;
      },
    },
    {
      words: ['add', 'map'],
      help: 'add map [@<ver>] <map> <key> <val>      : add a map entry (payload supported instead of key/val)',
      level: 'operator',
      pipelinable: true,
      run: async (args, ctx) => {
        const { gen, rest } = withVersion(args);
        const payload = ctx.payload;
        const key = rest[3] ?? '';
        const value = rest[4] ?? '';
        if ((payload === undefined && ((rest[2] ?? '') === '' || key === '' || value === '')) || (payload !== undefined && (rest[2] ?? '') === '')) {
          return "'add map' expects three parameters (map identifier, key and value) or one parameter (map identifier) and a payload\n";
        }
        const ref = store.lookup(rest[2] ?? '');
        if (ref === undefined) return UNKNOWN_MAP;
        let genId: number | undefined;
        if (gen !== undefined) {
          genId = str2uic(gen);
          if (((genId - ref.nextGen) | 0) > 0) return "Version number in the future, please use 'prepare map' before.\n";
        }
        let pairs: [string, string][] = [[key, value]];
        if (payload !== undefined) {
          const parsed = payloadPairs(payload);
          if (parsed.missing !== undefined) return `Missing value for key '${parsed.missing}'.\n`;
          pairs = parsed.pairs;
        }
        const res = await store.add(ref, genId, pairs);
        return res.ok ? '' : `${res.error}.\n`;
      },
    },
    {
      words: ['del', 'map'],
      help: 'del map <map> [<key>|#<ref>]            : delete map entries matching <key>',
      level: 'operator',
      pipelinable: true,
      run: async (args) => {
        if ((args[2] ?? '') === '' || (args[3] ?? '') === '') return 'This command expects two parameters: map identifier and key.\n';
        const ref = store.lookup(args[2] ?? '');
        if (ref === undefined) return UNKNOWN_MAP;
        const word = args[3] ?? '';
        let target: { key: string } | { ref: string } = { key: word };
        if (MapStore.isRefSyntax(word)) {
          const r = parseEntryRef(word);
          if (r === undefined) return MALFORMED;
          target = { ref: r };
        }
        const res = await store.delete(ref, target);
        return res.ok ? '' : `${res.error}\n`;
      },
    },
    {
      words: ['set', 'map'],
      help: 'set map <map> [<key>|#<ref>] <value>    : modify a map entry',
      level: 'operator',
      pipelinable: true,
      run: async (args) => {
        if ((args[2] ?? '') === '' || (args[3] ?? '') === '' || (args[4] ?? '') === '') {
          return "'set map' expects three parameters: map identifier, key and value.\n";
        }
        const ref = store.lookup(args[2] ?? '');
        if (ref === undefined) return UNKNOWN_MAP;
        const word = args[3] ?? '';
        let target: { key: string } | { ref: string } = { key: word };
        if (MapStore.isRefSyntax(word)) {
          const r = parseEntryRef(word);
          if (r === undefined) return MALFORMED;
          target = { ref: r };
        }
        const res = await store.set(ref, target, args[4] ?? '');
        return res.ok ? '' : `${res.error}\n`;
      },
    },
    {
      words: ['clear', 'map'],
      help: 'clear map [@<ver>] <map>                : clear the contents of this map',
      level: 'operator',
      pipelinable: true,
      run: async (args) => {
        const { gen, rest } = withVersion(args);
        if ((rest[2] ?? '') === '') return 'Missing map identifier.\n';
        const ref = store.lookup(rest[2] ?? '');
        if (ref === undefined) return UNKNOWN_MAP;
        const res = await store.clear(ref, gen === undefined ? undefined : str2uic(gen));
        return res.ok ? '' : `${res.error}\n`;
      },
    },
    {
      words: ['commit', 'map'],
      help: 'commit map @<ver> <map>                 : commit the map at this version',
      level: 'operator',
      pipelinable: true,
      run: async (args) => {
        const v = args[2] ?? '';
        if (!v.startsWith('@')) return 'Missing version number.\n';
        if ((args[3] ?? '') === '') return 'Missing map identifier.\n';
        const ref = store.lookup(args[3] ?? '');
        if (ref === undefined) return UNKNOWN_MAP;
        const res = await store.commit(ref, str2uic(v.slice(1)));
        return res.ok ? '' : `${res.error}\n`;
      },
    },
  ];
}
