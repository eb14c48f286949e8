/**
 * Command → CLI words, and the reply that means success. With escape.ts this is the one place
 * that knows the text of a runtime command. HAProxy's own commands use HAProxy's syntax; the
 * `set backend` settings and `add backend … mode http` with `publish` follow HAProxy 3.4's dynamic
 * backends and its configuration keywords (docs/controller.md lists what proxy-core must accept).
 */
import type { BackendSetting, Command } from '../diff/command.ts';
import type { Balance } from '../model/proxy-state.ts';
import { HawserError } from '../errors.ts';

export interface FormatOptions {
  /** The `defaults` section new backends are created from (`add backend <name> from <defaults>`). */
  readonly backendDefaults: string;
}

/** A reply check: true when the (trailing-newline-trimmed) reply means success. */
export type Success = (reply: string) => boolean;

export interface Step {
  readonly words: readonly string[];
  readonly payload?: string;
  readonly success: Success;
}

const silent: Success = (r) => r === '';
const exactly = (text: string): Success => (r) => r === text;
const lastLine = (re: RegExp): Success => (r) => re.test(r.split('\n').pop() ?? '');

export function balanceWord(b: Balance): string {
  return b.algorithm === 'hdr' ? `hdr(${b.header})` : b.algorithm;
}

const time = (ms: number | undefined): string => (ms === undefined ? 'default' : `${String(ms)}ms`);

export function settingWords(s: BackendSetting): string[] {
  switch (s.kind) {
    case 'balance': return ['balance', balanceWord(s.value)];
    case 'timeout-connect': return ['timeout', 'connect', time(s.ms)];
    case 'timeout-server': return ['timeout', 'server', time(s.ms)];
    case 'httpchk': return ['httpchk', s.path ?? 'none'];
    case 'check-inter': return ['check-inter', time(s.ms)];
  }
}

export function addressWord(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${String(port)}` : `${address}:${String(port)}`;
}

/**
 * The steps of one command. Precondition: not `replace-map` (the client expands it, since the
 * map version comes from the proxy) and not the retry part of `del-server`.
 */
export function formatCommand(c: Exclude<Command, { op: 'replace-map' }>, o: FormatOptions): Step {
  switch (c.op) {
    case 'add-backend': return { words: ['add', 'backend', c.backend, 'from', o.backendDefaults, 'mode', 'http', 'guid', c.guid], success: exactly('New backend registered.') };
    case 'set-backend': return { words: ['set', 'backend', c.backend, ...settingWords(c.setting)], success: silent };
    case 'publish-backend': return { words: ['publish', 'backend', c.backend], success: (r) => r === '' || r === 'Backend published.' };
    case 'unpublish-backend': return { words: ['unpublish', 'backend', c.backend], success: (r) => r === '' || r === 'Backend unpublished.' };
    case 'del-backend': return { words: ['del', 'backend', c.backend], success: exactly('Backend deleted.') };
    case 'add-server': {
      const words = ['add', 'server', `${c.backend}/${c.server}`, addressWord(c.address, c.port), 'guid', c.guid, 'check'];
      if (c.weight !== 1) words.push('weight', String(c.weight));
      return { words, success: lastLine(/^New server registered\.$/) };
    }
    case 'set-server-state': return { words: ['set', 'server', `${c.backend}/${c.server}`, 'state', c.state], success: silent };
    case 'set-server-weight': return { words: ['set', 'server', `${c.backend}/${c.server}`, 'weight', String(c.weight)], success: silent };
    case 'set-server-addr': return { words: ['set', 'server', `${c.backend}/${c.server}`, 'addr', c.address, 'port', String(c.port)], success: (r) => r === '' || r.startsWith('IP changed from') || r.includes('port changed from') || r === 'nothing changed' };
    case 'enable-health': return { words: ['enable', 'health', `${c.backend}/${c.server}`], success: silent };
    case 'disable-health': return { words: ['disable', 'health', `${c.backend}/${c.server}`], success: silent };
    case 'del-server': return { words: ['del', 'server', `${c.backend}/${c.server}`], success: exactly('Server deleted.') };
    case 'new-ssl-cert': return { words: ['new', 'ssl', 'cert', c.name], success: lastLine(/^New empty certificate store '.*'!$/) };
    case 'set-ssl-cert': return { words: ['set', 'ssl', 'cert', c.name], payload: c.pem, success: lastLine(/^Transaction (?:created|updated) for certificate .*!$/) };
    case 'commit-ssl-cert': return { words: ['commit', 'ssl', 'cert', c.name], success: lastLine(/^Success!$/) };
    case 'del-ssl-cert': return { words: ['del', 'ssl', 'cert', c.name], success: lastLine(/^Certificate '.*' deleted!$/) };
    // SNI filters only travel in the payload form (the line form takes the certificate alone).
    case 'add-crt-list': return c.snis.length === 0
      ? { words: ['add', 'ssl', 'crt-list', c.list, c.cert], success: lastLine(/^Success!$/) }
      : { words: ['add', 'ssl', 'crt-list', c.list], payload: [c.cert, ...c.snis].join(' '), success: lastLine(/^Success!$/) };
    case 'del-crt-list': return { words: ['del', 'ssl', 'crt-list', c.list, c.cert], success: lastLine(/^Entry '.*' deleted in crtlist '.*'!$/) };
  }
}

export function prepareMapStep(map: string): Step {
  return { words: ['prepare', 'map', map], success: lastLine(/^New version created: [0-9]+$/) };
}

/**
 * Entries of a prepared version, as payloads of `<key> <value>` lines (the value runs to the end
 * of the line, so a route GUID after a space survives): one command per `maxBytes` of payload.
 * Precondition: keys hold no blank and neither keys nor values hold a newline (the model's
 * validation guarantees it; formatPayload refuses an empty line anyway).
 */
export function addMapSteps(map: string, version: string, entries: readonly { key: string; value: string }[], maxBytes: number): Step[] {
  const steps: Step[] = [];
  let lines: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (lines.length > 0) steps.push({ words: ['add', 'map', `@${version}`, map], payload: lines.join('\n'), success: silent });
    lines = [];
    size = 0;
  };
  for (const e of entries) {
    const l = `${e.key} ${e.value}`;
    if (/[\s]/.test(e.key) || /[\n\r\0]/.test(e.value)) throw new HawserError('HWS_ERR_RUNTIME_UNSAFE_PAYLOAD', 'a map key holds a blank, or a value a line break');
    if (size + l.length + 1 > maxBytes) flush();
    lines.push(l);
    size += l.length + 1;
  }
  flush();
  return steps;
}

export function commitMapStep(map: string, version: string): Step {
  return { words: ['commit', 'map', `@${version}`, map], success: silent };
}

export function waitRemovableStep(backend: string, server: string, delay: string): Step {
  return { words: ['wait', delay, 'srv-removable', `${backend}/${server}`], success: exactly('Done.') };
}

/** The one reply that means "try again later" rather than "refused". */
export const STILL_HAS_CONNECTIONS = 'Server still has connections attached to it, cannot remove it.';
