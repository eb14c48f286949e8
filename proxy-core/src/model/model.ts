/**
 * The authoritative object model and its guard. Every mutation (of the model and of the GUID
 * tree) runs inside `write(fn)`: one synchronous writer section at a time, never nested. Callers
 * validate everything first, then call the infallible mutators below; if a mutator throws anyway
 * (a bug), the section's undo log puts everything back and no record is published, so a failed
 * command leaves nothing reserved. At the end of the section its change records are published
 * on the bus in one batch.
 *
 * Readers run on the same thread between writer sections, so they never see a half-inserted
 * object: that is the read side of the guard. Workers see the model only through records.
 */
import { ProxyCoreError } from '../errors.ts';
import type { PxyErrorCode } from '../errors.ts';
import type { GuidOwner } from '../guid/tree.ts';
import { GuidTree } from '../guid/tree.ts';
import { F, SharedCounters } from '../stats/counters.ts';
import { ChangeBus } from './change-bus.ts';
import type { AnyChange, ChangeRecord, ExternalChange } from './change-record.ts';
import { Graveyard } from './graveyard.ts';
import { IdAllocator } from './id-allocator.ts';
import { backendAddBody, frontendAddBody, serverAddBody, serverUpdateBody, snapshotRecords } from './plane-records.ts';
import type { DefaultsSection, Listener, Proxy, ProxySettings } from './proxy.ts';
import type { ServerSettings } from './server.ts';
import { Server } from './server.ts';

interface Tx {
  /** Fresh for each section: the published batch may outlive it (a batch waiting for ring room). */
  records: AnyChange[];
  readonly undo: (() => void)[];
  readonly deleted: Server[];
  /** Counter slots of removed proxies: freed once every worker acked the removal. */
  readonly retired: number[];
}

/** What a runtime command or a check result may change on a server. */
export interface ServerPatch {
  readonly admin?: number;
  readonly op?: number;
  readonly uweight?: number;
  readonly checkState?: number;
  readonly checkHealth?: number;
  readonly agentState?: number;
}

export interface ModelOptions {
  /** Milliseconds; injectable for tests. */
  readonly clock?: () => number;
  /** The traffic counters shared with the workers (one block per worker); default: 1 worker. */
  readonly counters?: SharedCounters;
}

export class Model {
  readonly guids = new GuidTree();
  readonly bus = new ChangeBus();
  readonly counters: SharedCounters;
  readonly defaults = new Map<string, DefaultsSection>();
  /** Deleted servers and removed proxies' counter slots, until every worker is done with them. */
  readonly graveyard: Graveyard;
  /** Refused runtime commands by error code (observability only; never read by commands). */
  readonly refusals = new Map<PxyErrorCode, number>();
  readonly #proxies = new Set<Proxy>();
  readonly #backends = new Map<string, Proxy>();
  readonly #frontends = new Map<string, Proxy>();
  readonly #byUuid = new Map<number, Proxy>();
  readonly #serversByKey = new Map<number, Server>();
  readonly #proxyIds = new IdAllocator(0x7fffffff);
  readonly #clock: () => number;
  #nextKey = 1;
  #tx: Tx | null = null;
  readonly #spareTx: Tx = { records: [], undo: [], deleted: [], retired: [] };
  /**
   * Waits until no traffic worker is in the middle of choosing a server (workers/pool.ts
   * `quiesce`), so that the counters read next include every pick that could miss the changes
   * published so far. Set by the process edge that starts the workers; nothing to wait for without.
   */
  settleWorkers: () => void = () => undefined;

  constructor(opts: ModelOptions = {}) {
    this.#clock = opts.clock ?? Date.now;
    this.counters = opts.counters ?? new SharedCounters(1);
    this.graveyard = new Graveyard(this.counters);
  }

  /** Deleted servers not yet destroyed (a worker may still hold a connection to them). */
  get zombies(): ReadonlySet<Server> {
    return this.graveyard.zombies;
  }

  /**
   * Connections the workers still hold on a server: open (pooled included) plus requests in
   * flight, summed over every worker's block of its counter slot, once no worker is mid-pick.
   */
  attachedConnections(s: Server): number {
    if (s.slot < 0) return 0;
    this.settleWorkers();
    return this.#connections(s);
  }

