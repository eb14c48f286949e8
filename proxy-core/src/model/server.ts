/**
 * A server: HAProxy's `struct server`, reduced to what the runtime API and the data plane need.
 * One class with every field set in the constructor, so V8 keeps one compact shape for all
 * servers, and the small fields packed into one integer behind accessors (docs/runtime-api.md,
 * Memory: the writer's share of a server is about 200 bytes of this object).
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

// Server#bits: the small fields of a server packed into one small integer (a server costs one
// 8-byte field instead of ten; the writer holds one Server per server of every backend).
const B_FORCED_ID = 1 << 0;
const B_BACKUP = 1 << 1;
const B_DYNAMIC = 1 << 2;
const B_REFERENCED = 1 << 3;
const B_DELETED = 1 << 4;
const FAMILY_SHIFT = 5; // 2 bits: 0, 4, 6 stored as 0, 1, 2
const ADMIN_SHIFT = 7; // 8 bits (ADMF_*)
const OP_SHIFT = 15; // 2 bits (SRV_ST_*)
const CHECK_SHIFT = 17; // 4 bits (CHK_ST_*)
const AGENT_SHIFT = 21; // 4 bits (CHK_ST_*)
const FAMILIES: readonly (0 | 4 | 6)[] = [0, 4, 6];

export class Server implements GuidOwner {
  name: string;
  readonly backend: Proxy;
  /** Unique for the life of the process, never reused: the key workers index servers by. */
  readonly key: number;
  puid = 0;
  /** The backend's deletion counter when the server was added (exported as `srid`). */
  rid = 0;
  host: string;
  port: number;
  uweight: number;
  iweight: number;
  checkHealth: number;
  rise: number;
  fall: number;
  inter: number;
  maxconn: number;
  proto: string | null;
  guid: string | null = null;
  /** Seconds (model clock) of the last admin/op change. */
  lastChange: number;
  /** This server's slot in the shared traffic counters (stats/counters.ts), -1 when none. */
  slot = -1;
  /** Configuration line of a static server (0 for servers added at run time). */
  line = 0;
  /** Change-record sequence of the deletion; destruction waits until every worker acked it. */
  deletedSeq = 0;
  /** Flags and small enums, see the B_* and *_SHIFT constants; read through the accessors below. */
  #bits = 0;

  constructor(name: string, backend: Proxy, key: number, s: ServerSettings, dynamic: boolean, nowSec: number) {
    this.name = name;
    this.backend = backend;
    this.key = key;
    this.host = s.host;
    this.port = s.port;
    this.uweight = s.weight;
    this.iweight = s.weight;
    this.rise = s.rise;
    this.fall = s.fall;
    this.inter = s.inter;
    this.maxconn = s.maxconn;
    this.proto = s.proto;
    this.lastChange = nowSec;
    this.forcedId = s.id !== null;
    this.family = s.family;
    this.backup = s.backup;
    this.dynamic = dynamic;
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

  #flag(bit: number): boolean {
    return (this.#bits & bit) !== 0;
  }

  #setFlag(bit: number, on: boolean): void {
    this.#bits = on ? this.#bits | bit : this.#bits & ~bit;
  }

  #field(shift: number, mask: number): number {
    return (this.#bits >>> shift) & mask;
  }

  /** Precondition: `0 <= v <= mask` (every ADMF_/SRV_ST_/CHK_ST_ combination is). */
  #setField(shift: number, mask: number, v: number): void {
    this.#bits = (this.#bits & ~(mask << shift)) | ((v & mask) << shift);
  }

  get forcedId(): boolean { return this.#flag(B_FORCED_ID); }
  set forcedId(v: boolean) { this.#setFlag(B_FORCED_ID, v); }
  get backup(): boolean { return this.#flag(B_BACKUP); }
  set backup(v: boolean) { this.#setFlag(B_BACKUP, v); }
  get dynamic(): boolean { return this.#flag(B_DYNAMIC); }
  set dynamic(v: boolean) { this.#setFlag(B_DYNAMIC, v); }
  /** Set by use-server/track/sample references: such a server can never be deleted. */
  get referenced(): boolean { return this.#flag(B_REFERENCED); }
  set referenced(v: boolean) { this.#setFlag(B_REFERENCED, v); }
  /** Detached from its backend by `del server`, waiting for final destruction. */
  get deleted(): boolean { return this.#flag(B_DELETED); }
  set deleted(v: boolean) { this.#setFlag(B_DELETED, v); }
  get family(): 0 | 4 | 6 { return FAMILIES[this.#field(FAMILY_SHIFT, 0x3)] ?? 0; }
  set family(v: 0 | 4 | 6) { this.#setField(FAMILY_SHIFT, 0x3, v === 4 ? 1 : v === 6 ? 2 : 0); }
  /** Admin flags (ADMF_*). */
  get admin(): number { return this.#field(ADMIN_SHIFT, 0xff); }
  set admin(v: number) { this.#setField(ADMIN_SHIFT, 0xff, v); }
  /** Operational state (SRV_ST_*). */
  get op(): number { return this.#field(OP_SHIFT, 0x3); }
  set op(v: number) { this.#setField(OP_SHIFT, 0x3, v); }
  /** Check state (CHK_ST_*). */
  get checkState(): number { return this.#field(CHECK_SHIFT, 0xf); }
  set checkState(v: number) { this.#setField(CHECK_SHIFT, 0xf, v); }
  get agentState(): number { return this.#field(AGENT_SHIFT, 0xf); }
  set agentState(v: number) { this.#setField(AGENT_SHIFT, 0xf, v); }

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
