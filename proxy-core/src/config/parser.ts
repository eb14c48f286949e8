/**
 * The configuration parser: text in, typed configuration or every error out (pure, no I/O).
 * It accepts the HAProxy subset listed in proxy-core/README.md and words its errors as HAProxy
 * does (`parsing [file:line] : …`). GUIDs are checked in HAProxy's order: proxy and server GUIDs
 * when their keyword is read, listener GUIDs (`guid-prefix`) after the whole file, so a proxy or
 * server that claims `pfx-1` wins and the bind line fails.
 */
import type { GuidOwner } from '../guid/tree.ts';
import { GuidTree } from '../guid/tree.ts';
import type { ProxyCap } from '../model/proxy.ts';
import { copyProxySettings, defaultProxySettings } from '../model/proxy.ts';
import type { Level } from '../runtime/command.ts';
import { tokenizeLine } from './line-tokenizer.ts';
import type { SectionState } from './proxy-keywords.ts';
import { handleProxyKeyword } from './proxy-keywords.ts';
import type { BindConfig, DefaultsConfig, GlobalConfig, ParseResult, ProxyConfig } from './types.ts';
import { invalidNameChar, parseDuration, parseExactDuration, parseUint } from './values.ts';

const SECTIONS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen']);
const LEVELS: readonly Level[] = ['user', 'operator', 'admin'];

interface State {
  readonly file: string;
  readonly errors: string[];
  readonly warnings: string[];
  readonly guids: GuidTree;
  readonly global: GlobalConfig;
  readonly defaults: DefaultsConfig[];
  readonly proxies: ProxyConfig[];
  readonly names: Map<string, { cap: ProxyCap; line: number }[]>;
  section: 'none' | 'global' | SectionState;
  lastDefaults: DefaultsConfig | null;
}

export function parseConfig(text: string, file: string): ParseResult {
  const st: State = {
    file, errors: [], warnings: [], guids: new GuidTree(),
    global: { statsSockets: [], nbthread: null, hardStopAfter: null, maxconn: null, statsTimeout: null, statsBusyPollUs: null },
    defaults: [], proxies: [], names: new Map(), section: 'none', lastDefaults: null,
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const tok = tokenizeLine(lines[i] as string);
    if ('error' in tok) {
      st.errors.push(`parsing [${file}:${lineNo}] : ${tok.error}.`);
      continue;
    }
    if (tok.words.length === 0) continue;
    parseLine(st, tok.words, lineNo);
  }
  const listenerGuids = new Map<BindConfig, string[]>();
  if (st.errors.length === 0) postParse(st, listenerGuids);
  if (st.errors.length > 0) return { ok: false, errors: st.errors, warnings: st.warnings };
  return { ok: true, config: { file, global: st.global, defaults: st.defaults, proxies: st.proxies, listenerGuids }, warnings: st.warnings };
}

function parseLine(st: State, words: string[], line: number): void {
  const kw = words[0] as string;
  const at = `parsing [${st.file}:${line}] : `;
  if (SECTIONS.has(kw)) {
    openSection(st, words, line);
    return;
  }
  if (st.section === 'none') {
    st.errors.push(`${at}unknown keyword '${kw}' out of section.`);
    return;
  }
  if (st.section === 'global') {
    const err = parseGlobal(st.global, words, line);
    if (err !== null) st.errors.push(err === '' ? `${at}unknown keyword '${kw}' in 'global' section` : `${at}${err}`);
    return;
  }
  const sec = st.section;
  const r = handleProxyKeyword(sec, words, { file: st.file, line, guids: st.guids });
  if (r === undefined) st.errors.push(`${at}unknown keyword '${kw}' in '${sec.kind}' section`);
  else if (r !== null) st.errors.push(r.raw === true ? r.text : `${at}${r.text}`);
}

function openSection(st: State, words: string[], line: number): void {
  const kind = words[0] as string;
  const at = `parsing [${st.file}:${line}] : `;
  if (kind === 'global') {
    st.section = 'global';
    return;
  }
  const name = words[1] ?? '';
  let base = st.lastDefaults;
  if (words[2] === 'from') {
    const ref = words[3] ?? '';
    base = st.defaults.findLast((d) => d.name === ref) ?? null;
    if (base === null) st.errors.push(`${at}${kind} '${name}': unable to find the defaults section '${ref}'.`);
  } else if (words.length > 2) {
    st.errors.push(`${at}'${kind} ${name}' : unexpected argument '${words[2] as string}'.`);
  }
  const settings = base === null ? defaultProxySettings() : copyProxySettings(base.settings);
  const owner: GuidOwner = { guid: null, guidName: '' };
  if (kind === 'defaults') {
    // A defaults section inherits nothing's explicit mode flag but keeps values.
    const d: DefaultsConfig = { name, line, settings };
    st.defaults.push(d);
    st.lastDefaults = d;
    st.section = { kind: 'defaults', settings, proxy: null, owner, serverIds: new Map(), serverNames: new Map() };
    return;
  }
  const cap = kind as ProxyCap;
  if (name === '') st.errors.push(`${at}'${kind}' expects <name> as an argument.`);
  const bad = invalidNameChar(name);
  if (name !== '' && bad !== null) st.errors.push(`${at}character '${bad}' is not permitted in '${kind}' name '${name}'.`);
  const same = st.names.get(name) ?? [];
  for (const o of same) {
    // Like HAProxy, a frontend and a backend may share a name; anything else collides.
    const clash = o.cap === 'listen' || cap === 'listen' || o.cap === cap;
    if (clash) st.errors.push(`${at}${kind} '${name}' has the same name as ${o.cap === 'listen' ? 'proxy' : o.cap} '${name}' declared at ${st.file}:${o.line}.`);
  }
  st.names.set(name, [...same, { cap, line }]);
  const proxy: ProxyConfig = {
    cap, name, line, settings, guid: null, binds: [], servers: [], routeMap: null,
    // A frontend inherits the defaults section's default_backend; a backend ignores it.
    defaultBackend: cap === 'backend' ? null : settings.defaultBackend, defaultBackendLine: line,
  };
  (owner as { guidName: string }).guidName = `${cap === 'listen' ? 'proxy' : cap} ${name}`;
  st.proxies.push(proxy);
  st.section = { kind: cap, settings, proxy, owner, serverIds: new Map(), serverNames: new Map() };
}

