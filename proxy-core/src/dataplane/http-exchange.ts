/**
 * The upstream half of an HTTP exchange (see http-session.ts for the client half): server choice,
 * pooled connections, sending the request head, parsing and forwarding the response, retries.
 * The exchange's state lives in fields shared by both halves, reset per request: no per-request
 * objects. Upstream reads arrive in the worker's shared read buffer and are copied out.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { REFRAME, UNCHUNK, ChunkedForwarder } from '../http/chunked-forwarder.ts';
import { LAST_CHUNK, encodeChunk } from '../http/chunked-encoder.ts';
import { BODY_CHUNKED, BODY_TUNNEL, BODY_UNTIL_CLOSE, NEED_MORE, REJECTED } from '../http/head-parser.ts';
import { RequestHeadParser } from '../http/request-head-parser.ts';
import { F } from '../stats/counters.ts';
import { ResponseHeadParser } from '../http/response-head-parser.ts';
import {
  PLAN_CHUNK_ENCODE, PLAN_LENGTH, PLAN_NONE, PLAN_RAW_THEN_CLOSE, PLAN_RECHUNK, PLAN_TUNNEL, buildResponseHead, planResponseBody, type BodyPlan,
} from '../http/response-head-writer.ts';
import type { ForwardingContext } from '../http/request-head-writer.ts';
import type { PlaneRuntime } from './runtime.ts';
import { stateUsable } from './balancer.ts';
import type { BackendEntry, FrontendEntry, ServerEntry } from './tables.ts';
import { UpstreamConn, type UpstreamOwner } from './upstream.ts';

export const S_HEAD = 0;
export const S_CONNECTING = 1;
export const S_BODY = 2;
export const S_WAIT = 3;
export const S_TUNNEL = 4;
export const S_CLOSED = 5;

function idempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'PUT' || method === 'DELETE' || method === 'TRACE';
}

function statusField(status: number): number {
  const cls = (status / 100) | 0;
  return cls >= 1 && cls <= 5 ? cls : F.RESP_OTHER;
}

export abstract class HttpExchange implements UpstreamOwner {
  deadline = 0;
  protected readonly rt: PlaneRuntime;
  protected readonly socket: Socket;
  protected readonly fe: FrontendEntry;
  protected readonly secure: boolean;
  protected readonly clientAddr: string;
  protected readonly parser = new RequestHeadParser();
  protected fw: ForwardingContext | null = null;
  protected state = S_HEAD;
  protected pending: Buffer | null = null;
  protected pendingStart = 0;
  /** `pending` views the worker's shared read buffer (only during a client read callback). */
  protected pendingShared = false;
  private hashHeaderName: string | null = null;
  private hashHeaderValue: string | undefined = undefined;
  protected clientPaused = false;
  protected clientEnded = false;
  protected stopRequested = false;

  // The exchange in progress (valid between handleHead and endExchange).
  protected inRequest = false;
  protected be: BackendEntry | null = null;
  protected server: ServerEntry | null = null;
  protected up: UpstreamConn | null = null;
  protected upPaused = false;
  protected routeGuid: string | null = null;
  protected method = '';
  protected target = '';
  protected keepClient = true;
  protected v10 = false;
  protected expectContinue = false;
  protected upgrade = false;
  protected reqHead: Buffer | null = null;
  protected reqBodyKind = 0;
  protected reqBodyLeft = 0;
  protected reqChunked: ChunkedForwarder | null = null;
  protected reqDone = true;
  protected reqBodySent = false;
  protected attempts = 0;
  protected t0 = 0;
  protected resp: ResponseHeadParser | null = null;
  protected respAcc: Buffer | null = null;
  protected respStarted = false;
  protected respHeadDone = false;
  protected respPlan: BodyPlan = PLAN_NONE;
  protected respLeft = 0;
  protected respChunked: ChunkedForwarder | null = null;
  protected respJunk = false;
  protected status = 0;
  protected closeAfter = false;
  protected bytesOut = 0;
  protected parsing = false;
  protected counted = false;

  constructor(rt: PlaneRuntime, socket: Socket, fe: FrontendEntry, secure: boolean) {
    this.rt = rt;
    this.socket = socket;
    this.fe = fe;
    this.secure = secure;
    this.clientAddr = socket.remoteAddress ?? '';
  }

  /** A usable server; `failed` is the one that just failed (kept without `option redispatch`). */
  protected pick(failed: ServerEntry | null): ServerEntry | null {
    const be = this.be!;
    if (failed !== null && !be.redispatch && stateUsable(failed) && failed.weight > 0) return failed;
    return be.balancer.pick(this, failed);
  }

  /** PickContext: the client address for `balance source`. */
  get source(): string {
    return this.clientAddr;
  }

  /** PickContext: the request header of `balance hdr(<name>)`, read when the head was parsed. */
  header(name: string): string | undefined {
    return name === this.hashHeaderName ? this.hashHeaderValue : undefined;
  }

  /**
   * Reads the header a `hdr(<name>)` backend hashes on while the head's bytes are intact (they may
   * be in the shared read buffer, reused after this read): retries pick with the same value.
   */
  protected captureHashHeader(be: BackendEntry): void {
    const name = be.balance.algo === 'hdr' ? be.balance.hdrName : null;
    this.hashHeaderName = name;
    this.hashHeaderValue = undefined;
    if (name === null) return;
    const p = this.parser;
    for (let i = 0; i < p.headerCount; i++) {
      if (p.headerName(i).toLowerCase() === name) {
        this.hashHeaderValue = p.headerValue(i);
        return;
      }
    }
  }

  /**
   * Chooses a server and counts the request on it, as one pick of the gate (workers/protocol.ts
   * `PlaneGate`): the tables are caught up first, and the writer's `del server` check sees the
   * count. `failed` is the server that just failed, if any.
   */
  protected choose(failed: ServerEntry | null): ServerEntry | null {
    const gate = this.rt.gate;
    gate.beginPick();
    try {
      const s = this.pick(failed);
      if (s !== null) {
        const c = this.rt.counters;
        this.server = s;
        s.backend.balancer.onStart(s);
        c.add(s.base, F.REQ_CUR, 1);
        c.add(s.base, F.REQ_TOTAL, 1);
      }
      return s;
    } finally {
      gate.endPick();
    }
  }

  /** Sends the request to the server `choose()` counted it on: a pooled connection or a new one. */
  protected assign(s: ServerEntry): void {
    const pooled = UpstreamConn.take(s, this);
    if (pooled !== null) {
      this.up = pooled;
      this.sendRequest();
      return;
    }
    this.up = new UpstreamConn(s, this.rt.upstream, this, performance.now());
    this.state = S_CONNECTING;
    const t = this.be!.timeouts.connect;
    this.deadline = t > 0 ? this.rt.sessions.now + t : 0;
  }

  /** Releases the server of a failed attempt (before a retry or an error answer). */
  protected unassign(): void {
    const s = this.server;
    if (s === null) return;
    s.backend.balancer.onEnd(s);
    this.rt.counters.add(s.base, F.REQ_CUR, -1);
    this.server = null;
  }

  protected sendRequest(): void {
    const sock = this.up!.socket;
    const head = this.reqHead!;
    this.respStarted = false;
    this.rt.counters.add(this.server!.base, F.BYTES_IN, head.length);
    if (this.reqDone) {
      // No body: one plain write (corking a single buffer only adds work).
      sock.write(head);
      this.state = S_WAIT;
      this.deadline = this.serverDeadline();
      return;
    }
    sock.cork();
    sock.write(head);
    this.state = S_BODY;
    this.pumpBody();
    sock.uncork();
  }

  onUpstreamDrain(): void {
    if (this.state === S_BODY || this.state === S_TUNNEL) this.resumeClient();
  }

  /** Detaches and closes the upstream connection without being called back. */
  protected dropUpstream(): void {
    const up = this.up;
    if (up === null) return;
    this.up = null;
    up.owner = null;
    up.destroy();
  }

  onUpstreamConnect(conn: UpstreamConn): void {
    if (conn !== this.up) return;
    const s = conn.server;
    this.rt.observeConnect(s, true, '');
    this.rt.counters.observe(s.base, F.CONNECT_HIST, (performance.now() - conn.connectStart) / 1000);
    this.sendRequest();
  }

  onUpstreamData(conn: UpstreamConn, buf: Buffer, n: number): void {
    if (conn !== this.up) return;
    this.respStarted = true;
    this.rt.counters.add(conn.server.base, F.BYTES_OUT, n);
    if (this.state === S_TUNNEL) {
      this.deadline = this.tunnelDeadline();
      if (!this.writeClient(Buffer.from(buf.subarray(0, n)))) this.pauseUpstream();
      return;
    }
    this.deadline = this.serverDeadline();
    if (!this.respHeadDone) this.parseResponse(buf, 0, n);
    else this.pumpResponse(buf, 0, n);
  }

  protected pauseUpstream(): void {
    if (this.upPaused || this.up === null) return;
    this.upPaused = true;
    this.up.socket.pause();
    this.deadline = this.clientDeadline();
  }

  protected parseResponse(buf: Buffer, start: number, end: number): void {
    const resp = (this.resp ??= new ResponseHeadParser());
    let src = buf;
    let s = start;
    let e = end;
    if (this.respAcc !== null) {
      src = this.respAcc = Buffer.concat([this.respAcc, buf.subarray(start, end)]);
      s = 0;
      e = src.length;
    } else {
      resp.reset();
      resp.requestWasHead = this.method === 'HEAD';
    }
    const r = resp.execute(src, s, e);
    if (r === NEED_MORE) {
      // The shared read buffer is reused by the next read: keep a copy.
      if (this.respAcc === null) this.respAcc = Buffer.from(src.subarray(s, e));
      return;
    }
    this.respAcc = null;
    if (r === REJECTED) {
      this.respJunk = true;
      this.failExchange(502, resp.detail ?? resp.error ?? 'PXY_ERR_HTTP_RESP_BAD_HEAD');
      return;
    }
    const headEnd = s + r;
    const minor = this.v10 ? 0 : 1;
    if (resp.interim) {
      // 100 Continue and other 1xx reach an HTTP/1.1 client (it may be waiting for them).
      if (!this.v10) this.writeClient(buildResponseHead(resp, PLAN_NONE, minor, false));
      if (headEnd < e) this.parseResponse(src === buf ? buf : Buffer.from(src), headEnd, e);
      return;
    }
    if (resp.bodyKind === BODY_TUNNEL && !this.upgrade) {
      this.respJunk = true;
      this.failExchange(502, 'unexpected 101 from server');
      return;
    }
    this.respHeadDone = true;
    this.status = resp.status;
    const s0 = this.server;
    if (s0 !== null) this.rt.counters.observe(s0.base, F.RESPONSE_HIST, (performance.now() - this.t0) / 1000);
    const plan = (this.respPlan = planResponseBody(resp, minor));
    this.closeAfter = !this.keepClient || !this.reqDone || plan === PLAN_RAW_THEN_CLOSE || this.stopRequested || this.rt.stopping || !this.fe.live;
    const avail = e - headEnd;
    if (plan === PLAN_LENGTH || plan === PLAN_NONE || plan === PLAN_TUNNEL) {
      // The head and the body bytes of this read leave in one write.
      let take = plan === PLAN_LENGTH ? Math.min(avail, resp.contentLength) : plan === PLAN_TUNNEL ? avail : 0;
      if (plan === PLAN_LENGTH) this.respLeft = resp.contentLength - take;
      if (take < avail && plan !== PLAN_TUNNEL) this.respJunk = true;
      if (take === 0) take = -1;
      const ok = this.writeClient(take > 0 ? buildResponseHead(resp, plan, minor, this.closeAfter, src, headEnd, headEnd + take) : buildResponseHead(resp, plan, minor, this.closeAfter));
      if (plan === PLAN_TUNNEL) {
        this.startTunnel();
        return;
      }
      if (!ok) this.pauseUpstream();
      if (plan === PLAN_NONE || this.respLeft === 0) this.endExchange(true, null);
      return;
    }
    if (resp.bodyKind === BODY_CHUNKED) (this.respChunked ??= new ChunkedForwarder()).reset(plan === PLAN_RECHUNK ? REFRAME : UNCHUNK);
    this.socket.cork();
    this.writeClient(buildResponseHead(resp, plan, minor, this.closeAfter));
    if (avail > 0) this.pumpResponse(src, headEnd, e);
    this.socket.uncork();
  }

  protected pumpResponse(buf: Buffer, start: number, end: number): void {
    const plan = this.respPlan;
    let ok = true;
    if (plan === PLAN_LENGTH) {
      let take = end - start;
      if (take > this.respLeft) {
        take = this.respLeft;
        this.respJunk = true;
      }
      this.respLeft -= take;
      const copy = Buffer.allocUnsafe(take);
      buf.copy(copy, 0, start, start + take);
      ok = this.writeClient(copy);
      if (this.respLeft === 0) {
        this.endExchange(true, null);
        return;
      }
    } else if (this.resp!.bodyKind === BODY_CHUNKED) {
      const fwd = this.respChunked!;
      const out = fwd.transform(buf, start, end);
      if (out === null) {
        this.respJunk = true;
        this.failExchange(502, fwd.error ?? 'PXY_ERR_HTTP_RESP_BAD_CHUNK');
        return;
      }
      if (out.length > 0) ok = this.writeClient(out);
      if (fwd.done) {
        if (start + fwd.consumed < end) this.respJunk = true;
        this.endExchange(true, null);
        return;
      }
    } else if (plan === PLAN_CHUNK_ENCODE) {
      ok = this.writeClient(encodeChunk(buf, start, end));
    } else {
      ok = this.writeClient(Buffer.from(buf.subarray(start, end)));
    }
    if (!ok) this.pauseUpstream();
  }

  protected startTunnel(): void {
    this.state = S_TUNNEL;
    this.deadline = this.tunnelDeadline();
    const up = this.up!;
    // Client bytes that followed the upgrade request belong to the tunnel.
    const p = this.pending;
    if (p !== null && this.pendingStart < p.length) up.socket.write(Buffer.from(p.subarray(this.pendingStart)));
    this.pending = null;
    this.resumeClient();
  }

  onUpstreamClose(conn: UpstreamConn, reason: string): void {
    if (conn !== this.up) return;
    this.up = null;
    if (this.state === S_TUNNEL) {
      this.endExchange(true, null);
      this.close('tunnel closed by server');
      return;
    }
    if (this.respHeadDone) {
      if (this.resp!.bodyKind === BODY_UNTIL_CLOSE) {
        if (this.respPlan === PLAN_CHUNK_ENCODE) this.writeClient(LAST_CHUNK);
        this.endExchange(true, null);
        return;
      }
      this.rt.log.upstream(this.fe, this.be, this.server, `${reason} mid-response`, this.status);
      if (this.server !== null) this.rt.counters.add(this.server.base, F.RESPONSE_ERRORS, 1);
      this.endExchange(false, reason);
      this.close(reason);
      return;
    }
    const s = conn.server;
    const c = this.rt.counters;
    if (!conn.connected) {
      c.add(s.base, F.CONNECT_ERRORS, 1);
      this.rt.observeConnect(s, false, reason);
      if (this.retry(s)) return;
      this.failExchange(503, reason);
      return;
    }
    // A pooled connection the server closed before answering: replay only what is safe.
    if (!this.respStarted && conn.uses > 0 && idempotent(this.method) && !this.reqBodySent && this.retry(s)) return;
    c.add(s.base, F.RESPONSE_ERRORS, 1);
    this.failExchange(502, `${reason} before response`);
  }

  /** Another attempt after a failure on `failed`; false when out of retries or servers. */
  protected retry(failed: ServerEntry): boolean {
    const be = this.be!;
    if (this.attempts >= be.retries) return false;
    this.attempts++;
    this.unassign();
    const c = this.rt.counters;
    c.add(be.base, F.RETRIES, 1);
    c.add(failed.base, F.RETRIES, 1);
    const s = this.choose(failed);
    if (s === null) return false;
    if (s !== failed) {
      c.add(be.base, F.REDISPATCHES, 1);
      c.add(failed.base, F.REDISPATCHES, 1);
    }
    this.assign(s);
    return true;
  }

  protected countStatus(status: number): void {
    const c = this.rt.counters;
    const f = statusField(status);
    c.add(this.fe.base, f, 1);
    if (this.be !== null) c.add(this.be.base, f, 1);
    if (this.server !== null) c.add(this.server.base, f, 1);
  }

  protected clientDeadline(): number {
    const t = this.fe.timeouts.client;
    return t > 0 ? this.rt.sessions.now + t : 0;
  }

  protected serverDeadline(): number {
    const t = this.be?.timeouts.server ?? 0;
    return t > 0 ? this.rt.sessions.now + t : 0;
  }

  protected tunnelDeadline(): number {
    const t = this.be?.timeouts.tunnel || this.fe.timeouts.client;
    return t > 0 ? this.rt.sessions.now + t : 0;
  }

  /** Client-side operations the upstream half needs (http-session.ts). */
  protected abstract writeClient(b: Buffer): boolean;
  protected abstract pauseClient(): void;
  protected abstract resumeClient(): void;
  protected abstract pumpBody(): void;
  protected abstract failExchange(status: number, reason: string): void;
  protected abstract endExchange(ok: boolean, reason: string | null): void;
  abstract close(reason: string): void;

}
