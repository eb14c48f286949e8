/**
 * Server commands for one backend: the endpoint fast path is this function alone.
 *
 * Additions: `add server` (the proxy starts it in forced maintenance), then its state (`ready` or
 * `drain`), then `enable health` when checks are on: the server takes traffic only once complete.
 * Changes: address, weight, state, health, each only when it differs.
 * Removals come last: `set server … state maint` (unless already in maint), then `del server`,
 * which the client runs as a protocol (it waits while connections are attached).
 */
import type { Command } from './command.ts';
import type { BackendSpec, ServerSpec } from '../model/proxy-state.ts';
import { cmp } from '../model/warnings.ts';
import { append } from '../model/append.ts';

export function addServerCommands(backend: string, s: ServerSpec): Command[] {
  const out: Command[] = [{ op: 'add-server', backend, server: s.name, address: s.address, port: s.port, guid: s.guid ?? '', weight: s.weight }];
  out.push({ op: 'set-server-state', backend, server: s.name, state: s.state });
  if (s.health) out.push({ op: 'enable-health', backend, server: s.name });
  return out;
}

export function removeServerCommands(backend: string, s: ServerSpec): Command[] {
  const out: Command[] = [];
  if (s.state !== 'maint') out.push({ op: 'set-server-state', backend, server: s.name, state: 'maint' });
  out.push({ op: 'del-server', backend, server: s.name });
  return out;
}

export interface ServerPlan {
  /** Additions and changes: safe before routes change. */
  readonly upserts: readonly Command[];
  /** Removals: after routes stop using anything. */
  readonly removals: readonly Command[];
}

/** Precondition: both server lists are sorted by name (builders and readers keep them so). */
export function diffServers(desired: BackendSpec, applied: BackendSpec | undefined): ServerPlan {
  const backend = desired.name;
  const have = new Map((applied?.servers ?? []).map((s) => [s.name, s]));
  const upserts: Command[] = [];
  for (const want of desired.servers) {
    const got = have.get(want.name);
    if (got === undefined) {
      append(upserts, addServerCommands(backend, want));
      continue;
    }
    have.delete(want.name);
    const server = want.name;
    if (got.address !== want.address || got.port !== want.port) upserts.push({ op: 'set-server-addr', backend, server, address: want.address, port: want.port });
    if (got.weight !== want.weight) upserts.push({ op: 'set-server-weight', backend, server, weight: want.weight });
    if (got.state !== want.state) upserts.push({ op: 'set-server-state', backend, server, state: want.state });
    if (got.health !== want.health) upserts.push({ op: want.health ? 'enable-health' : 'disable-health', backend, server });
  }
  const removals = [...have.values()].sort((a, b) => cmp(a.name, b.name)).flatMap((s) => removeServerCommands(backend, s));
  return { upserts, removals };
}
