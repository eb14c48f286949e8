/**
 * Backend settings at run time: a Hawser extension in HAProxy's style (HAProxy has no such
 * command; it needs a reload for these). The controller sets what Ingress annotations ask for:
 *
 *   set backend <be> balance roundrobin|leastconn|random[(<draws>)]|first|source|hdr(<name>)
 *   set backend <be> timeout connect|server <time>|default
 *   set backend <be> httpchk <path>|none
 *   set backend <be> check-inter <time>|default
 *   show backend settings
 *
 * Silent on success, like `set server`. `default` returns to the value the backend was created
 * with. `show backend settings` prints only what was set this way (`-` elsewhere), so a
 * restarted controller reads back exactly what it asked for.
 */
import { parseDuration } from '../config/values.ts';
import { parseDraws } from '../config/proxy-keywords.ts';
import type { Model } from '../model/model.ts';
import { copyProxySettings, type Balance, type Proxy, type ProxySettings } from '../model/proxy.ts';
import type { CommandSpec } from '../runtime/command.ts';
import { afterVisible, findBackend, line, refuse } from './lookup.ts';

const USAGE = 'usage: set backend <backend> balance <algo> | timeout connect|server <time>|default | httpchk <path>|none | check-inter <time>|default';
const COLUMNS = ['balance', 'timeout-connect', 'timeout-server', 'httpchk', 'check-inter'] as const;
type Column = (typeof COLUMNS)[number];

/** What was set per backend, and the settings it had before the first change. */
interface Explicit {
  readonly base: ProxySettings;
  readonly baseInter: number | null;
  readonly values: Map<Column, string>;
}
const explicit = new WeakMap<Proxy, Explicit>();

/** The check interval new servers of this backend get when `add server` names none. */
export function backendCheckInterval(be: Proxy): number | null {
  const v = explicit.get(be)?.values.get('check-inter');
  if (v === undefined) return null;
  const d = parseDuration(v);
  return 'ms' in d ? d.ms : null;
}

/** The algorithm, else null (unknown) or the error text of a bad `random(<draws>)`. */
function parseBalance(word: string): Balance | string | null {
  if (word === 'random' || word.startsWith('random(')) {
    const draws = parseDraws(word);
    return typeof draws === 'string' ? `balance ${draws}` : { algo: 'random', hashType: 'map-based', hdrName: null, draws };
  }
  const hdr = /^hdr\(([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64})\)$/.exec(word);
  if (hdr !== null) return { algo: 'hdr', hashType: 'consistent', hdrName: hdr[1] as string };
  switch (word) {
    case 'roundrobin': case 'leastconn': case 'first':
      return { algo: word, hashType: 'map-based', hdrName: null };
    case 'source':
      // Dynamic servers need a consistent hash (HAProxy's rule), so `source` implies it.
      return { algo: 'source', hashType: 'consistent', hdrName: null };
    default:
      return null;
  }
}

function timeWord(word: string | undefined): number | 'default' | { error: string } {
  if (word === 'default') return 'default';
  if (word === undefined) return { error: 'missing time value' };
  const d = parseDuration(word);
  return 'ms' in d ? d.ms : d;
}

export function setBackendCommands(model: Model): CommandSpec[] {
  return [
    {
      words: ['set', 'backend'],
      help: 'set backend <bk> <setting> <value>      : change a backend setting (balance, timeout, httpchk, check-inter)',
      level: 'admin',
      run(args) {
        const be = args[2] === undefined ? undefined : findBackend(model, args[2]);
        if (be === undefined) return refuse(model, 'PXY_ERR_NO_BACKEND', 'No such backend.');
        const state = explicit.get(be) ?? { base: copyProxySettings(be.settings), baseInter: null, values: new Map<Column, string>() };
        const next = copyProxySettings(be.settings);
        let column: Column;
        let value: string;
        let inter: number | null | undefined;
        const what = args[3];
        if (what === 'balance') {
          const b = parseBalance(args[4] ?? '');
          if (b === null) return refuse(model, 'PXY_ERR_USAGE', `unknown balance algorithm '${args[4] ?? ''}'.`);
          if (typeof b === 'string') return refuse(model, 'PXY_ERR_USAGE', b);
          next.balance = b;
          [column, value] = ['balance', args[4] ?? ''];
        } else if (what === 'timeout' && (args[4] === 'connect' || args[4] === 'server')) {
          const t = timeWord(args[5]);
          if (typeof t === 'object') return refuse(model, 'PXY_ERR_USAGE', `'timeout ${args[4]}' : ${t.error}.`);
          const name = args[4];
          next.timeouts = { ...next.timeouts, [name]: t === 'default' ? state.base.timeouts[name] : t };
          if (next.timeouts[name] === undefined) delete next.timeouts[name];
          [column, value] = [`timeout-${name}`, t === 'default' ? '' : `${String(t)}ms`];
        } else if (what === 'httpchk') {
          const path = args[4];
          if (path === undefined || (path !== 'none' && !/^\/[\x21-\x7e]{0,255}$/.test(path))) return refuse(model, 'PXY_ERR_USAGE', "'httpchk' expects an absolute path or 'none'.");
          next.httpchk = path === 'none' ? null : { method: 'GET', uri: path };
          [column, value] = ['httpchk', path === 'none' ? '' : path];
        } else if (what === 'check-inter') {
          const t = timeWord(args[4]);
          if (typeof t === 'object') return refuse(model, 'PXY_ERR_USAGE', `'check-inter' : ${t.error}.`);
          if (t !== 'default' && t < 10) return refuse(model, 'PXY_ERR_USAGE', "'check-inter' must be at least 10ms.");
          inter = t === 'default' ? null : t;
          [column, value] = ['check-inter', t === 'default' ? '' : `${String(t)}ms`];
        } else {
          return refuse(model, 'PXY_ERR_USAGE', USAGE);
        }
        model.write(() => {
          model.updateBackendSettings(be, next);
          if (inter !== undefined) for (const s of be.servers.values()) model.setCheckInterval(s, inter ?? 2000);
        });
        if (value === '') state.values.delete(column);
        else state.values.set(column, value);
        explicit.set(be, state);
        return afterVisible(model, '');
      },
    },
    {
      words: ['show', 'backend', 'settings'],
      help: 'show backend settings                   : list backends with the settings changed at run time',
      level: 'user',
      run() {
        const rows = [`# name ${COLUMNS.join(' ')}`];
        for (const p of model.proxies()) {
          if (!p.isBackend) continue;
          const v = explicit.get(p)?.values;
          rows.push([p.name, ...COLUMNS.map((c) => v?.get(c) ?? '-')].join(' '));
        }
        return line(rows.join('\n'));
      },
    },
  ];
}
