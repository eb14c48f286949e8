/**
 * A server: HAProxy's `struct server`, reduced to what the runtime API and the data plane need.
 * One class with every field set in the constructor, so V8 keeps one compact shape for all
 * servers (the benchmark's 100 000 servers cost a few hundred bytes each).
 */
import type { GuidOwner } from '../guid/tree.ts';
import type { Proxy } from './proxy.ts';

// Admin flags (`srv_admin`), values as printed by `show servers state`.
export const ADMF_FMAINT = 0x01;
export const ADMF_IMAINT = 0x02;
export const ADMF_CMAINT = 0x04;
export const ADMF_FDRAIN = 0x08;
export const ADMF_IDRAIN = 0x10;
export const ADMF_RMAINT = 0x20;
/** Any maintenance flag except CMAINT: the `del server` precondition. */
export const ADMF_MAINT = ADMF_FMAINT | ADMF_IMAINT | ADMF_RMAINT;
export const ADMF_DRAIN = ADMF_FDRAIN | ADMF_IDRAIN;

// Operational states (`srv_state`).
export const SRV_ST_STOPPED = 0;
export const SRV_ST_STARTING = 1;
export const SRV_ST_RUNNING = 2;
export const SRV_ST_STOPPING = 3;

// Check states (`check.state & 0x0f`).
export const CHK_ST_INPROGRESS = 0x01;
export const CHK_ST_CONFIGURED = 0x02;
export const CHK_ST_ENABLED = 0x04;
export const CHK_ST_PAUSED = 0x08;

/** The part of a server's settings that `server` lines and `add server` share. */
export interface ServerSettings {
  host: string;
  port: number;
  /** 4 or 6 for an IP literal, 0 for a name (printed `-` in `show servers state`). */
  family: 0 | 4 | 6;
  weight: number;
  check: boolean;
  /** Milliseconds. */
  inter: number;
  rise: number;
  fall: number;
  disabled: boolean;
  guid: string | null;
  id: number | null;
  maxconn: number;
  backup: boolean;
  proto: string | null;
}

export function defaultServerSettings(): ServerSettings {
  return {
    host: '', port: 0, family: 0, weight: 1, check: false, inter: 2000, rise: 2, fall: 3,
    disabled: false, guid: null, id: null, maxconn: 0, backup: false, proto: null,
  };
}

export class Server implements GuidOwner {
  name: string;
  readonly backend: Proxy;
  /** Unique for the life of the process, never reused: the key workers index servers by. */
  readonly key: number;
  puid = 0;
  /** The backend's deletion counter when the server was added (exported as `srid`). */
  rid = 0;
  forcedId: boolean;
  host: string;
  port: number;
  family: 0 | 4 | 6;
  admin: number;
  op: number;
  uweight: number;
  iweight: number;
  checkState: number;
  checkHealth: number;
  agentState = 0;
  rise: number;
  fall: number;
  inter: number;
  maxconn: number;
  backup: boolean;
  proto: string | null;
  dynamic: boolean;
  guid: string | null = null;
  /** Seconds (model clock) of the last admin/op change. */
  lastChange: number;
  /** This server's slot in the shared traffic counters (stats/counters.ts), -1 when none. */
  slot = -1;
  /** Configuration line of a static server (0 for servers added at run time). */
  line = 0;
  /** Set by use-server/track/sample references: such a server can never be deleted. */
  referenced = false;
  /** Detached from its backend by `del server`, waiting for final destruction. */
  deleted = false;
  /** Change-record sequence of the deletion; destruction waits until every worker acked it. */
  deletedSeq = 0;

  constructor(name: string, backend: Proxy, key: number, s: ServerSettings, dynamic: boolean, nowSec: number) {
    this.name = name;
    this.backend = backend;
    this.key = key;
    this.forcedId = s.id !== null;
    this.host = s.host;
    this.port = s.port;
    this.family = s.family;
    this.uweight = s.weight;
    this.iweight = s.weight;
    this.rise = s.rise;
    this.fall = s.fall;
    this.inter = s.inter;
    this.maxconn = s.maxconn;
    this.backup = s.backup;
    this.proto = s.proto;
    this.dynamic = dynamic;
    this.lastChange = nowSec;
    let check = s.check ? CHK_ST_CONFIGURED : 0;
    if (s.disabled) check |= CHK_ST_PAUSED;
    if (dynamic) {
      // HAProxy's srv_postinit assigns FMAINT (dropping `disabled`'s CMAINT) and leaves checks
      // configured but disabled until `enable health`.
      this.admin = ADMF_FMAINT;
      this.op = SRV_ST_STOPPED;
      this.checkHealth = 0;
    } else {
      if (s.check) check |= CHK_ST_ENABLED;
      this.admin = s.disabled ? ADMF_FMAINT | ADMF_CMAINT : 0;
      this.op = s.disabled ? SRV_ST_STOPPED : SRV_ST_RUNNING;
      // Servers are considered up at start-up and checked right away (HAProxy: health = rise).
      this.checkHealth = s.check ? s.rise : 0;
    }
    if (s.disabled) this.agentState = CHK_ST_PAUSED;
    this.checkState = check;
  }

  get guidName(): string {
    return `server ${this.backend.name}/${this.name}`;
  }

  get inMaint(): boolean {
    return (this.admin & ADMF_MAINT) !== 0;
  }

  /** Usable by the load balancer: running, not in maintenance nor drain, weight > 0. */
  get usable(): boolean {
    return (this.op === SRV_ST_RUNNING || this.op === SRV_ST_STARTING) &&
      (this.admin & (ADMF_MAINT | ADMF_DRAIN)) === 0 && this.uweight > 0;
  }
}
