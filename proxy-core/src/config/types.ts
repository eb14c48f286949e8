/** The typed result of parsing a configuration file. Plain data; the model is built from it. */
import type { Level } from '../runtime/command.ts';
import type { ProxyCap, ProxySettings } from '../model/proxy.ts';
import type { ServerSettings } from '../model/server.ts';

export interface StatsSocketConfig {
  readonly path: string;
  /** Unix permission bits, e.g. 0o600; null keeps the process umask. */
  readonly mode: number | null;
  readonly level: Level;
  readonly line: number;
}

export interface GlobalConfig {
  readonly statsSockets: StatsSocketConfig[];
  nbthread: number | null;
  hardStopAfter: number | null;
  maxconn: number | null;
  /** `stats timeout <time>` in ms: idle runtime connections are closed after it; null: 10 s. */
  statsTimeout: number | null;
  /** `stats busy-poll <time>` in microseconds; null: the default (runtime/busy-poll.ts). */
  statsBusyPollUs: number | null;
}

export interface BindAddress {
  readonly host: string;
  readonly port: number;
}

export interface BindConfig {
  readonly addresses: readonly BindAddress[];
  readonly guidPrefix: string | null;
  readonly ssl: boolean;
  readonly crt: string | null;
  readonly crtList: string | null;
  readonly line: number;
}

export interface ServerConfig {
  readonly name: string;
  readonly settings: ServerSettings;
  readonly line: number;
}

export interface ProxyConfig {
  readonly cap: ProxyCap;
  readonly name: string;
  readonly line: number;
  readonly settings: ProxySettings;
  guid: string | null;
  readonly binds: BindConfig[];
  readonly servers: ServerConfig[];
  defaultBackend: string | null;
  defaultBackendLine: number;
  routeMap: string | null;
}

export interface DefaultsConfig {
  readonly name: string;
  readonly line: number;
  readonly settings: ProxySettings;
}

export interface ParsedConfig {
  readonly file: string;
  readonly global: GlobalConfig;
  readonly defaults: readonly DefaultsConfig[];
  readonly proxies: readonly ProxyConfig[];
  /** Listener GUIDs generated from `guid-prefix`, per proxy index then bind index. */
  readonly listenerGuids: ReadonlyMap<BindConfig, readonly string[]>;
}

export type ParseResult =
  | { readonly ok: true; readonly config: ParsedConfig; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[]; readonly warnings: readonly string[] };
