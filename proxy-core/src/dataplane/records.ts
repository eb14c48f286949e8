/**
 * The data plane's input contract: the change records a traffic worker applies, and the one report
 * a worker sends back. Types only; every value is plain structured-cloneable data.
 *
 * The writer derives everything. A record states the new truth of one object (full state, not a
 * delta), so applying the same record twice is harmless and a worker never has to compute state
 * from history. Workers decide nothing except passive health observations, which they report with
 * `PlaneReport`; the writer's rise/fall logic decides and publishes the result as `server.update`.
 *
 * Conventions:
 * - Durations are milliseconds; 0 means "no timeout".
 * - Objects are named as the runtime API names them: frontends and backends by name, servers by a
 *   process-unique numeric `key` that is never reused (names can be reused after `del server`).
 * - `counterSlot` is a slot allocated by the writer in `SharedCounters` (stats/counters.ts); the
 *   worker writes its own block of that slot and nothing else.
 * - A record may name an object that a previous record in the same batch created. A record that
 *   names an unknown object throws (the worker reports it; the writer never does that on purpose).
 */
import type { ChangeRecord } from '../workers/protocol.ts';

export type ProxyMode = 'http' | 'tcp';

/** TLS settings of one bind: `bind :443 ssl crt <defaultCert> crt-list <crtList>`. */
export type BindSsl = {
  /** Certificate name (as in `new ssl cert`) served when no crt-list entry matches the SNI. */
  readonly defaultCert: string;
  /** Name of the crt-list whose entries choose a certificate by SNI; null for none. */
  readonly crtList: string | null;
};

export type Bind = {
  /** Listen address; '' or '*' means every IPv4 address, '::' every address. */
  readonly host: string;
  readonly port: number;
  readonly ssl: BindSsl | null;
};

/**
 * What a frontend does with the client's X-Forwarded-* headers (http/request-head-writer.ts):
 * - `append`: trust them: the peer address is appended to the client's X-Forwarded-For, and the
 *   client's X-Forwarded-Proto/-Host/-Port are kept (ours are added when it sent none);
 * - `replace`: drop every X-Forwarded-* the client sent and set our own;
 * - `off`: pass the client's X-Forwarded-* through untouched and add none (HAProxy without
 *   `option forwardfor`).
 */
export type ForwardedMode = 'append' | 'replace' | 'off';

export type FrontendTimeouts = {
  /** Client inactivity (HAProxy `timeout client`). */
  readonly client: number;
  /** Time to receive a complete request head (`timeout http-request`). */
  readonly httpRequest: number;
  /** Idle time between two requests of a keep-alive connection (`timeout http-keep-alive`). */
  readonly httpKeepAlive: number;
};

export type BackendTimeouts = {
  /** Time to establish an upstream connection (`timeout connect`). */
  readonly connect: number;
  /** Upstream inactivity while a request is in flight (`timeout server`). */
  readonly server: number;
  /** Inactivity of an upgraded (WebSocket) or `mode tcp` tunnel (`timeout tunnel`). */
  readonly tunnel: number;
};

export type BalanceAlgo = 'roundrobin' | 'static-rr' | 'leastconn' | 'first' | 'random' | 'source' | 'hdr';

export type Balance = {
  readonly algo: BalanceAlgo;
  /** The header of `hdr(<name>)`, lower case; null otherwise. */
  readonly hdrName: string | null;
  /** Servers drawn per pick by `random` (1 to 100); absent means 2, HAProxy's default. */
  readonly draws?: number;
};

/**
 * Operator state of a server: `ready` takes new requests; `drain` takes none, but requests in
 * flight and their keep-alive connections finish; `maint` is out of rotation and its idle pooled
 * connections are closed (requests in flight still finish).
 */
export type ServerAdmin = 'ready' | 'drain' | 'maint';

/** Health as decided by the writer (checks and passive observations); a `down` server gets no new requests. */
export type ServerHealth = 'up' | 'down';

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/** Drop every table, listener and certificate; the records that follow rebuild the whole state. */
export type ResetRecord = { readonly seq: number; readonly kind: 'reset' };

/**
 * Adds a frontend, or replaces the settings of the frontend of that name. Binds present before and
 * after keep their listening sockets (no connection is refused during the change).
 */
export type FrontendAddRecord = {
  readonly seq: number;
  readonly kind: 'frontend.add';
  readonly name: string;
  readonly guid: string | null;
  readonly mode: ProxyMode;
  readonly binds: readonly Bind[];
  /** Route map consulted for `mode http` (docs/design.md "Routing maps"); null for none. */
  readonly routeMap: string | null;
  /** Backend used when no route matches (and the only backend of a `mode tcp` frontend). */
  readonly defaultBackend: string | null;
  readonly timeouts: FrontendTimeouts;
  readonly forwarded: ForwardedMode;
  /** JSON access log lines (pino) for this frontend. */
  readonly accessLog: boolean;
  readonly counterSlot: number;
};

/** Closes the frontend's listeners; its open connections finish their current request and close. */
export type FrontendDelRecord = { readonly seq: number; readonly kind: 'frontend.del'; readonly name: string };

/** Adds a backend, or replaces the settings of the backend of that name (servers are kept). */
export type BackendAddRecord = {
  readonly seq: number;
  readonly kind: 'backend.add';
  readonly name: string;
  readonly guid: string | null;
  readonly mode: ProxyMode;
  readonly balance: Balance;
  readonly timeouts: BackendTimeouts;
  /** Extra connection attempts after a failed connect (HAProxy `retries`). */
  readonly retries: number;
  /** Retry on another server rather than the same one (`option redispatch`). */
  readonly redispatch: boolean;
  /** Idle keep-alive connections kept per server and per worker (0 = no reuse). */
  readonly poolMaxIdle: number;
  readonly counterSlot: number;
  /**
   * False for a backend added at run time and not published yet (`publish backend`): switching
   * to it is ignored, as HAProxy ignores a `use_backend`/`default_backend` rule naming an
   * unpublished backend, and the next rule (the frontend's default backend) applies.
   */
  readonly published: boolean;
};

