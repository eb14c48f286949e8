/**
 * Keywords of `defaults`, `frontend`, `backend` and `listen` sections. Each handler returns null
 * or the error text after HAProxy's `parsing [file:line] : ` prefix (the parser adds the prefix,
 * except for texts that HAProxy prints without it, returned with `raw: true`).
 */
import type { GuidOwner } from '../guid/tree.ts';
import type { GuidTree } from '../guid/tree.ts';
import type { Balance, BalanceAlgo, ProxyCap, ProxySettings, TimeoutName } from '../model/proxy.ts';
import { TIMEOUT_NAMES } from '../model/proxy.ts';
import { parseServerKeywords } from './server-keywords.ts';
import type { BindAddress, ProxyConfig } from './types.ts';
import { invalidNameChar, parseAddress, parseDuration, parseUint } from './values.ts';

export type SectionKind = 'defaults' | ProxyCap;

export interface SectionState {
  readonly kind: SectionKind;
  readonly settings: ProxySettings;
  /** Null in a `defaults` section. */
  readonly proxy: ProxyConfig | null;
  /** Placeholder owner for GUID duplicate detection while parsing. */
  readonly owner: GuidOwner;
  /** Custom server IDs already used in this proxy: id -> `file:line ('server name')`. */
  readonly serverIds: Map<number, string>;
  readonly serverNames: Map<string, number>;
}

export interface KeywordEnv {
  readonly file: string;
  readonly line: number;
  readonly guids: GuidTree;
}

export type KwError = { readonly text: string; readonly raw?: boolean };

const SIMPLE_ALGOS: readonly BalanceAlgo[] = ['roundrobin', 'static-rr', 'leastconn', 'first', 'source'];
const BALANCE_HELP = "'balance' only supports 'roundrobin', 'static-rr', 'leastconn', 'first', 'random', 'source' and 'hdr(name)' options.";

function e(text: string, raw = false): KwError {
  return raw ? { text, raw } : { text };
}

function notAllowed(kw: string, kind: SectionKind): KwError {
  return e(`'${kw}' not allowed in '${kind}' section.`);
}

/** Which sections accept a keyword: 'fe' (frontend side), 'be' (backend side), 'any'. */
const WHERE: Record<string, 'fe' | 'be' | 'any' | 'proxy'> = {
  mode: 'any', balance: 'be', 'hash-type': 'be', timeout: 'any', option: 'any', no: 'any', retries: 'be',
  guid: 'proxy', bind: 'fe', server: 'be', default_backend: 'fe', 'route-map': 'fe',
};

export function handleProxyKeyword(st: SectionState, words: readonly string[], env: KeywordEnv): KwError | null | undefined {
  const kw = words[0] as string;
  const where = WHERE[kw];
  if (where === undefined) return undefined;
  const k = st.kind;
  if (where === 'proxy' && k === 'defaults') return notAllowed(kw, k);
  if (where === 'fe' && (k === 'backend' || k === 'defaults' && (kw === 'bind' || kw === 'route-map'))) return notAllowed(kw, k);
  if (where === 'be' && (k === 'frontend' || k === 'defaults' && kw === 'server')) return notAllowed(kw, k);
  const s = st.settings;
  const a1 = words[1];
  switch (kw) {
    case 'mode':
      if (a1 !== 'http' && a1 !== 'tcp') return e(a1 === undefined ? "'mode' : expects an argument." : `unknown proxy mode '${a1}'.`);
      s.mode = a1;
      s.explicitMode = true;
      return null;
    case 'balance': return parseBalance(s, words);
    case 'hash-type':
      if (a1 !== 'map-based' && a1 !== 'consistent') return e("'hash-type' expects 'map-based' or 'consistent'.");
      s.balance = { ...s.balance, hashType: a1 };
      return null;
    case 'timeout': {
      const name = a1 as TimeoutName | undefined;
      if (name === undefined || !TIMEOUT_NAMES.includes(name)) {
        return e(`'timeout' supports 'client', 'server', 'connect', 'check', 'http-request', 'http-keep-alive' and 'tunnel' (got '${a1 ?? ''}').`);
      }
      const v = words[2];
      if (v === undefined) return e(`'timeout ${name}' expects an integer value (in milliseconds).`);
      const d = parseDuration(v);
      if ('error' in d) return e(`'timeout ${name}' : ${d.error} in argument '${v}'.`);
      s.timeouts[name] = d.ms;
      return null;
    }
    case 'no':
      if (a1 !== 'option') return undefined;
      if (words[2] === 'forwardfor') return parseNoForwardFor(s, k, words);
      if (words[2] !== 'redispatch') return e(`unknown option '${words[2] ?? ''}'.`);
      s.redispatch = false;
      return null;
    case 'option':
      if (a1 === 'redispatch') {
        if (k === 'frontend') return notAllowed('option redispatch', k);
        s.redispatch = true;
        return null;
      }
      if (a1 === 'httpchk') {
        if (k === 'frontend') return notAllowed('option httpchk', k);
        const [, , x, y] = words;
        s.httpchk = x === undefined ? { method: 'OPTIONS', uri: '/' } : y === undefined ? { method: 'OPTIONS', uri: x } : { method: x, uri: y };
        return null;
      }
      if (a1 === 'forwardfor') return parseForwardFor(s, k, words);
      if (a1 === 'httplog' || a1 === 'tcplog') {
        if (k === 'backend') return notAllowed(`option ${a1}`, k);
        s.accessLog = true;
        return null;
      }
      return e(`unknown option '${a1 ?? ''}'.`);
    case 'retries': {
      const n = a1 === undefined ? null : parseUint(a1);
      if (n === null) return e("'retries' expects an integer argument.");
      s.retries = n;
      return null;
    }
    case 'guid': return parseProxyGuid(st, words, env);
    case 'default_backend':
      if (a1 === undefined) return e("'default_backend' expects a backend name.");
      if (st.proxy === null) {
        s.defaultBackend = a1;
        return null;
      }
      st.proxy.defaultBackend = a1;
      st.proxy.defaultBackendLine = env.line;
      return null;
    case 'route-map':
      if (a1 === undefined) return e("'route-map' expects a map name.");
      (st.proxy as ProxyConfig).routeMap = a1;
      return null;
    case 'bind': return parseBind(st, words, env);
    case 'server': return parseServer(st, words, env);
  }
  return undefined;
}

