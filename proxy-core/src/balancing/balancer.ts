/**
 * The seam between the data plane and the load-balancing algorithms. Types only.
 *
 * Change time: the worker calls `update()` with a backend's full server list whenever a server is
 * added, deleted, re-weighted or changes state; the algorithm recomputes its schedule there.
 * Request time: `pick()` allocates nothing and is O(1) or O(log n); `onStart`/`onEnd` keep the
 * live connection counts that `leastconn`, `random` and `first` weigh.
 */

export type ServerId = string | number;

/** What an algorithm needs to know about a server; the data plane adapts its own objects to it. */
export interface ServerView {
  /**
   * Stable identity across updates (the GUID, or the name, or a number unique in the process):
   * keys counts and the hash ring. A number costs no string per server per worker.
   */
  readonly id: ServerId;
  /** 0 to 256 as in HAProxy; 0 takes the server out of rotation. */
  readonly weight: number;
  /** False when in maint, drained, or down by health checks: no new request goes there. */
  readonly usable: boolean;
  /** A backup server is used only while no active (non-backup) server is eligible. */
  readonly backup?: boolean;
  /** Connections open at the time of `update()`; seeds the count of a server seen for the first time. */
  readonly connections: number;
  /**
   * The server is full at this many connections (counted through `onStart`/`onEnd`) and is not
   * picked until one ends; 0 or absent means no limit. Read at `update()`.
   */
  readonly maxconn?: number;
}

/** A server is eligible for new requests only when usable and weighted. */
export function isEligible(s: ServerView): boolean {
  return s.usable && s.weight > 0;
}

/** The request facts the hashing algorithms read. The data plane keeps one object per connection. */
export interface PickContext {
  /** The client address (IP without port) for `source`; '' when there is none (UNIX socket). */
  readonly source: string;
  /** The value of a request header for `hdr(<name>)`; `name` comes lower case; undefined if absent. */
  header(name: string): string | undefined;
}

export interface Balancer<S extends ServerView = ServerView> {
  /** The algorithm as the `balance` keyword spells it, e.g. `roundrobin`, `hdr(x-user)`. */
  readonly algorithm: string;
  /**
   * Replaces the server list (order matters: it is the configuration order). Precondition: ids
   * are unique. Takes effect for the next `pick`.
   */
  update(servers: readonly S[]): void;
  /**
   * The server for a new request: eligible and not full. `avoid` (redispatch after a failure) is
   * picked only when it is the last such server. Null when there is none: the caller answers 503.
   */
  pick(ctx: PickContext, avoid?: S | null): S | null;
  /** A connection (or request) to `server` starts. Every algorithm counts them (for maxconn). */
  onStart(server: S): void;
  /** A connection (or request) to `server` ends. Unknown servers are ignored. */
  onEnd(server: S): void;
}

/** A source of uniform numbers in [0, 1): `Math.random` in production, seeded in tests. */
export type RandomSource = () => number;

export interface BalancerOptions {
  readonly random?: RandomSource;
}
