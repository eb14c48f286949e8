/**
 * Proxies (HAProxy's `struct proxy`): a `frontend`, a `backend`, or a `listen` section that is
 * both. Listeners belong to the frontend side; servers to the backend side. Servers are kept in
 * a Map (insertion order = HAProxy's list order, O(1) delete) plus an ID index and an ID
 * allocator, so no runtime command ever walks a backend's server list.
 */
import type { GuidOwner } from '../guid/tree.ts';
import { IdAllocator } from './id-allocator.ts';
import type { Server } from './server.ts';

export type ProxyCap = 'frontend' | 'backend' | 'listen';
export type ProxyMode = 'http' | 'tcp';
export type BalanceAlgo = 'roundrobin' | 'static-rr' | 'leastconn' | 'first' | 'random' | 'source' | 'hdr';
export type TimeoutName = 'connect' | 'client' | 'server' | 'http-request' | 'http-keep-alive' | 'tunnel' | 'check';
export const TIMEOUT_NAMES: readonly TimeoutName[] = ['connect', 'client', 'server', 'http-request', 'http-keep-alive', 'tunnel', 'check'];

export interface Balance {
  readonly algo: BalanceAlgo;
  readonly hashType: 'map-based' | 'consistent';
  /** The header name of `hdr(<name>)`, else null. */
  readonly hdrName: string | null;
  /** Draws of `random(<draws>)`; absent for other algorithms, and 2 (HAProxy's default) when absent. */
  readonly draws?: number;
}

export const DEFAULT_BALANCE: Balance = { algo: 'roundrobin', hashType: 'map-based', hdrName: null };

/**
 * HAProxy's BE_LB_PROP_DYN: can servers (and weights) change at run time? Hash algorithms only
 * with `hash-type consistent`; static-rr never.
 */
export function balanceIsDynamic(b: Balance): boolean {
  switch (b.algo) {
    case 'static-rr': return false;
    case 'source':
    case 'hdr': return b.hashType === 'consistent';
    default: return true;
  }
}

export interface HttpCheck {
  readonly method: string;
  readonly uri: string;
}

/** What `defaults` sections carry and proxies inherit. */
export interface ProxySettings {
  mode: ProxyMode;
  /** Whether `mode` was written in the section (`add backend … from` requires one somewhere). */
  explicitMode: boolean;
  balance: Balance;
  timeouts: Partial<Record<TimeoutName, number>>;
  httpchk: HttpCheck | null;
  redispatch: boolean;
  retries: number;
  /** X-Forwarded-* handling on the frontend side (`option forwardfor` = append, the default). */
  forwarded: 'append' | 'replace' | 'off';
  /** Access log lines (`option httplog` / `option tcplog`). */
  accessLog: boolean;
  /** `default_backend` written in a defaults section, inherited by frontends. */
  defaultBackend: string | null;
}

export function defaultProxySettings(): ProxySettings {
  return {
    mode: 'tcp', explicitMode: false, balance: DEFAULT_BALANCE, timeouts: {}, httpchk: null, redispatch: false, retries: 3,
    forwarded: 'append', accessLog: false, defaultBackend: null,
  };
}

export function copyProxySettings(s: ProxySettings): ProxySettings {
  return { ...s, timeouts: { ...s.timeouts } };
}

export interface DefaultsSection {
  /** Empty for an anonymous `defaults`. */
  readonly name: string;
  readonly settings: ProxySettings;
}

export interface BindSsl {
  readonly crt: string | null;
  readonly crtList: string | null;
}

export class Listener implements GuidOwner {
  readonly frontend: Proxy;
  readonly host: string;
  readonly port: number;
  readonly file: string;
  readonly line: number;
  /** ID of this listener in its frontend (`iid`/`sid` in stats), from 1. */
  readonly luid: number;
  readonly ssl: BindSsl | null;
  guid: string | null = null;

  constructor(frontend: Proxy, host: string, port: number, file: string, line: number, luid: number, ssl: BindSsl | null) {
    this.frontend = frontend;
    this.host = host;
    this.port = port;
    this.file = file;
    this.line = line;
    this.luid = luid;
    this.ssl = ssl;
  }

  get guidName(): string {
    return `listener ${this.frontend.name} (${this.file}:${this.line})`;
  }
}

export class Proxy implements GuidOwner {
  readonly name: string;
  readonly cap: ProxyCap;
  uuid = 0;
  forcedId = false;
  settings: ProxySettings;
  guid: string | null = null;
  /** Frontend side. */
  readonly listeners: Listener[] = [];
  defaultBackend: string | null = null;
  routeMap: string | null = null;
  /** Backend side: servers by name, in list order. */
  readonly servers = new Map<string, Server>();
  readonly serversById = new Map<number, Server>();
  readonly serverIds = new IdAllocator();
  /** Incremented by every server deletion, so reused IDs can be told apart (`srid`). */
  deletions = 0;
  /** Backends created by `add backend` start unpublished; traffic is not routed to them. */
  published = true;
  /** Created at run time (`add backend`). */
  dynamic = false;
  disabled = false;
  /** Named by another element (e.g. a frontend's default_backend): cannot be deleted. */
  referenced = false;
  /** Counter slots (stats/counters.ts) of the frontend and backend sides, -1 when absent. */
  feSlot = -1;
  beSlot = -1;
  /** Where the section starts, for messages. */
  file = '';
  line = 0;

  constructor(name: string, cap: ProxyCap, settings: ProxySettings) {
    this.name = name;
    this.cap = cap;
    this.settings = settings;
  }

  get isBackend(): boolean {
    return this.cap !== 'frontend';
  }

  get isFrontend(): boolean {
    return this.cap !== 'backend';
  }

  /** `proxy_cap_str`: a listen section is a `proxy`. */
  get capName(): string {
    return this.cap === 'listen' ? 'proxy' : this.cap;
  }

  get guidName(): string {
    return `${this.capName} ${this.name}`;
  }
}