function parseBalance(s: ProxySettings, words: readonly string[]): KwError | null {
  const a = words[1];
  if (a === undefined) return e(BALANCE_HELP);
  let b: Balance;
  const hdr = /^hdr\(([^()]+)\)$/.exec(a);
  if (hdr !== null) b = { algo: 'hdr', hashType: s.balance.hashType, hdrName: hdr[1] as string };
  else if (a === 'random' || a.startsWith('random(')) {
    const draws = parseDraws(a);
    if (typeof draws === 'string') return e(`balance ${draws}`);
    b = { algo: 'random', hashType: s.balance.hashType, hdrName: null, draws };
  } else if ((SIMPLE_ALGOS as readonly string[]).includes(a)) b = { algo: a as BalanceAlgo, hashType: s.balance.hashType, hdrName: null };
  else return e(BALANCE_HELP);
  s.balance = b;
  return null;
}

/** HAProxy's default number of draws for `balance random`. */
const DEFAULT_DRAWS = 2;
/**
 * Hawser's bound (HAProxy has none): a pick costs O(draws), and draws beyond the number of
 * servers only make `random` a slower `leastconn`.
 */
const MAX_DRAWS = 100;

/**
 * The draws of `random`, `random()` or `random(<draws>)`, else HAProxy's error text after
 * `balance `. Stricter than HAProxy's strtol: decimal digits only, nothing after `)`.
 */
