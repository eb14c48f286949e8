/**
 * A worker's copy of the state: frontends, backends, servers and route maps, as the records made
 * them. Everything a request needs is precomputed here at change time (counter bases, resolved
 * objects, balancer state), so the request path only follows references.
 */
import type { PlaneCounters } from './plane-counters.ts';
import type { PlaneBalancer } from './balancer.ts';
import type {
  Balance, BackendTimeouts, Bind, ForwardedMode, FrontendTimeouts, ProxyMode, ServerAdmin, ServerHealth,
} from './records.ts';
import type { RouteMapSlot } from './route-maps.ts';
import { NO_CONNS, NO_IDLE, type UpstreamConn } from './upstream.ts';

export interface FrontendEntry {
  readonly name: string;
  guid: string | null;
  mode: ProxyMode;
  binds: readonly Bind[];
  /** The route map this frontend reads, resolved once; null for none. */
  routes: RouteMapSlot | null;
  defaultBackend: string | null;
  timeouts: FrontendTimeouts;
  forwarded: ForwardedMode;
  accessLog: boolean;
  /** Base index of this frontend's counter block (`PlaneCounters.base(slot)`). */
  base: number;
  /** False once deleted: connections still open finish their request and close. */
  live: boolean;
}

export interface BackendEntry {
  readonly name: string;
  guid: string | null;
  mode: ProxyMode;
  balance: Balance;
  timeouts: BackendTimeouts;
  retries: number;
  redispatch: boolean;
  poolMaxIdle: number;
  base: number;
  /** Servers in the order they were added. */
  readonly servers: ServerEntry[];
  balancer: PlaneBalancer;
  live: boolean;
  /** Switching rules may choose it (records.ts `BackendAddRecord.published`). */
  published: boolean;
}

/** A server as the worker holds it; also the `ServerView` its backend's balancer reads. */
export type ServerEntry = PlaneServer;

export interface Tables {
  readonly counters: PlaneCounters;
  readonly frontends: Map<string, FrontendEntry>;
  readonly backends: Map<string, BackendEntry>;
  readonly servers: Map<number, ServerEntry>;
}

/**
 * A record's `admin` as this module's constant. Strings arrive as fresh copies (records are
 * structured-cloned to each worker), so storing them as they come costs a string per server per
 * worker per change; the constants are shared.
 */
export function internAdmin(a: ServerAdmin): ServerAdmin {
  switch (a) {
    case 'ready': return 'ready';
    case 'drain': return 'drain';
    case 'maint': return 'maint';
    default: return a;
  }
}

/** A record's `health` as this module's constant (see `internAdmin`). */
export function internHealth(h: ServerHealth): ServerHealth {
  return h === 'up' ? 'up' : h === 'down' ? 'down' : h;
}

const USABLE = 1;
const FAILING = 2;
const LIVE = 4;

/**
 * The worker's server object (`ServerEntry`), compact: one per server per worker, so every field
 * counts. `id` and `connections` are derived, not stored; the three flags share one integer.
 * Starts live, not usable (until its backend's balancer is rebuilt), without connections.
 */
export class PlaneServer {
  readonly key: number;
  readonly name: string;
  readonly guid: string | null;
  readonly backend: BackendEntry;
  host: string;
  port: number;
  weight: number;
  admin: ServerAdmin;
  health: ServerHealth;
  maxconn: number;
  base: number;
  /** Requests in flight in this worker (maxconn, leastconn); changed only by the balancer's onStart/onEnd. */
  active = 0;
  /**
   * LIFO stack of idle keep-alive connections. Shared empty sentinel while there are none
   * (upstream.ts swaps a real array in and out): most servers of a large table have no pooled
   * connection, and an empty array per server per worker is memory for nothing.
   */
  idle: readonly UpstreamConn[] = NO_IDLE;
  /**
   * Every open upstream connection of this server in this worker (pooled ones included); the
   * shared empty sentinel while there are none (an empty Set costs about 370 bytes).
   */
  conns: ReadonlySet<UpstreamConn> = NO_CONNS;
  /** `usable` (ServerView field, refreshed by `PlaneBalancer.rebuild`), `failing` (this worker
   * reported a failed connect and has not seen a success since) and `live`, in one integer. */
  #flags = LIVE;

  constructor(key: number, name: string, guid: string | null, backend: BackendEntry, host: string, port: number) {
    this.key = key;
    this.name = name;
    this.guid = guid;
    this.backend = backend;
    this.host = host;
    this.port = port;
    this.weight = 0;
    this.admin = 'maint';
    this.health = 'down';
    this.maxconn = 0;
    this.base = 0;
  }

  /** The balancer's identity: the GUID, else the key (a number: no string per server). */
  get id(): string | number {
    return this.guid ?? this.key;
  }

  /** ServerView field: `active`. */
  get connections(): number {
    return this.active;
  }

  get usable(): boolean {
    return (this.#flags & USABLE) !== 0;
  }

  set usable(v: boolean) {
    this.#flags = v ? this.#flags | USABLE : this.#flags & ~USABLE;
  }

  get failing(): boolean {
    return (this.#flags & FAILING) !== 0;
  }

  set failing(v: boolean) {
    this.#flags = v ? this.#flags | FAILING : this.#flags & ~FAILING;
  }

  get live(): boolean {
    return (this.#flags & LIVE) !== 0;
  }

  set live(v: boolean) {
    this.#flags = v ? this.#flags | LIVE : this.#flags & ~LIVE;
  }
}
