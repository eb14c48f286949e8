/**
 * The traffic worker's plane (loaded by workers/worker-main.ts): applies the writer's records to
 * this worker's tables and serves the frontends' listeners. See records.ts for the contract and
 * docs/dataplane.md for the request path.
 *
 * Options (`WorkerInit.options`): `logFile` (string: write the worker's JSON logs there instead of
 * stdout, for tests), `logLevel`.
 */
import type { Socket } from 'node:net';
import pino from 'pino';
import { PlaneCounters } from './plane-counters.ts';
import type { ChangeRecord, Plane, PlaneContext } from '../workers/protocol.ts';
import { PlaneLog } from './access-log.ts';
import { PlaneBalancer } from './balancer.ts';
import { Certificates } from './certificates.ts';
import { adoptWithSharedBuffer } from './client-socket.ts';
import { HttpSession } from './http-session.ts';
import { Listeners } from './listeners.ts';
import type { BackendAddRecord, BackendUpdateRecord, FrontendAddRecord, PlaneRecord, ServerAddRecord, ServerUpdateRecord } from './records.ts';
import { RouteMaps } from './route-maps.ts';
import { PlaneRuntime } from './runtime.ts';
import { internAdmin, internHealth, PlaneServer, type FrontendEntry, type Tables } from './tables.ts';
import { TcpSession } from './tcp-session.ts';
import { closeIdle } from './upstream.ts';

export class TrafficPlane implements Plane {
  readonly rt: PlaneRuntime;
  private readonly tables: Tables;
  private readonly maps = new RouteMaps();
  private readonly certs = new Certificates();
  private readonly listeners: Listeners;

  constructor(rt: PlaneRuntime) {
    this.rt = rt;
    this.tables = rt.tables;
    this.listeners = new Listeners(this.certs, (s, fe, secure) => this.accept(s, fe, secure));
  }

  apply(record: ChangeRecord): void | Promise<void> {
    const r = record as PlaneRecord;
    switch (r.kind) {
      case 'reset': return this.reset();
      case 'frontend.add': return this.frontendAdd(r);
      case 'frontend.del': return this.frontendDel(r.name);
      case 'backend.add':
      case 'backend.update': return this.backendSet(r);
      case 'backend.del': return this.backendDel(r.name);
      case 'server.add': return this.serverAdd(r);
      case 'server.update': return this.serverUpdate(r);
      case 'server.del': return this.serverDel(r.key);
      case 'map.replace': return this.maps.replace(r.map, r.entries);
      case 'map.add': return this.maps.add(r.map, r.key, r.value);
      case 'map.del': return this.maps.del(r.map, r.key);
      case 'map.set': return this.maps.set(r.map, r.key, r.value);
      case 'cert.set': return this.certs.set(r.name, r.cert, r.key, r.names);
      case 'cert.del': return this.certs.delete(r.name);
      case 'crtlist.add': return this.certs.listAdd(r.list, r.cert, r.sni);
      case 'crtlist.del': return this.certs.listDel(r.list, r.cert);
      default: throw new Error(`unknown record kind ${JSON.stringify((record as { kind: unknown }).kind)}`);
    }
  }

  async stop(graceMs: number): Promise<void> {
    const rt = this.rt;
    rt.stopping = true;
    rt.upstream.stopping = true;
    this.listeners.closeAll();
    for (const s of this.tables.servers.values()) closeIdle(s);
    for (const s of [...rt.sessions.values()] as unknown as { softStop(): void }[]) s.softStop();
    const deadline = Date.now() + graceMs;
    while (rt.sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const s of [...rt.sessions.values()] as unknown as { close(reason: string): void }[]) s.close('hard stop');
    for (const s of this.tables.servers.values()) for (const c of [...s.conns]) c.destroy();
    rt.sessions.stop();
    rt.sweeper.stop();
    rt.log.flush();
  }

  private accept(socket: Socket, fe: FrontendEntry, secure: boolean): void {
    if (this.rt.stopping || !fe.live) {
      socket.destroy();
      return;
    }
    if (fe.mode === 'tcp') {
      new TcpSession(this.rt, socket, fe);
    } else if (secure) {
      new HttpSession(this.rt, socket, fe, true);
    } else {
      let session: HttpSession | null = null;
      const sock = adoptWithSharedBuffer(socket, this.rt.clientReadBuffer, (n, buf) => session?.onRead(n, buf));
      if (sock === null) return;
      session = new HttpSession(this.rt, sock, fe, false, true);
      sock.resume();
    }
  }

  private reset(): void {
    this.listeners.closeAll();
    for (const fe of this.tables.frontends.values()) fe.live = false;
    for (const s of this.tables.servers.values()) {
      s.live = false;
      closeIdle(s);
    }
    for (const be of this.tables.backends.values()) be.live = false;
    this.tables.frontends.clear();
    this.tables.backends.clear();
    this.tables.servers.clear();
    this.maps.clear();
    this.certs.clear();
  }