export function parseDraws(word: string): number | string {
  if (word === 'random' || word === 'random()') return DEFAULT_DRAWS;
  // As strtol: an optional sign and digits; a sign alone is an unexpected character.
  const m = /^random\((?:([+-]?[0-9]+))?(.?)/.exec(word) as RegExpExecArray;
  const [, digits = '', next = ''] = m;
  if (next === '') return 'random : missing closing parenthesis.';
  if (next !== ')') return `random : unexpected character '${next}' after argument.`;
  const after = word.slice(7 + digits.length + 1);
  if (after !== '') return `random : unexpected character '${after[0] ?? ''}' after argument.`;
  const n = Number(digits);
  if (n < 1) return 'random : number of draws must be at least 1.';
  if (n > MAX_DRAWS) return `random : number of draws must be at most ${MAX_DRAWS}.`;
  return n;
}

/**
 * `option forwardfor [append|replace|off]`. HAProxy's `option forwardfor` always adds an
 * X-Forwarded-For; Hawser's words say what happens to the client's X-Forwarded-* (docs/http.md):
 * `append` (the default, also without the option) trusts and extends them, `replace` drops them
 * and sets the proxy's own, `off` passes them through and adds none.
 */
function parseForwardFor(s: ProxySettings, k: SectionKind, words: readonly string[]): KwError | null {
  if (k === 'backend') return notAllowed('option forwardfor', k);
  const mode = words[2] ?? 'append';
  if (mode !== 'append' && mode !== 'replace' && mode !== 'off') return e(`'option forwardfor' expects 'append', 'replace' or 'off', got '${mode}'.`);
  if (words[3] !== undefined) return e(`'option forwardfor' cannot handle unexpected argument '${words[3]}'.`);
  s.forwarded = mode;
  return null;
}

/**
 * `no option forwardfor`: the same as `option forwardfor off`, in the form HAProxy gives its other
 * options (`no option redispatch`), so a frontend can turn off what its defaults section set.
 * HAProxy itself refuses this line ("negation/default is not supported"): it needs none, as its
 * default is already off.
 */
function parseNoForwardFor(s: ProxySettings, k: SectionKind, words: readonly string[]): KwError | null {
  if (k === 'backend') return notAllowed('no option forwardfor', k);
  if (words[3] !== undefined) return e(`'no option forwardfor' cannot handle unexpected argument '${words[3]}'.`);
  s.forwarded = 'off';
  return null;
}

function parseProxyGuid(st: SectionState, words: readonly string[], env: KeywordEnv): KwError | null {
  const p = st.proxy as ProxyConfig;
  const v = words[1];
  if (v === undefined || v === '') return e("'guid' : expects an argument");
  if (p.guid !== null) return e(`'guid': a second 'guid' is rejected (already set to '${p.guid}')`);
  const err = env.guids.insert(st.owner, v);
  if (err !== null) return e(`'guid': ${err}`);
  p.guid = v;
  return null;
}

function parseBind(st: SectionState, words: readonly string[], env: KeywordEnv): KwError | null {
  const spec = words[1];
  if (spec === undefined) return e("'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments.");
  const addresses: BindAddress[] = [];
  for (const part of spec.split(',')) {
    const a = parseAddress(part, true);
    if (a === null) return e(`'bind ${spec}' : invalid address: '${part}'.`);
    addresses.push({ host: a.host, port: a.port });
  }
  let guidPrefix: string | null = null;
  let ssl = false;
  let crt: string | null = null;
  let crtList: string | null = null;
  for (let i = 2; i < words.length; i++) {
    const kw = words[i] as string;
    const v = words[i + 1];
    if (kw === 'ssl') { ssl = true; continue; }
    if (kw !== 'guid-prefix' && kw !== 'crt' && kw !== 'crt-list') return e(`'bind ${spec}' unknown keyword '${kw}'.`);
    if (v === undefined || v === '') return e(`'bind ${spec}' : '${kw}' : missing value.`);
    if (kw === 'guid-prefix') guidPrefix = v;
    else if (kw === 'crt') crt = v;
    else crtList = v;
    i++;
  }
  if ((crt !== null || crtList !== null) && !ssl) return e(`'bind ${spec}' : 'crt' and 'crt-list' need the 'ssl' keyword.`);
  if (ssl && crt === null) return e(`'bind ${spec}' : 'ssl' needs a default certificate ('crt <name>').`);
  (st.proxy as ProxyConfig).binds.push({ addresses, guidPrefix, ssl, crt, crtList, line: env.line });
  return null;
}

function parseServer(st: SectionState, words: readonly string[], env: KeywordEnv): KwError | null {
  const p = st.proxy as ProxyConfig;
  const name = words[1];
  const addr = words[2];
  if (name === undefined || addr === undefined) return e(`[${env.file}:${env.line}] : 'server' expects <name> and <addr>[:<port>] as arguments.`, true);
  const where = `[${env.file}:${env.line}] : 'server ${p.name}/${name}' :`;
  const badChar = invalidNameChar(name);
  if (badChar !== null) return e(`[${env.file}:${env.line}] : character '${badChar}' is not permitted in server name '${name}'.`, true);
  const prev = st.serverNames.get(name);
  if (prev !== undefined) return e(`[${env.file}:${env.line}] : 'server ${p.name}/${name}' : a server with the same name already exists in ${p.cap === 'listen' ? 'proxy' : p.cap} '${p.name}' (declared at ${env.file}:${prev}).`, true);
  const a = parseAddress(addr, false);
  if (a === null) return e(`${where} invalid address: '${addr}'.`, true);
  const r = parseServerKeywords(words, 3, {
    name, dynamic: false,
    checkGuid: (key) => env.guids.check(key),
    checkId: (id) => st.serverIds.get(id) ?? null,
  });
  if (!r.ok) return e(`${where} ${r.error}`, true);
  const settings = { ...r.settings, host: a.host, port: a.port, family: a.family };
  if (settings.guid !== null) {
    const err = env.guids.insert({ guid: null, guidName: `server ${p.name}/${name}` }, settings.guid);
    if (err !== null) return e(`${where} 'guid': ${err}.`, true);
  }
  if (settings.id !== null) st.serverIds.set(settings.id, `${env.file}:${env.line} ('server ${name}')`);
  st.serverNames.set(name, env.line);
  p.servers.push({ name, settings, line: env.line });
  return null;
}
