/**
 * The server keywords Hawser supports, shared by `server` lines in the configuration and by
 * `add server` at run time. Keywords are parsed in order and the first error aborts, as in
 * HAProxy; nothing is reserved while parsing (GUID and ID are only checked through callbacks).
 * Error texts are final: HAProxy's callers add a period to keyword errors, except after
 * `'enabled' option is not accepted for dynamic server` and a "did you mean" suggestion.
 */
import type { PxyErrorCode } from '../errors.ts';
import type { ServerSettings } from '../model/server.ts';
import { defaultServerSettings } from '../model/server.ts';
import { parseDuration, parseUint } from './values.ts';
import { bestMatch } from './word-distance.ts';

/** Keywords accepted on `add server`, in `add server help` order. */
export const DYNAMIC_SERVER_KEYWORDS: readonly string[] = [
  'backup', 'disabled', 'guid', 'id', 'maxconn', 'no-backup', 'proto', 'weight', 'check', 'no-check', 'rise', 'fall', 'inter',
];
/** Keywords accepted on `server` lines (the dynamic ones plus `enabled`). */
export const STATIC_SERVER_KEYWORDS: readonly string[] = [...DYNAMIC_SERVER_KEYWORDS, 'enabled'];

const MUX_PROTOCOLS = new Set(['h1', 'h2', 'fcgi']);

export interface KeywordContext {
  /** The server's name, for messages. */
  readonly name: string;
  readonly dynamic: boolean;
  /** Null when the GUID may be taken, else the tree's error (`invalid …`, `duplicate entry with …`). */
  checkGuid(key: string): string | null;
  /** Null when the custom ID is free, else the owner's description for the message. */
  checkId(id: number): string | null;
}

export type KeywordResult =
  | { readonly ok: true; readonly settings: ServerSettings }
  | { readonly ok: false; readonly code: PxyErrorCode; readonly error: string };

function bad(code: PxyErrorCode, error: string): KeywordResult {
  return { ok: false, code, error };
}

/** Parses `args[from..]` as server keywords into a copy of `base`. */
export function parseServerKeywords(args: readonly string[], from: number, ctx: KeywordContext, base?: ServerSettings): KeywordResult {
  const s: ServerSettings = base === undefined ? defaultServerSettings() : { ...base };
  let guidSeen = false;
  for (let i = from; i < args.length; i++) {
    const kw = args[i] as string;
    const arg = args[i + 1];
    const needArg = (): string | null => (arg === undefined || arg === '' ? null : arg);
    switch (kw) {
      case 'backup': s.backup = true; break;
      case 'no-backup': s.backup = false; break;
      case 'check': s.check = true; break;
      case 'no-check': s.check = false; break;
      case 'disabled': s.disabled = true; break;
      case 'enabled':
        if (ctx.dynamic) return bad('PXY_ERR_SERVER_KEYWORD', "'enabled' option is not accepted for dynamic server");
        s.disabled = false;
        break;
      case 'guid': {
        const v = needArg();
        if (v === null) return bad('PXY_ERR_SERVER_KEYWORD', "'guid' : expects an argument.");
        if (guidSeen) return bad('PXY_ERR_GUID_REPEATED', `'guid': a second 'guid' is rejected (already set to '${s.guid ?? ''}').`);
        const err = ctx.checkGuid(v);
        if (err !== null) return bad(err.startsWith('duplicate') ? 'PXY_ERR_GUID_DUPLICATE' : err.includes('length') ? 'PXY_ERR_GUID_LENGTH' : 'PXY_ERR_GUID_CHAR', `'guid': ${err}.`);
        s.guid = v;
        guidSeen = true;
        i++;
        break;
      }
      case 'id': {
        const v = needArg();
        if (v === null) return bad('PXY_ERR_SERVER_KEYWORD', "'id' : expects an argument.");
        const n = parseUint(v);
        if (n === null || n < 1 || n > 0xffffffff) return bad('PXY_ERR_SERVER_ID', "'id' : custom id has to be between 1 and 4294967295.");
        const owner = ctx.checkId(n);
        if (owner !== null) return bad('PXY_ERR_SERVER_ID', `'id' : custom id ${n} already used at ${owner}.`);
        s.id = n;
        i++;
        break;
      }
      case 'weight':
      case 'maxconn':
      case 'rise':
      case 'fall': {
        const v = needArg();
        if (v === null) return bad('PXY_ERR_SERVER_KEYWORD', `'${kw}' : expects an argument.`);
        const n = parseUint(v);
        if (kw === 'weight') {
          if (n === null || n > 256) return bad('PXY_ERR_SERVER_KEYWORD', `weight of server ${ctx.name} is not within 0 and 256 (${v}).`);
          s.weight = n;
        } else if (kw === 'maxconn') {
          if (n === null || n > 0x7fffffff) return bad('PXY_ERR_SERVER_KEYWORD', `'maxconn' expects an integer argument (got '${v}').`);
          s.maxconn = n;
        } else {
          if (n === null || n < 1 || n > 0x7fffffff) return bad('PXY_ERR_SERVER_KEYWORD', `'${kw}' has to be > 0.`);
          if (kw === 'rise') s.rise = n;
          else s.fall = n;
        }
        i++;
        break;
      }
      case 'inter': {
        const v = needArg();
        if (v === null) return bad('PXY_ERR_SERVER_KEYWORD', "'inter' : expects an argument.");
        const d = parseDuration(v);
        if ('error' in d) return bad('PXY_ERR_SERVER_KEYWORD', `'inter' : ${d.error} in argument '${v}'.`);
        if (d.ms === 0) return bad('PXY_ERR_SERVER_KEYWORD', "'inter' : has to be > 0.");
        s.inter = d.ms;
        i++;
        break;
      }
      case 'proto': {
        const v = needArg();
        if (v === null) return bad('PXY_ERR_SERVER_KEYWORD', "'proto' : expects an argument.");
        if (!MUX_PROTOCOLS.has(v)) return bad('PXY_ERR_SERVER_KEYWORD', `'proto' : unknown MUX protocol '${v}'.`);
        s.proto = v;
        i++;
        break;
      }
      default: {
        const list = ctx.dynamic ? DYNAMIC_SERVER_KEYWORDS : STATIC_SERVER_KEYWORDS;
        const best = bestMatch(kw, list);
        return bad('PXY_ERR_SERVER_KEYWORD', best === null ? `unknown keyword '${kw}'.` : `unknown keyword '${kw}'; did you mean '${best}' maybe ?`);
      }
    }
  }
  return { ok: true, settings: s };
}
