/**
 * Upstream connections and the per-server keep-alive pool (LIFO, bounded by the backend's
 * `poolMaxIdle`, per worker). Reads land in ONE buffer per worker (`onread`): a read is consumed
 * synchronously by its owner (parsed in place, copied into the client write), so no per-read
 * allocation happens and nothing may keep a reference to that buffer after the callback.
 */
import { connect, type Socket } from 'node:net';
import { F } from '../stats/counters.ts';
import type { PlaneCounters } from './plane-counters.ts';
import type { Expirable, Sweeper } from './clock.ts';
import type { ServerEntry } from './tables.ts';

/**
 * The empty collections every server starts with (tables.ts `ServerEntry.idle`/`conns`). They
 * are never mutated: `trackConn`/`poolPush` swap a real collection in on first use, and the
 * server goes back to the sentinel once its last connection is gone, so memory follows the
 * connections actually open, not the number of servers.
 */
export const NO_IDLE: readonly UpstreamConn[] = Object.freeze([]);
export const NO_CONNS: ReadonlySet<UpstreamConn> = new Set();

function trackConn(server: ServerEntry, c: UpstreamConn): void {
  if (server.conns === NO_CONNS) server.conns = new Set([c]);
  else (server.conns as Set<UpstreamConn>).add(c);
}

function untrackConn(server: ServerEntry, c: UpstreamConn): void {
  const conns = server.conns as Set<UpstreamConn>;
  if (conns.delete(c) && conns.size === 0) server.conns = NO_CONNS;
}

function poolPush(server: ServerEntry, c: UpstreamConn): void {
  if (server.idle === NO_IDLE) server.idle = [c];
  else (server.idle as UpstreamConn[]).push(c);
}

/** Removes the pooled connection at `i` (a valid index). */
function poolRemove(server: ServerEntry, i: number): void {
  const idle = server.idle as UpstreamConn[];
  if (idle.length === 1) server.idle = NO_IDLE;
  else idle.splice(i, 1);
}

/** What a connection reports to the session that currently uses it. */
export interface UpstreamOwner {
  onUpstreamConnect(conn: UpstreamConn): void;
  /** `buf[0, n)` is valid only during the call. */
  onUpstreamData(conn: UpstreamConn, buf: Buffer, n: number): void;
  /** The connection ended or failed; `reason` is a short stable text for logs. */
  onUpstreamClose(conn: UpstreamConn, reason: string): void;
  onUpstreamDrain(conn: UpstreamConn): void;
}

/** An idle pooled connection unused this long is closed (HAProxy's pool-purge-delay is 5 s). */
export const POOL_IDLE_MS = 5000;
const READ_BUFFER_BYTES = 64 * 1024;

/** Shared per worker: what every upstream connection needs and nothing per request. */
export class UpstreamContext {
  readonly counters: PlaneCounters;
  readonly sweeper: Sweeper;
  readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  /** Set on soft stop: nothing goes back to a pool. */
  stopping = false;

  constructor(counters: PlaneCounters, sweeper: Sweeper) {
    this.counters = counters;
    this.sweeper = sweeper;
  }
}

export class UpstreamConn implements Expirable {
  readonly socket: Socket;
  readonly server: ServerEntry;
  readonly ctx: UpstreamContext;
  owner: UpstreamOwner | null;
  connected = false;
  closed = false;
  /** Requests this connection carried (0: fresh; > 0: reused, a close before any byte may be retried). */
  uses = 0;
  /** Idle expiry while pooled; 0 otherwise. */
  deadline = 0;
  /** Time the connect started, for the connect-time histogram. */
  readonly connectStart: number;