  private frontendAdd(r: FrontendAddRecord): Promise<void> {
    const counters = this.tables.counters;
    let fe = this.tables.frontends.get(r.name);
    const fields = {
      guid: r.guid, mode: r.mode, binds: r.binds, routes: r.routeMap === null ? null : this.maps.slot(r.routeMap),
      defaultBackend: r.defaultBackend, timeouts: r.timeouts, forwarded: r.forwarded, accessLog: r.accessLog,
      base: counters.base(r.counterSlot), live: true,
    };
    if (fe === undefined) {
      fe = { name: r.name, ...fields };
      this.tables.frontends.set(r.name, fe);
    } else {
      Object.assign(fe, fields);
    }
    return this.listeners.sync(fe);
  }

  private frontendDel(name: string): void {
    const fe = this.tables.frontends.get(name);
    if (fe === undefined) throw new Error(`no frontend ${name}`);
    fe.live = false;
    this.listeners.closeFrontend(name);
    this.tables.frontends.delete(name);
  }

  private backendSet(r: BackendAddRecord | BackendUpdateRecord): void {
    const be = this.tables.backends.get(r.name);
    const fields = {
      guid: r.guid, mode: r.mode, balance: r.balance, timeouts: r.timeouts, retries: r.retries,
      redispatch: r.redispatch, poolMaxIdle: r.poolMaxIdle, base: this.tables.counters.base(r.counterSlot),
      published: r.published,
    };
    if (be === undefined) {
      if (r.kind === 'backend.update') throw new Error(`no backend ${r.name}`);
      this.tables.backends.set(r.name, { name: r.name, ...fields, servers: [], balancer: new PlaneBalancer(r.balance), live: true });
      return;
    }
    const algoChanged = be.balance.algo !== r.balance.algo || be.balance.hdrName !== r.balance.hdrName || be.balance.draws !== r.balance.draws;
    Object.assign(be, fields);
    if (algoChanged) {
      be.balancer = new PlaneBalancer(r.balance);
      be.balancer.invalidate(be.servers);
    }
  }

  private backendDel(name: string): void {
    const be = this.tables.backends.get(name);
    if (be === undefined) throw new Error(`no backend ${name}`);
    be.live = false;
    for (const s of be.servers) this.serverDel(s.key);
    this.tables.backends.delete(name);
  }

  private serverAdd(r: ServerAddRecord): void {
    const be = this.tables.backends.get(r.backend);
    if (be === undefined) throw new Error(`no backend ${r.backend}`);
    if (this.tables.servers.has(r.key)) throw new Error(`server key ${r.key} exists`);
    const s = new PlaneServer(r.key, r.name, r.guid, be, r.host, r.port);
    s.weight = r.weight;
    s.admin = internAdmin(r.admin);
    s.health = internHealth(r.health);
    s.maxconn = r.maxconn;
    s.base = this.tables.counters.base(r.counterSlot);
    this.tables.servers.set(r.key, s);
    be.servers.push(s);
    be.balancer.invalidate(be.servers);
  }

  private serverUpdate(r: ServerUpdateRecord): void {
    const s = this.tables.servers.get(r.key);
    if (s === undefined) throw new Error(`no server key ${r.key}`);
    const moved = s.host !== r.host || s.port !== r.port;
    s.host = r.host;
    s.port = r.port;
    s.weight = r.weight;
    s.admin = internAdmin(r.admin);
    s.health = internHealth(r.health);
    s.maxconn = r.maxconn;
    // maint: pooled connections go at once; in-flight requests finish on theirs. drain keeps the
    // pool, so keep-alive connections of in-flight exchanges may still be reused by their clients.
    if (moved || r.admin === 'maint') closeIdle(s);
    s.backend.balancer.invalidate(s.backend.servers);
  }

  private serverDel(key: number): void {
    const s = this.tables.servers.get(key);
    if (s === undefined) throw new Error(`no server key ${key}`);
    s.live = false;
    closeIdle(s);
    this.tables.servers.delete(key);
    const list = s.backend.servers;
    const i = list.indexOf(s);
    if (i >= 0) list.splice(i, 1);
    s.backend.balancer.invalidate(list);
  }
}

export function createPlane(ctx: PlaneContext): Plane {
  const opts = ctx.init.options;
  const counters = new PlaneCounters(ctx.init.counters, ctx.index);
  const tables: Tables = { counters, frontends: new Map(), backends: new Map(), servers: new Map() };
  const logFile = typeof opts['logFile'] === 'string' ? opts['logFile'] : null;
  const level = typeof opts['logLevel'] === 'string' ? opts['logLevel'] : (process.env['HAWSER_LOG_LEVEL'] ?? 'info');
  const logger = logFile === null ? undefined : pino({ level, base: { worker: ctx.index } }, pino.destination({ dest: logFile, sync: true, append: true }));
  return new TrafficPlane(new PlaneRuntime(ctx.index, tables, new PlaneLog(ctx.index, logger), ctx.gate));
}
