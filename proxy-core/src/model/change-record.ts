/**
 * Change records: what the writer tells every worker, in `seq` order. Plain, structured-cloneable
 * data (no object references), so a record crosses `postMessage` unchanged. Servers are named
 * by `key` (never reused), backends by `uuid` (unique while the backend lives).
 */
import type { Balance, HttpCheck, ProxyMode, TimeoutName } from './proxy.ts';

export interface ServerSnapshot {
  readonly key: number;
  readonly backend: number;
  readonly name: string;
  readonly puid: number;
  readonly host: string;
  readonly port: number;
  readonly admin: number;
  readonly op: number;
  readonly uweight: number;
  readonly iweight: number;
  readonly checkState: number;
  readonly checkHealth: number;
  readonly rise: number;
  readonly fall: number;
  readonly inter: number;
  readonly maxconn: number;
  readonly backup: boolean;
  readonly proto: string | null;
  /** Slot of the server's counters in the shared connection buffer. */
  readonly slot: number;
}

export interface BackendSnapshot {
  readonly uuid: number;
  readonly name: string;
  readonly mode: ProxyMode;
  readonly balance: Balance;
  readonly published: boolean;
  readonly timeouts: Partial<Record<TimeoutName, number>>;
  readonly httpchk: HttpCheck | null;
  readonly retries: number;
  readonly redispatch: boolean;
}

export interface ServerState {
  readonly key: number;
  readonly admin: number;
  readonly op: number;
  readonly uweight: number;
  readonly checkState: number;
  readonly checkHealth: number;
  readonly agentState: number;
}

export type ChangeBody =
  | { readonly kind: 'backend-add'; readonly backend: BackendSnapshot }
  | { readonly kind: 'backend-del'; readonly uuid: number }
  | { readonly kind: 'backend-publish'; readonly uuid: number; readonly published: boolean }
  | { readonly kind: 'server-add'; readonly server: ServerSnapshot }
  | { readonly kind: 'server-del'; readonly key: number; readonly backend: number }
  | ({ readonly kind: 'server-state' } & ServerState);

/**
 * A record from another room that shares the writer section and the seq order (route maps,
 * certificates): any plain, structured-cloneable object with a `kind` of its own.
 */
export interface ExternalChange {
  readonly kind: string;
  readonly [field: string]: unknown;
}

export type AnyChange = ChangeBody | ExternalChange;

export type ChangeRecord = AnyChange & { readonly seq: number };
