/**
 * Parsers for the show commands the controller reads back after a restart. Each takes the reply
 * text and returns typed values, or throws HWS_ERR_RUNTIME_UNEXPECTED_REPLY: a reply we cannot
 * read must stop the read-back, never be half-understood (the differ would then delete things).
 */
import { HawserError } from '../errors.ts';
import type { Balance, BackendSettings, ServerState } from '../model/proxy-state.ts';

function unexpected(what: string, line: string): never {
  throw new HawserError('HWS_ERR_RUNTIME_UNEXPECTED_REPLY', `${what}: cannot read ${JSON.stringify(line.slice(0, 120))}`);
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

export interface BackendRow {
  readonly name: string;
  /** Undefined when the proxy prints names only (HAProxy's `show backend`). */
  readonly settings?: BackendSettings;
}

function parseTime(v: string): number | undefined {
  if (v === '-' || v === 'default') return undefined;
  const m = /^([0-9]+)(?:ms)?$/.exec(v);
  return m === null ? unexpected('show backend', v) : Number(m[1]);
}

function parseBalance(v: string): Balance | undefined {
  if (v === '-') return undefined;
  if (v === 'roundrobin' || v === 'leastconn' || v === 'random' || v === 'source') return v === 'roundrobin' ? undefined : { algorithm: v };
  const m = /^hdr\(([A-Za-z0-9-]+)\)$/.exec(v);
  return m?.[1] === undefined ? unexpected('show backend', v) : { algorithm: 'hdr', header: m[1] };
}

/**
 * `show backend`: HAProxy prints `# name` then one name per line. proxy-core may add columns
 * (`# name balance timeout-connect timeout-server httpchk check-inter`, `-` for a default), which
 * lets a restarted controller compare settings instead of re-sending them.
 */
export function parseShowBackend(text: string): BackendRow[] {
  const [header, ...rows] = lines(text);
  if (header === undefined || !header.startsWith('# ')) return unexpected('show backend', header ?? '');
  const cols = header.slice(2).split(' ');
  if (cols[0] !== 'name') return unexpected('show backend', header);
  const at = (name: string): number => cols.indexOf(name);
  const extended = at('balance') > 0;
  return rows.map((row) => {
    const f = row.split(' ');
    const name = f[0] ?? unexpected('show backend', row);
    if (!extended) return { name };
    const get = (col: string): string => f[at(col)] ?? '-';
    const balance = parseBalance(get('balance'));
    const connect = parseTime(get('timeout-connect'));
    const server = parseTime(get('timeout-server'));
    const check = get('httpchk');
    const inter = parseTime(get('check-inter'));
    const settings: BackendSettings = {
      ...(balance === undefined ? {} : { balance }),
      ...(connect === undefined ? {} : { timeoutConnectMs: connect }),
      ...(server === undefined ? {} : { timeoutServerMs: server }),
      ...(check === '-' || check === 'none' ? {} : { checkPath: check }),
      ...(inter === undefined ? {} : { checkIntervalMs: inter }),
    };
    return { name, settings };
  });
}

export interface ServerRow {
  readonly backend: string;
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly state: ServerState;
  readonly weight: number;
  readonly health: boolean;
}

const ADMIN_MAINT = 0x01 | 0x02 | 0x20;
const ADMIN_DRAIN = 0x08 | 0x10;
const CHECK_ENABLED = 0x04;
const CHECK_PAUSED = 0x08;

/** `show servers state` (format version 1, 25 fields; the loader accepts 20 and more). */
export function parseServersState(text: string): ServerRow[] {
  const all = lines(text);
  if (all[0] !== '1') return unexpected('show servers state', all[0] ?? '');
  const out: ServerRow[] = [];
  for (const line of all.slice(1)) {
    if (line.startsWith('#')) continue;
    const f = line.split(' ');
    if (f.length < 20) return unexpected('show servers state', line);
    const admin = Number(f[6]);
    const check = Number(f[13]);
    const port = Number(f[18]);
    const weight = Number(f[7]);
    if (![admin, check, port, weight].every(Number.isInteger)) return unexpected('show servers state', line);
    const state: ServerState = (admin & ADMIN_MAINT) !== 0 ? 'maint' : (admin & ADMIN_DRAIN) !== 0 ? 'drain' : 'ready';
    out.push({
      backend: f[1] ?? '',
      name: f[3] ?? '',
      address: f[4] ?? '',
      port,
      state,
      weight,
      health: (check & CHECK_ENABLED) !== 0 && (check & CHECK_PAUSED) === 0,
    });
  }
  return out;
}

/** `show map <map>`: `<id> <key> <value>`, the value running to the end of the line. */
export function parseShowMap(text: string): { key: string; value: string }[] {
  return lines(text).map((line) => {
    const m = /^(\S+) (\S+) (.*)$/.exec(line);
    if (m === null) return unexpected('show map', line);
    return { key: m[2] ?? '', value: m[3] ?? '' };
  });
}

/**
 * `show ssl cert`: an optional `# transaction` section (`*<name>` of an uncommitted transaction),
 * then `# filename` and the names.
 */
export function parseShowSslCerts(text: string): string[] {
  const all = lines(text);
  const at = all.indexOf('# filename');
  if (at < 0 || (at > 0 && all[0] !== '# transaction')) return unexpected('show ssl cert', all[0] ?? '');
  return all.slice(at + 1).filter((r) => !r.startsWith('*')).map((r) => r.trim());
}

/** `show ssl cert <name>`: the `SHA1 FingerPrint:` line. */
export function parseCertFingerprint(text: string): string {
  const line = lines(text).find((l) => l.startsWith('SHA1 FingerPrint: '));
  if (line === undefined) return unexpected('show ssl cert <name>', text.split('\n')[0] ?? '');
  return line.slice('SHA1 FingerPrint: '.length).trim().toUpperCase();
}

/** `show ssl crt-list <list>`: `# <list>`, then `<cert>[ [options]][ <sni>…]`. */
export function parseCrtList(text: string): { cert: string; snis: string[] }[] {
  const [header, ...rows] = lines(text);
  if (header === undefined || !header.startsWith('#')) return unexpected('show ssl crt-list', header ?? '');
  return rows.map((row) => {
    const words = row.split(' ').filter((w) => w.length > 0);
    const cert = words.shift() ?? unexpected('show ssl crt-list', row);
    if (words[0]?.startsWith('[') === true) {
      while (words.length > 0 && !(words.shift() ?? '').endsWith(']')) { /* skip the options */ }
    }
    return { cert, snis: words.sort() };
  });
}