/** Same shape as `backend.add`: an explicit name for a settings change. */
export type BackendUpdateRecord = Omit<BackendAddRecord, 'kind'> & { readonly kind: 'backend.update' };

/** Removes a backend. Precondition (writer): it has no servers and no frontend or route uses it. */
export type BackendDelRecord = { readonly seq: number; readonly kind: 'backend.del'; readonly name: string };

export type ServerState = {
  readonly host: string;
  readonly port: number;
  /** Effective weight 0..256; 0 takes no new requests. */
  readonly weight: number;
  readonly admin: ServerAdmin;
  readonly health: ServerHealth;
  /** Concurrent requests per worker; 0 = unlimited. */
  readonly maxconn: number;
};

export type ServerAddRecord = ServerState & {
  readonly seq: number;
  readonly kind: 'server.add';
  /** Process-unique, never reused. */
  readonly key: number;
  readonly backend: string;
  readonly name: string;
  readonly guid: string | null;
  readonly counterSlot: number;
};

/**
 * The server's whole mutable state after a change (`set server … state|weight|addr|health`,
 * `enable/disable server`). An address change applies to new connections; pooled ones are closed.
 */
export type ServerUpdateRecord = ServerState & { readonly seq: number; readonly kind: 'server.update'; readonly key: number };

/**
 * Removes a server. Precondition (writer): `del server` checks passed (maint, no connection), so
 * nothing is in flight; any pooled connection left is closed.
 */
export type ServerDelRecord = { readonly seq: number; readonly kind: 'server.del'; readonly key: number };

/** One route-map entry as written: key `<match>:<host><path>`, value `<backend>[ <route-guid>]`. */
export type MapEntry = { readonly key: string; readonly value: string };

/** Replaces a whole map at once (`commit map`, `clear map`): traffic sees the old or the new table. */
export type MapReplaceRecord = { readonly seq: number; readonly kind: 'map.replace'; readonly map: string; readonly entries: readonly MapEntry[] };

/** `add map`: appends one entry to the live version. */
export type MapAddRecord = { readonly seq: number; readonly kind: 'map.add'; readonly map: string; readonly key: string; readonly value: string };

/** `del map`: removes every entry with this key. */
export type MapDelRecord = { readonly seq: number; readonly kind: 'map.del'; readonly map: string; readonly key: string };

/** `set map`: sets the value of every entry with this key. */
export type MapSetRecord = { readonly seq: number; readonly kind: 'map.set'; readonly map: string; readonly key: string; readonly value: string };

/**
 * A certificate committed (`commit ssl cert`): the next TLS handshake that selects it uses the new
 * one. `names` are the DNS names of its SAN (or CN), lower case, extracted by the writer; they
 * serve SNI for crt-list entries without filters.
 */
export type CertSetRecord = {
  readonly seq: number;
  readonly kind: 'cert.set';
  readonly name: string;
  /** PEM certificate chain, leaf first. */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
  readonly names: readonly string[];
};

/** Precondition (writer): no bind and no crt-list uses it any more. */
export type CertDelRecord = { readonly seq: number; readonly kind: 'cert.del'; readonly name: string };

/**
 * `add ssl crt-list <list> <cert> [sni-filter …]`: the certificate serves the filters' names
 * (exact `www.example.com` or one-label wildcard `*.example.com`), or its own `names` without
 * filters. Adding the same (list, cert) again replaces its filters.
 */
export type CrtListAddRecord = { readonly seq: number; readonly kind: 'crtlist.add'; readonly list: string; readonly cert: string; readonly sni: readonly string[] };

export type CrtListDelRecord = { readonly seq: number; readonly kind: 'crtlist.del'; readonly list: string; readonly cert: string };

export type PlaneRecord =
  | ResetRecord
  | FrontendAddRecord
  | FrontendDelRecord
  | BackendAddRecord
  | BackendUpdateRecord
  | BackendDelRecord
  | ServerAddRecord
  | ServerUpdateRecord
  | ServerDelRecord
  | MapReplaceRecord
  | MapAddRecord
  | MapDelRecord
  | MapSetRecord
  | CertSetRecord
  | CertDelRecord
  | CrtListAddRecord
  | CrtListDelRecord;

export type PlaneRecordKind = PlaneRecord['kind'];

// Every record is a ChangeRecord the worker pool can carry (compile-time check only).
const _assignable: (r: PlaneRecord) => ChangeRecord = (r) => r;
void _assignable;

// ---------------------------------------------------------------------------------------------
// Worker → writer
// ---------------------------------------------------------------------------------------------

/**
 * A passive health observation, posted on the worker's parentPort next to the pool's own messages.
 * `connect-failed`: a connection attempt to server `key` failed (refused, unreachable, timeout);
 * `connect-ok`: the first successful connect after a failure reported by this worker (so the
 * writer's rise logic can count it; successes are not reported otherwise).
 */
export type PlaneReport = {
  readonly type: 'plane.observe';
  readonly worker: number;
  readonly key: number;
  readonly event: 'connect-failed' | 'connect-ok';
  /** A short stable reason: `refused`, `timeout`, `unreachable`, `reset`, or an errno code. */
  readonly reason: string;
};
