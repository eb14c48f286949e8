/**
 * Model objects as data-plane records (dataplane/records.ts): each record states the whole
 * current truth of one object, so a worker never derives state from history.
 */
import type { BackendAddRecord, Balance as PlaneBalance, FrontendAddRecord, ServerAdmin, ServerAddRecord, ServerState, ServerUpdateRecord } from '../dataplane/records.ts';
import type { Balance, Proxy } from './proxy.ts';
import type { ChangeRecord } from './change-record.ts';
import type { Server } from './server.ts';
import { ADMF_DRAIN, ADMF_MAINT, SRV_ST_RUNNING, SRV_ST_STARTING } from './server.ts';

type Body<R> = Omit<R, 'seq'>;

/** Idle keep-alive connections kept per server and per worker (not configurable yet). */
export const POOL_MAX_IDLE = 16;

export function planeAdmin(s: Server): ServerAdmin {
  if ((s.admin & ADMF_MAINT) !== 0) return 'maint';
  if ((s.admin & ADMF_DRAIN) !== 0) return 'drain';
  return 'ready';
}

export function planeServerState(s: Server): ServerState {
  return { host: s.host, port: s.port, weight: s.uweight, admin: planeAdmin(s), health: health(s), maxconn: s.maxconn };
}

function health(s: Server): 'up' | 'down' {
  return s.op === SRV_ST_RUNNING || s.op === SRV_ST_STARTING ? 'up' : 'down';
}

/*
 * The hottest bodies carry `seq: 0` from birth: the bus stamps the real one in place, and a
 * property that already exists costs no new backing store per record (an added one did).
 */
export function serverAddBody(s: Server): ServerAddRecord {
  return {
    seq: 0, kind: 'server.add', key: s.key, backend: s.backend.name, name: s.name, guid: s.guid, counterSlot: s.slot,
    host: s.host, port: s.port, weight: s.uweight, admin: planeAdmin(s), health: health(s), maxconn: s.maxconn,
  };
}

export function serverUpdateBody(s: Server): ServerUpdateRecord {
  return {
    seq: 0, kind: 'server.update', key: s.key,
    host: s.host, port: s.port, weight: s.uweight, admin: planeAdmin(s), health: health(s), maxconn: s.maxconn,
  };
}

export function backendAddBody(p: Proxy, kind: 'backend.add' | 'backend.update' = 'backend.add'): Body<BackendAddRecord> {
  const s = p.settings;
  return {
    kind: kind as 'backend.add', name: p.name, guid: p.guid, mode: s.mode,
    balance: planeBalance(s.balance),
    timeouts: { connect: s.timeouts.connect ?? 0, server: s.timeouts.server ?? 0, tunnel: s.timeouts.tunnel ?? 0 },
    retries: s.retries, redispatch: s.redispatch, poolMaxIdle: POOL_MAX_IDLE, counterSlot: p.beSlot,
    published: p.published,
  };
}

function planeBalance(b: Balance): PlaneBalance {
  const hdrName = b.hdrName === null ? null : b.hdrName.toLowerCase();
  return b.algo === 'random' && b.draws !== undefined ? { algo: b.algo, hdrName, draws: b.draws } : { algo: b.algo, hdrName };
}

export function frontendAddBody(p: Proxy): Body<FrontendAddRecord> {
  const s = p.settings;
  return {
    kind: 'frontend.add', name: p.name, guid: p.guid, mode: s.mode,
    binds: p.listeners.map((l) => ({
      host: l.host, port: l.port,
      ssl: l.ssl === null || l.ssl.crt === null ? null : { defaultCert: l.ssl.crt, crtList: l.ssl.crtList },
    })),
    routeMap: p.routeMap, defaultBackend: p.defaultBackend,
    timeouts: { client: s.timeouts.client ?? 0, httpRequest: s.timeouts['http-request'] ?? 0, httpKeepAlive: s.timeouts['http-keep-alive'] ?? 0 },
    forwarded: s.forwarded, accessLog: s.accessLog, counterSlot: p.feSlot,
  };
}

/**
 * The whole state of `proxies` as records for a worker that (re)starts: `reset`, then every
 * backend, server and frontend, each stamped with `seq`, the bus's current one.
 */
export function snapshotRecords(proxies: Iterable<Proxy>, seq: number): ChangeRecord[] {
  const all = [...proxies];
  const out: ChangeRecord[] = [{ seq, kind: 'reset' }];
  for (const p of all) if (p.isBackend) out.push({ ...backendAddBody(p), seq });
  for (const p of all) {
    if (!p.isBackend) continue;
    for (const s of p.servers.values()) out.push({ ...serverAddBody(s), seq });
  }
  for (const p of all) if (p.isFrontend) out.push({ ...frontendAddBody(p), seq });
  return out;
}
