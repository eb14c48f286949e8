/**
 * `mode tcp`: one upstream connection per client connection, bytes piped both ways with the
 * streams' backpressure. Connect failures are retried (`retries`, `option redispatch`) since no
 * byte has been sent yet; after that, either side closing closes both.
 */
import { connect, type Socket } from 'node:net';
import { F } from '../stats/counters.ts';
import { stateUsable } from './balancer.ts';
import type { Expirable } from './clock.ts';
import type { PlaneRuntime } from './runtime.ts';
import type { BackendEntry, FrontendEntry, ServerEntry } from './tables.ts';

export class TcpSession implements Expirable {
  deadline = 0;
  private readonly rt: PlaneRuntime;
  private readonly client: Socket;
  private readonly fe: FrontendEntry;
  private be: BackendEntry | null = null;
  private server: ServerEntry | null = null;
  private upstream: Socket | null = null;
  private attempts = 0;
  private connected = false;
  private done = false;
  private idleMs = 0;

  constructor(rt: PlaneRuntime, client: Socket, fe: FrontendEntry) {
    this.rt = rt;
    this.client = client;
    this.fe = fe;
    rt.counters.add(fe.base, F.CONN_CUR, 1);
    rt.counters.add(fe.base, F.CONN_TOTAL, 1);
    rt.sessions.add(this);
    client.on('error', () => this.close('client error'));
    client.on('close', () => this.close('client closed'));
    client.pause();
    rt.gate.sync();
    const be = fe.defaultBackend === null ? undefined : rt.tables.backends.get(fe.defaultBackend);
    if (be === undefined) {
      this.close('no backend');
      return;
    }
    this.be = be;
    this.idleMs = be.timeouts.tunnel || fe.timeouts.client;
    this.tryConnect(null);
  }

  /** PickContext: the client address for `balance source`. */
  get source(): string {
    return this.client.remoteAddress ?? '';
  }

  /** PickContext: a TCP session has no headers. */
  header(): undefined {
    return undefined;
  }

  /** Soft stop: a TCP session has no request boundary, so it runs until the grace period ends. */
  softStop(): void {}

  expire(): void {
    this.close(this.connected ? 'idle timeout' : 'connect timeout');
  }

  /** Closes both sides. */
  close(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.rt.sessions.delete(this);
    this.client.destroy();
    this.upstream?.destroy();
    const c = this.rt.counters;
    c.add(this.fe.base, F.CONN_CUR, -1);
    if (this.server !== null) {
      c.add(this.server.base, F.CONN_CUR, -1);
      c.add(this.server.base, F.REQ_CUR, -1);
      this.server.backend.balancer.onEnd(this.server);
      this.server = null;
    }
    if (reason !== 'client closed' && reason !== 'server closed') this.rt.log.tcp(this.fe, this.be, reason);
  }

  private tryConnect(failed: ServerEntry | null): void {
    const be = this.be!;
    const c = this.rt.counters;
    // one pick of the gate (workers/protocol.ts `PlaneGate`): caught up, then counted
    const gate = this.rt.gate;
    gate.beginPick();
    let s: ServerEntry | null;
    try {
      s = failed !== null && !be.redispatch && stateUsable(failed) ? failed : be.balancer.pick(this, failed);
      if (s !== null) {
        this.server = s;
        s.backend.balancer.onStart(s);
        c.add(s.base, F.CONN_CUR, 1);
        c.add(s.base, F.CONN_TOTAL, 1);
        c.add(s.base, F.REQ_CUR, 1);
      }
    } finally {
      gate.endPick();
    }
    if (s === null) {
      this.close('no server available');
      return;
    }
    const up = connect({ host: s.host, port: s.port, noDelay: true });
    this.upstream = up;
    this.deadline = be.timeouts.connect > 0 ? this.rt.sessions.now + be.timeouts.connect : 0;
    up.once('connect', () => this.onConnect(up));
    up.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.connected && !this.done && this.upstream === up) this.onConnectError(s, err.code ?? 'error');
      else this.close('server error');
    });
    up.on('close', () => {
      if (this.connected) this.close('server closed');
    });
  }

  private onConnectError(s: ServerEntry, code: string): void {
    const c = this.rt.counters;
    c.add(s.base, F.CONNECT_ERRORS, 1);
    c.add(s.base, F.CONN_CUR, -1);
    c.add(s.base, F.REQ_CUR, -1);
    s.backend.balancer.onEnd(s);
    this.server = null;
    this.rt.observeConnect(s, false, code);
    if (this.attempts++ < this.be!.retries) {
      c.add(this.be!.base, F.RETRIES, 1);
      this.tryConnect(s);
    } else {
      this.close(`connect failed (${code})`);
    }
  }

  private onConnect(up: Socket): void {
    if (this.done) {
      up.destroy();
      return;
    }
    this.connected = true;
    const s = this.server!;
    this.rt.observeConnect(s, true, '');
    const rt = this.rt;
    const refresh = (): void => {
      this.deadline = this.idleMs > 0 ? rt.sessions.now + this.idleMs : 0;
    };
    refresh();
    const c = rt.counters;
    const fe = this.fe;
    this.client.on('data', (d: Buffer) => {
      c.add(fe.base, F.BYTES_IN, d.length);
      c.add(s.base, F.BYTES_IN, d.length);
      refresh();
    });
    up.on('data', (d: Buffer) => {
      c.add(fe.base, F.BYTES_OUT, d.length);
      c.add(s.base, F.BYTES_OUT, d.length);
      refresh();
    });
    this.client.pipe(up);
    up.pipe(this.client);
    this.client.resume();
  }
}