  /** Idle pooled connections the workers hold to the server with this key (0 if none or unknown). */
  pooledConnections(key: number): number {
    const s = this.#serversByKey.get(key);
    return s === undefined || s.slot < 0 ? 0 : this.counters.sum(s.slot, F.CONN_IDLE);
  }

  #connections(s: Server): number {
    return this.counters.sum(s.slot, F.CONN_CUR) + this.counters.sum(s.slot, F.REQ_CUR);
  }

  nowSec(): number {
    return Math.floor(this.#clock() / 1000);
  }

  // ---- read side ------------------------------------------------------------------------------

  /** A proxy with the backend capability, by name or `#<uuid>`. */
  backend(ref: string): Proxy | undefined {
    if (ref.startsWith('#')) {
      const p = this.#byUuid.get(Number(ref.slice(1)));
      return p !== undefined && p.isBackend ? p : undefined;
    }
    return this.#backends.get(ref);
  }

  frontend(name: string): Proxy | undefined {
    return this.#frontends.get(name);
  }

  /** Any proxy of that name (a frontend and a backend may share one, as in HAProxy). */
  proxyNamed(name: string): Proxy | undefined {
    return this.#backends.get(name) ?? this.#frontends.get(name);
  }

  /** Every proxy in declaration order (runtime-added backends last). */
  proxies(): IterableIterator<Proxy> {
    return this.#proxies.values();
  }

  /** A live (listed) server by its process-unique key, as the workers name it. */
  serverByKey(key: number): Server | undefined {
    return this.#serversByKey.get(key);
  }

  byGuid(key: string): GuidOwner | undefined {
    return this.guids.lookup(key);
  }

  /** Live servers (memory/reclaimer.ts watches it). */
  get serverCount(): number {
    return this.#serversByKey.size;
  }

  get zombieCount(): number {
    return this.zombies.size;
  }

  /** Sequence number of the last published change. */
  get changeSeq(): number {
    return this.bus.seq;
  }

  get writing(): boolean {
    return this.#tx !== null;
  }

  // ---- the writer section ---------------------------------------------------------------------

  write<T>(fn: () => T): T {
    if (this.#tx !== null) throw new ProxyCoreError('PXY_ERR_WRITER', 'writer sections cannot nest');
    // Sections never overlap, so one Tx serves them all: its undo and bookkeeping lists are
    // emptied after each section instead of four arrays allocated per runtime command.
    const tx = this.#spareTx;
    tx.records = [];
    this.#tx = tx;
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise) throw new ProxyCoreError('PXY_ERR_WRITER', 'a writer section must be synchronous');
    } catch (err) {
      for (let i = tx.undo.length - 1; i >= 0; i--) (tx.undo[i] as () => void)();
      this.#clearTx(tx);
      throw err;
    }
    // The batch's last seq, known before publishing: the Tx is emptied first, so whatever a
    // subscriber does during publication finds it free.
    const records = tx.records;
    const seq = this.bus.seq + records.length;
    for (const s of tx.deleted) s.deletedSeq = seq;
    for (const slot of tx.retired) this.graveyard.retire(slot, seq);
    this.#clearTx(tx);
    this.bus.publish(records);
    return result;
  }

  #clearTx(tx: Tx): void {
    this.#tx = null;
    // `length = 0` is a runtime call even on an empty array: most sections leave two of these empty
    if (tx.undo.length !== 0) tx.undo.length = 0;
    if (tx.deleted.length !== 0) tx.deleted.length = 0;
    if (tx.retired.length !== 0) tx.retired.length = 0;
  }

  /** Null when every change so far is visible in every worker, else a promise for it. */
  whenVisible(): Promise<void> | null {
    return this.bus.whenVisible();
  }

  #open(): Tx {
    const tx = this.#tx;
    if (tx === null) throw new ProxyCoreError('PXY_ERR_WRITER', 'model mutation outside the writer section');
    return tx;
  }

  // ---- mutators (infallible: callers validate first) -----------------------------------------

  /** Precondition: name free for that capability; `uuid` (if forced) free. */
  addProxy(p: Proxy, forcedUuid: number | null = null): void {
    const tx = this.#open();
    if (forcedUuid !== null) {
      this.#proxyIds.take(forcedUuid);
      p.uuid = forcedUuid;
      p.forcedId = true;
    } else {
      p.uuid = this.#proxyIds.allocate();
    }
    this.#proxies.add(p);
    this.#byUuid.set(p.uuid, p);
    if (p.isBackend) this.#backends.set(p.name, p);
    if (p.isFrontend) this.#frontends.set(p.name, p);
    if (p.isFrontend) p.feSlot = this.counters.alloc();
    if (p.isBackend) p.beSlot = this.counters.alloc();
    tx.undo.push(() => {
      this.#detachProxy(p);
      this.#releaseProxySlots(p);
    });
    // Frontends are announced by `publishFrontend` once their listeners are attached.
    if (p.isBackend) tx.records.push(backendAddBody(p));
  }

  /** Announces a frontend (with its listeners) to the workers. */
  publishFrontend(p: Proxy): void {
    this.#open().records.push(frontendAddBody(p));
  }

  #releaseProxySlots(p: Proxy): void {
    if (p.feSlot >= 0) this.counters.release(p.feSlot);
    if (p.beSlot >= 0) this.counters.release(p.beSlot);
    p.feSlot = -1;
    p.beSlot = -1;
  }

  /** Precondition: a backend-only proxy without servers. Releases its GUID. */
  removeProxy(p: Proxy): void {
    const tx = this.#open();
    const { guid, feSlot, beSlot } = p;
    this.#detachProxy(p);
    this.guids.remove(p);
    tx.undo.push(() => {
      p.feSlot = feSlot;
      p.beSlot = beSlot;
      this.#proxies.add(p);
      this.#byUuid.set(p.uuid, p);
      this.#proxyIds.take(p.uuid);
      if (p.isBackend) this.#backends.set(p.name, p);
      if (p.isFrontend) this.#frontends.set(p.name, p);
      if (guid !== null) this.guids.insert(p, guid);
    });
    tx.records.push({ kind: 'backend.del', name: p.name });
    for (const slot of [p.feSlot, p.beSlot]) if (slot >= 0) tx.retired.push(slot);
    p.feSlot = -1;
    p.beSlot = -1;
  }

  #detachProxy(p: Proxy): void {
    this.#proxies.delete(p);
    this.#byUuid.delete(p.uuid);
    this.#proxyIds.release(p.uuid);
    if (this.#backends.get(p.name) === p) this.#backends.delete(p.name);
    if (this.#frontends.get(p.name) === p) this.#frontends.delete(p.name);
  }

  addListener(l: Listener): void {
    const tx = this.#open();
    l.frontend.listeners.push(l);
    tx.undo.push(() => {
      const i = l.frontend.listeners.indexOf(l);
      if (i >= 0) l.frontend.listeners.splice(i, 1);
    });
  }

  /** Precondition: `guids.check(key, owner) === null`. */
  insertGuid(owner: GuidOwner, key: string): void {
    const tx = this.#open();
    const err = this.guids.insert(owner, key);
    if (err !== null) throw new ProxyCoreError('PXY_ERR_GUID_DUPLICATE', `unvalidated GUID insert: ${err}`);
    tx.undo.push(() => this.guids.remove(owner));
  }

  /**
   * Preconditions: the name is free in `be`; `s.id` (if any) is free; an ID is left;
   * `s.guid` (if any) passes `guids.check`.
   */
  addServer(be: Proxy, name: string, s: ServerSettings, dynamic: boolean): Server {
    const tx = this.#open();
    const srv = new Server(name, be, this.#nextKey++, s, dynamic, this.nowSec());
    if (s.id !== null) be.serverIds.take(s.id);
    const puid = s.id ?? be.serverIds.allocate();
    if (puid === 0) throw new ProxyCoreError('PXY_ERR_NO_ID_LEFT', 'unvalidated server add: no id left');
    srv.puid = puid;
    srv.rid = be.deletions;
    srv.slot = this.counters.alloc();
    be.servers.set(name, srv);
    be.serversById.set(puid, srv);
    this.#serversByKey.set(srv.key, srv);
    tx.undo.push(() => {
      this.#serversByKey.delete(srv.key);
      be.servers.delete(name);
      be.serversById.delete(puid);
      be.serverIds.release(puid);
      this.counters.release(srv.slot);
      srv.slot = -1;
    });
    if (s.guid !== null) this.insertGuid(srv, s.guid);
    tx.records.push(serverAddBody(srv));
    return srv;
  }

  /**
   * Detaches a server: its name, ID and GUID are free again at once (HAProxy frees the GUID when
   * the last reference goes, which in practice is at once: the next command may reuse it). Its
   * counter slot stays reserved until `reap()` destroys it: every worker applied the deletion and
   * no connection is attached any more. Precondition: the server is live (not deleted).
   */
  deleteServer(srv: Server): void {
    const tx = this.#open();
    const be = srv.backend;
    be.servers.delete(srv.name);
    be.serversById.delete(srv.puid);
    this.#serversByKey.delete(srv.key);
    be.serverIds.release(srv.puid);
    be.deletions++;
    srv.deleted = true;
    const guid = srv.guid;
    this.guids.remove(srv);
    this.graveyard.zombies.add(srv);
    tx.deleted.push(srv);
    tx.undo.push(() => {
      if (guid !== null) this.guids.insert(srv, guid);
      // Undo restores membership; the server moves to the end of the list.
      this.#serversByKey.set(srv.key, srv);
      be.servers.set(srv.name, srv);
      be.serversById.set(srv.puid, srv);
      be.serverIds.take(srv.puid);
      be.deletions--;
      srv.deleted = false;
      this.graveyard.zombies.delete(srv);
    });
    tx.records.push({ seq: 0, kind: 'server.del', key: srv.key });
  }

  /** Changes admin/op state, weight or check state; `lastChange` follows admin/op changes. */
  updateServer(srv: Server, patch: ServerPatch): void {
    const tx = this.#open();
    const { admin, op, uweight, checkState, checkHealth, agentState, lastChange } = srv;
    if (patch.admin !== undefined) srv.admin = patch.admin;
    if (patch.op !== undefined) srv.op = patch.op;
    if (patch.uweight !== undefined) srv.uweight = patch.uweight;
    if (patch.checkState !== undefined) srv.checkState = patch.checkState;
    if (patch.checkHealth !== undefined) srv.checkHealth = patch.checkHealth;
    if (patch.agentState !== undefined) srv.agentState = patch.agentState;
    if (srv.admin !== admin || srv.op !== op) srv.lastChange = this.nowSec();
    tx.undo.push(() => {
      srv.admin = admin;
      srv.op = op;
      srv.uweight = uweight;
      srv.checkState = checkState;
      srv.checkHealth = checkHealth;
      srv.agentState = agentState;
      srv.lastChange = lastChange;
    });
    tx.records.push(serverUpdateBody(srv));
  }

  /**
   * Publishes another room's record (route maps, certificates) in this section's seq order.
   * Precondition: `change` is plain structured-cloneable data; that room undoes its own state.
   */
  emit(change: ExternalChange): void {
    // Copied: the bus stamps `seq` into the record in place.
    this.#open().records.push({ ...change });
  }

  /** Replaces a backend's settings (`set backend`); the workers get them as `backend.update`. */
  updateBackendSettings(be: Proxy, settings: ProxySettings): void {
    const tx = this.#open();
    const before = be.settings;
    be.settings = settings;
    tx.undo.push(() => { be.settings = before; });
    tx.records.push(backendAddBody(be, 'backend.update'));
  }

  /** The interval of a server's active checks (read by the writer's checker only). */
  setCheckInterval(srv: Server, ms: number): void {
    const tx = this.#open();
    const before = srv.inter;
    srv.inter = ms;
    tx.undo.push(() => { srv.inter = before; });
  }

  setPublished(be: Proxy, published: boolean): void {
    const tx = this.#open();
    const before = be.published;
    be.published = published;
    tx.undo.push(() => { be.published = before; });
    tx.records.push(backendAddBody(be, 'backend.update'));
  }

  /**
   * Destroys deleted servers whose deletion every worker has applied and whose counters are 0,
   * and releases their counter slots (and retired backends' slots). Called after `del server`
   * and periodically by the process edge. Returns how many were destroyed: at most `limit`, so
   * that a pass after a mass deletion can be cut into slices that let commands run in between.
   */
  reap(limit = Infinity): number {
    if (this.graveyard.empty) return 0;
    return this.graveyard.reap(this.bus.appliedSeq, limit, (srv) => this.#connections(srv), () => this.settleWorkers());
  }

  /**
   * The whole current state as records for a worker that (re)starts: `reset` first, then every
   * frontend, backend and server; every record carries the current seq, so the worker's ack of
   * the last one says it is up to date.
   */
  snapshot(): ChangeRecord[] {
    return snapshotRecords(this.#proxies, this.bus.seq);
  }
}
