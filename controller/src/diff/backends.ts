/**
 * Backend commands: creation (add, settings, servers, publish: a backend is reachable only once it
 * is complete), setting changes, and removal (unpublish, empty it, delete).
 */
import type { BackendSetting, Command } from './command.ts';
import type { BackendSettings, BackendSpec } from '../model/proxy-state.ts';
import { addServerCommands, removeServerCommands } from './servers.ts';
import { append } from '../model/append.ts';

/** Every setting at its desired value, defaults included: for a backend whose settings are unknown. */
export function allSettings(s: BackendSettings): BackendSetting[] {
  return [
    { kind: 'balance', value: s.balance ?? { algorithm: 'roundrobin' } },
    { kind: 'timeout-connect', ms: s.timeoutConnectMs },
    { kind: 'timeout-server', ms: s.timeoutServerMs },
    { kind: 'httpchk', path: s.checkPath },
    { kind: 'check-inter', ms: s.checkIntervalMs },
  ];
}

function same(a: BackendSetting, b: BackendSetting): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The settings that differ. Unknown applied settings (a proxy whose `show backend` prints names
 * only) count as the defaults: such a proxy cannot hold settings the controller did not send.
 */
export function diffSettings(desired: BackendSettings, applied: BackendSettings | undefined): BackendSetting[] {
  const want = allSettings(desired);
  const have = allSettings(applied ?? {});
  return want.filter((w, i) => { const h = have[i]; return h === undefined || !same(w, h); });
}

/** A new backend's settings: only those that differ from a fresh backend's defaults. */
export function createBackendCommands(b: BackendSpec): Command[] {
  const out: Command[] = [{ op: 'add-backend', backend: b.name, guid: b.guid ?? '' }];
  for (const setting of diffSettings(b.settings ?? {}, {})) out.push({ op: 'set-backend', backend: b.name, setting });
  for (const s of b.servers) append(out, addServerCommands(b.name, s));
  out.push({ op: 'publish-backend', backend: b.name });
  return out;
}

export function removeBackendCommands(b: BackendSpec): Command[] {
  return [
    { op: 'unpublish-backend', backend: b.name },
    ...b.servers.flatMap((s) => removeServerCommands(b.name, s)),
    { op: 'del-backend', backend: b.name },
  ];
}
