/**
 * The differ: (desired, applied) → the minimal ordered list of runtime commands. Pure.
 *
 * Order (docs/controller.md, "The diff's ordering rules"):
 *   1. backends: new ones complete (settings, servers, published); changed settings; server
 *      additions and changes of kept backends
 *   2. certificates: the default certificate's content, new ones (new, set, commit), changed
 *      ones (set, commit); then crt-list entries that are new or whose SNI filters changed
 *   3. routes: one atomic swap of the route map, only when an entry differs
 *   4. removals, now that no route uses them: crt-list entries, certificates, servers of kept
 *      backends (maint, then delete), then whole backends (unpublish, empty, delete)
 * Nothing is emitted for an object that is equal on both sides, so reconciling an unchanged
 * cluster against the state read back after a restart sends nothing.
 */
import type { Command } from './command.ts';
import type { CertificateSpec, ProxyState } from '../model/proxy-state.ts';
import { diffServers } from './servers.ts';
import { createBackendCommands, diffSettings, removeBackendCommands } from './backends.ts';
import { cmp } from '../model/warnings.ts';
import { append } from '../model/append.ts';

export interface DiffOptions {
  readonly routeMap: string;
  readonly crtList: string;
}

function certCommands(want: CertificateSpec, isNew: boolean): Command[] {
  const out: Command[] = [];
  if (isNew) out.push({ op: 'new-ssl-cert', name: want.name });
  out.push({ op: 'set-ssl-cert', name: want.name, pem: want.pem ?? '' }, { op: 'commit-ssl-cert', name: want.name });
  return out;
}

function sameRoutes(a: ProxyState['routes'], b: ProxyState['routes']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined || x.key !== y.key || x.value !== y.value) return false;
  }
  return true;
}

/**
 * The endpoint fast path's diff: server commands for the named backends only (additions and
 * changes, then removals). Precondition: every other backend is equal on both sides.
 */
export function diffServersOf(desired: ProxyState, applied: ProxyState, backends: ReadonlySet<string>): Command[] {
  const have = new Map(applied.backends.filter((b) => backends.has(b.name)).map((b) => [b.name, b]));
  const upserts: Command[] = [];
  const removals: Command[] = [];
  for (const want of desired.backends) {
    if (!backends.has(want.name)) continue;
    const plan = diffServers(want, have.get(want.name));
    append(upserts, plan.upserts);
    append(removals, plan.removals);
  }
  return [...upserts, ...removals];
}

export function diff(desired: ProxyState, applied: ProxyState, options: DiffOptions): Command[] {
  const out: Command[] = [];
  const removals: Command[] = [];

  // 1. Backends.
  const appliedBackends = new Map(applied.backends.map((b) => [b.name, b]));
  for (const want of desired.backends) {
    const got = appliedBackends.get(want.name);
    if (got === undefined) {
      append(out, createBackendCommands(want));
      continue;
    }
    appliedBackends.delete(want.name);
    // The same object on both sides (the builder re-uses unchanged backends, and the sync loop
    // keeps the last applied desired state): nothing to compare.
    if (want === got) continue;
    for (const setting of diffSettings(want.settings ?? {}, got.settings)) out.push({ op: 'set-backend', backend: want.name, setting });
    const plan = diffServers(want, got);
    append(out, plan.upserts);
    append(removals, plan.removals);
  }

  // 2. Certificates and crt-list.
  if (desired.defaultCertificate !== undefined && desired.defaultCertificate.fingerprint !== applied.defaultCertificate?.fingerprint) {
    append(out, certCommands(desired.defaultCertificate, false));
  }
  const appliedCerts = new Map(applied.certificates.map((c) => [c.name, c]));
  for (const want of desired.certificates) {
    const got = appliedCerts.get(want.name);
    appliedCerts.delete(want.name);
    if (got === undefined) append(out, certCommands(want, true));
    else if (got.fingerprint !== want.fingerprint) append(out, certCommands(want, false));
  }
  const appliedList = new Map(applied.crtList.map((e) => [e.cert, e]));
  for (const want of desired.crtList) {
    const got = appliedList.get(want.cert);
    appliedList.delete(want.cert);
    if (got !== undefined && got.snis.join(' ') === want.snis.join(' ')) continue;
    if (got !== undefined) out.push({ op: 'del-crt-list', list: options.crtList, cert: want.cert });
    out.push({ op: 'add-crt-list', list: options.crtList, cert: want.cert, snis: want.snis });
  }

  // 3. Routes.
  if (!sameRoutes(desired.routes, applied.routes)) out.push({ op: 'replace-map', map: options.routeMap, entries: desired.routes });

  // 4. Removals.
  for (const cert of [...appliedList.keys()].sort(cmp)) out.push({ op: 'del-crt-list', list: options.crtList, cert });
  for (const name of [...appliedCerts.keys()].sort(cmp)) out.push({ op: 'del-ssl-cert', name });
  append(out, removals);
  for (const name of [...appliedBackends.keys()].sort(cmp)) {
    const b = appliedBackends.get(name);
    if (b !== undefined) append(out, removeBackendCommands(b));
  }
  return out;
}