  constructor(server: ServerEntry, ctx: UpstreamContext, owner: UpstreamOwner, connectStart: number) {
    this.server = server;
    this.ctx = ctx;
    this.owner = owner;
    this.connectStart = connectStart;
    const counters = ctx.counters;
    counters.add(server.base, F.CONN_CUR, 1);
    counters.add(server.base, F.CONN_TOTAL, 1);
    trackConn(server, this);
    this.socket = connect({
      host: server.host,
      port: server.port,
      noDelay: true,
      onread: { buffer: ctx.readBuffer, callback: (n: number, buf: Buffer) => this.onRead(n, buf) },
    });
    this.socket.on('connect', () => {
      this.connected = true;
      this.owner?.onUpstreamConnect(this);
    });
    this.socket.on('drain', () => this.owner?.onUpstreamDrain(this));
    this.socket.on('end', () => this.finish('closed by server'));
    this.socket.on('error', (err: NodeJS.ErrnoException) => this.finish(errorReason(err, this.connected)));
    this.socket.on('close', () => this.finish('closed'));
  }

  /** Closes the connection; an owner is told (once) through onUpstreamClose unless detached first. */
  destroy(): void {
    this.socket.destroy();
    this.finish('closed by proxy');
  }

  /** Idle for too long in the pool. */
  expire(): void {
    this.destroy();
  }

  private onRead(n: number, buf: Buffer): boolean {
    const owner = this.owner;
    if (owner !== null) owner.onUpstreamData(this, buf, n);
    // Bytes on an idle pooled connection are a protocol error: the server may not speak unasked.
    else this.destroy();
    return true;
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const server = this.server;
    const counters = this.ctx.counters;
    counters.add(server.base, F.CONN_CUR, -1);
    untrackConn(server, this);
    if (this.deadline !== 0) this.leavePool();
    this.ctx.sweeper.delete(this);
    this.socket.destroy();
    const owner = this.owner;
    this.owner = null;
    owner?.onUpstreamClose(this, reason);
  }

  private leavePool(): void {
    const i = this.server.idle.lastIndexOf(this);
    if (i >= 0) {
      poolRemove(this.server, i);
      this.ctx.counters.add(this.server.base, F.CONN_IDLE, -1);
    }
    this.deadline = 0;
    this.ctx.sweeper.delete(this);
  }

  /** Takes the most recently pooled live connection of a server, or null. */
  static take(server: ServerEntry, owner: UpstreamOwner): UpstreamConn | null {
    while (server.idle.length > 0) {
      const i = server.idle.length - 1;
      const c = server.idle[i]!;
      poolRemove(server, i);
      c.ctx.counters.add(server.base, F.CONN_IDLE, -1);
      // It stays in the sweeper's set (release adds it back): a zero deadline is never expired.
      c.deadline = 0;
      if (c.closed || c.socket.destroyed) continue;
      c.owner = owner;
      c.socket.resume();
      return c;
    }
    return null;
  }

  /**
   * Returns the connection to its server's pool, or closes it when the pool is full, the server
   * left rotation for maintenance or was removed, or the worker is stopping.
   * Precondition: the response was read completely and the server allows another request.
   */
  release(): void {
    this.owner = null;
    const server = this.server;
    const ctx = this.ctx;
    if (this.closed) return;
    if (ctx.stopping || !server.live || server.admin === 'maint' || server.idle.length >= server.backend.poolMaxIdle) {
      this.destroy();
      return;
    }
    this.uses++;
    poolPush(server, this);
    ctx.counters.add(server.base, F.CONN_IDLE, 1);
    this.deadline = ctx.sweeper.now + POOL_IDLE_MS;
    ctx.sweeper.add(this);
  }
}

/** Closes every idle pooled connection of a server (maint, removal, address change). */
export function closeIdle(server: ServerEntry): void {
  for (const c of [...server.idle]) c.destroy();
}

function errorReason(err: NodeJS.ErrnoException, connected: boolean): string {
  const code = err.code ?? 'error';
  if (!connected) {
    if (code === 'ECONNREFUSED') return 'connect refused';
    if (code === 'ETIMEDOUT') return 'connect timeout';
    return `connect failed (${code})`;
  }
  if (code === 'ECONNRESET') return 'reset by server';
  if (code === 'EPIPE') return 'broken pipe';
  return `upstream error (${code})`;
}