/** Returns null when handled, '' for an unknown keyword, else the error text after the prefix. */
function parseGlobal(g: GlobalConfig, words: string[], line: number): string | null {
  const kw = words[0] as string;
  const a1 = words[1];
  switch (kw) {
    case 'stats': {
      if (a1 === 'timeout') {
        const d = words[2] === undefined ? null : parseDuration(words[2]);
        if (d === null || 'error' in d || d.ms === 0) return "'stats timeout' expects a positive delay in milliseconds.";
        g.statsTimeout = d.ms;
        return null;
      }
      if (a1 === 'busy-poll') {
        const d = words[2] === undefined ? { error: 'empty value' } : parseExactDuration(words[2]);
        if ('error' in d || d.ms > 1000) return "'stats busy-poll' expects a delay between 0 and 1s (e.g. 200us; 0 disables it).";
        g.statsBusyPollUs = Math.round(d.ms * 1000);
        return null;
      }
      if (a1 !== 'socket') return "'stats' only supports 'socket', 'timeout' and 'busy-poll' in 'global' section.";
      const path = words[2];
      if (path === undefined || path === '') return "'stats socket' requires a path.";
      if (!path.startsWith('/') && !path.startsWith('./') && !/^[A-Za-z0-9._-]/.test(path) || path.includes('@')) return `'stats socket' only supports UNIX socket paths (got '${path}').`;
      let mode: number | null = null;
      let level: Level = 'admin';
      for (let i = 3; i < words.length; i += 2) {
        const k = words[i] as string;
        const v = words[i + 1];
        if (k === 'mode') {
          if (v === undefined || !/^[0-7]{1,4}$/.test(v)) return "'mode' : missing or invalid mode (octal integer expected).";
          mode = parseInt(v, 8);
        } else if (k === 'level') {
          if (v === undefined || !(LEVELS as readonly string[]).includes(v)) return "'level' only supports 'user', 'operator', and 'admin'.";
          level = v as Level;
        } else return `'stats socket' : unknown keyword '${k}'.`;
      }
      g.statsSockets.push({ path, mode, level, line });
      return null;
    }
    case 'nbthread':
    case 'maxconn': {
      const n = a1 === undefined ? null : parseUint(a1);
      if (n === null || n < 1) return `'${kw}' expects a strictly positive integer argument.`;
      if (kw === 'nbthread' && n > 64) return "'nbthread' must be between 1 and 64.";
      if (kw === 'nbthread') g.nbthread = n;
      else g.maxconn = n;
      return null;
    }
    case 'hard-stop-after': {
      if (a1 === undefined) return "'hard-stop-after' expects <time> as argument.";
      const d = parseDuration(a1);
      if ('error' in d) return `'hard-stop-after' : ${d.error} in argument '${a1}'.`;
      g.hardStopAfter = d.ms;
      return null;
    }
    case 'daemon':
      return null;
  }
  return '';
}

function postParse(st: State, listenerGuids: Map<BindConfig, string[]>): void {
  const backends = new Set(st.proxies.filter((p) => p.cap !== 'frontend').map((p) => p.name));
  for (const p of st.proxies) {
    if (p.defaultBackend !== null && !backends.has(p.defaultBackend)) {
      st.errors.push(`[${st.file}:${p.defaultBackendLine}] : Proxy '${p.name}': unable to find required default_backend: '${p.defaultBackend}'.`);
    }
    for (const b of p.binds) {
      if (b.guidPrefix === null) continue;
      const keys: string[] = [];
      for (let i = 0; i < b.addresses.length; i++) {
        const key = `${b.guidPrefix}-${i}`;
        const err = st.guids.insert({ guid: null, guidName: `listener ${p.name} (${st.file}:${b.line})` }, key);
        if (err !== null) {
          st.errors.push(`[${st.file}:${b.line}] : error on GUID generation : ${err}. You may fix it by adjusting guid-prefix.`);
          break;
        }
        keys.push(key);
      }
      listenerGuids.set(b, keys);
    }
  }
}
