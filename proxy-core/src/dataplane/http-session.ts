/**
 * One client connection of a `mode http` frontend: requests are parsed in place, routed, balanced
 * and sent upstream on a pooled keep-alive connection; the response head is rewritten and sent with
 * the first body bytes in one write. Requests are handled one at a time (pipelined ones wait in
 * `pending`), so responses go out in order. Bodies stream with the sockets' backpressure.
 *
 * No per-request objects: the exchange's state lives in fields of the session, reset per request.
 * Upstream reads arrive in the worker's shared read buffer and are copied into the client write.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { REFRAME, UNCHUNK, ChunkedForwarder } from '../http/chunked-forwarder.ts';
import {
  BODY_CHUNKED, BODY_LENGTH, BODY_NONE, BODY_TUNNEL, BODY_UNTIL_CLOSE, NEED_MORE, REJECTED,
} from '../http/head-parser.ts';
import { HTTP_ERRORS, type HttpErrorCode } from '../http/http-errors.ts';
import { RequestHeadParser, TARGET_ABSOLUTE } from '../http/request-head-parser.ts';
import { F } from '../stats/counters.ts';
import { ForwardedHeaders, headLength, writeRequestHead, writeResponseHead } from './head-out.ts';
import { localResponse } from './local-responses.ts';
import { ResponseHeadParser } from './response-head-seam.ts';
import type { PlaneRuntime, Session } from './runtime.ts';
import { serverUsable, type BackendEntry, type FrontendEntry, type ServerEntry } from './tables.ts';
import { UpstreamConn, type UpstreamOwner } from './upstream.ts';

const S_HEAD = 0;
const S_CONNECTING = 1;
const S_BODY = 2;
const S_WAIT = 3;
const S_TUNNEL = 4;
const S_CLOSED = 5;

/** Unparsed client bytes held while a request is in flight; above it the client is paused. */
const MAX_PENDING = 64 * 1024;

function idempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'PUT' || method === 'DELETE' || method === 'TRACE';
}

function statusField(status: number): number {
  const cls = (status / 100) | 0;
  return cls >= 1 && cls <= 5 ? cls : F.RESP_OTHER;
}

export class HttpSession implements UpstreamOwner, Session {
  deadline = 0;
  private readonly rt: PlaneRuntime;
  private readonly socket: Socket;
  private readonly fe: FrontendEntry;
  private readonly secure: boolean;
  private readonly clientAddr: string;
  private readonly parser = new RequestHeadParser();
  private fw: ForwardedHeaders | null = null;
  private state = S_HEAD;
  private pending: Buffer | null = null;
  private pendingStart = 0;
  private clientPaused = false;
  private clientEnded = false;
  private stopRequested = false;

  // The exchange in progress (valid between handleHead and endExchange).
  private inRequest = false;
  private be: BackendEntry | null = null;
  private server: ServerEntry | null = null;
  private up: UpstreamConn | null = null;
  private upPaused = false;
  private routeGuid: string | null = null;
  private method = '';
  private target = '';
  private keepClient = true;
  private v10 = false;
  private expectContinue = false;
  private upgrade = false;
  private reqHead: Buffer | null = null;
  private reqBodyKind = 0;
  private reqBodyLeft = 0;
  private reqChunked: ChunkedForwarder | null = null;
  private reqDone = true;
  private reqBodySent = false;
  private attempts = 0;
  private t0 = 0;
  private resp: ResponseHeadParser | null = null;
  private respAcc: Buffer | null = null;
  private respStarted = false;
  private respHeadDone = false;
  private respKind = 0;
  private respLeft = 0;
  private respChunked: ChunkedForwarder | null = null;
  private respJunk = false;
  private status = 0;
  private closeAfter = false;
  private bytesOut = 0;
  private parsing = false;
  private counted = false;

  constructor(rt: PlaneRuntime, socket: Socket, fe: FrontendEntry, secure: boolean) {
    this.rt = rt;
    this.socket = socket;
    this.fe = fe;
    this.secure = secure;
    this.clientAddr = socket.remoteAddress ?? '';
    rt.counters.add(fe.base, F.CONN_CUR, 1);
    rt.counters.add(fe.base, F.CONN_TOTAL, 1);
    rt.sessions.add(this);
    this.armHead(fe.timeouts.httpRequest || fe.timeouts.client);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('drain', () => this.onClientDrain());
    socket.on('end', () => this.onClientEnd());
    socket.on('error', () => this.close('client error'));
    socket.on('close', () => this.close('client closed'));
  }

  // ------------------------------------------------------------------ client side

  private onData(d: Buffer): void {
    this.rt.counters.add(this.fe.base, F.BYTES_IN, d.length);
    if (this.state === S_TUNNEL) {
      this.deadline = this.tunnelDeadline();
      const up = this.up;
      if (up !== null && !up.socket.write(d)) this.pauseClient();
      return;
    }
    const p = this.pending;
    if (p === null || this.pendingStart >= p.length) {
      if (this.state === S_HEAD && !this.inRequest) this.armHead(this.fe.timeouts.httpRequest || this.fe.timeouts.client);
      this.pending = d;
      this.pendingStart = 0;
    } else {
      this.pending = Buffer.concat([p.subarray(this.pendingStart), d]);
      this.pendingStart = 0;
    }
    if (this.state === S_HEAD) this.parseLoop();
    else if (this.state === S_BODY) {
      this.deadline = this.clientDeadline();
      this.pumpBody();
    } else if (this.pending !== null && this.pending.length - this.pendingStart > MAX_PENDING) {
      this.pauseClient();
    }
  }

  private parseLoop(): void {
    // endExchange of a request answered synchronously (404, 503) calls back here: the outer loop goes on.
    if (this.parsing) return;
    this.parsing = true;
    try {
      this.parseHeads();
    } finally {
      this.parsing = false;
    }
  }

  private parseHeads(): void {
    while (this.state === S_HEAD) {
      const buf = this.pending;
      if (buf === null || this.pendingStart >= buf.length) {
        this.pending = null;
        return;
      }
      const n = this.parser.execute(buf, this.pendingStart, buf.length);
      if (n === NEED_MORE) return;
      if (n === REJECTED) {
        this.reject(this.parser.error ?? 'PXY_ERR_HTTP_BAD_REQUEST_LINE');
        return;
      }
      this.handleHead(this.pendingStart + n);
    }
  }

  private reject(code: HttpErrorCode): void {
    const status = HTTP_ERRORS[code].status;
    this.rt.counters.add(this.fe.base, F.DENIED_REQ, 1);
    this.rt.log.rejected(this.fe, this.clientAddr, code, status);
    this.countStatus(status);
    this.closeAfter = true;
    this.writeClient(localResponse(status, true));
    this.finishClient();
  }

  private handleHead(headEnd: number): void {
    const p = this.parser;
    const rt = this.rt;
    const fe = this.fe;
    const c = rt.counters;
    this.inRequest = true;
    this.t0 = performance.now();
    c.add(fe.base, F.REQ_TOTAL, 1);
    c.add(fe.base, F.REQ_CUR, 1);
    this.method = p.method;
    this.keepClient = p.keepAlive && !this.clientEnded;
    this.v10 = p.versionMinor === 0;
    this.expectContinue = p.expectContinue;
    this.upgrade = p.upgrade;
    this.reqBodyKind = p.bodyKind;
    this.reqBodyLeft = p.bodyKind === BODY_LENGTH ? p.contentLength : 0;
    this.reqDone = p.bodyKind === BODY_NONE || (p.bodyKind === BODY_LENGTH && p.contentLength === 0);
    this.reqBodySent = false;
    this.attempts = 0;
    this.respStarted = false;
    this.respHeadDone = false;
    this.respJunk = false;
    this.respAcc = null;
    this.status = 0;
    this.bytesOut = 0;
    this.closeAfter = false;
    if (p.bodyKind === BODY_CHUNKED) (this.reqChunked ??= new ChunkedForwarder()).reset(REFRAME);

    let target = p.target;
    if (p.targetForm === TARGET_ABSOLUTE) {
      const path = target.slice(p.pathStart - p.targetStart);
      target = path.length === 0 || path.charCodeAt(0) === 0x3f ? `/${path}` : path;
    }
    if (fe.accessLog) this.target = target;
    let beName = fe.defaultBackend;
    this.routeGuid = null;
    if (fe.routes !== null) {
      const r = fe.routes.table.lookup(p.host, target);
      if (r.kind === 'route') {
        beName = r.backend;
        this.routeGuid = r.guid ?? null;
      }
    }
    this.pendingStart = headEnd;
    if (beName === null) return this.localAnswer(404, 'no route');
    const be = rt.tables.backends.get(beName);
    if (be === undefined || !be.live) return this.localAnswer(503, 'no such backend');
    this.be = be;
    c.add(be.base, F.REQ_TOTAL, 1);
    c.add(be.base, F.REQ_CUR, 1);
    const fw = (this.fw ??= new ForwardedHeaders(fe.forwarded, this.clientAddr, this.secure, this.socket.localPort ?? 0));
    this.reqHead = writeRequestHead(p, fw, 0).subarray(0, headLength);
    const s = this.pick(null);
    if (s === null) return this.localAnswer(503, 'no server available');
    this.assign(s);
  }

  /** A usable server; `failed` is the one that just failed (kept without `option redispatch`). */
  private pick(failed: ServerEntry | null): ServerEntry | null {
    const be = this.be!;
    if (failed !== null && !be.redispatch && serverUsable(failed)) return failed;
    let key: string | null = null;
    if (be.balance.algo === 'source') key = this.clientAddr;
    else if (be.balance.algo === 'hdr' && be.balance.hdrName !== null) key = this.headerValue(be.balance.hdrName);
    return be.balancer.pick(key, failed);
  }

  private headerValue(name: string): string | null {
    const p = this.parser;
    for (let i = 0; i < p.headerCount; i++) if (p.headerName(i).toLowerCase() === name) return p.headerValue(i);
    return null;
  }

  private assign(s: ServerEntry): void {
    const c = this.rt.counters;
    this.server = s;
    s.active++;
    c.add(s.base, F.REQ_CUR, 1);
    c.add(s.base, F.REQ_TOTAL, 1);
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
  private unassign(): void {
    const s = this.server;
    if (s === null) return;
    s.active--;
    this.rt.counters.add(s.base, F.REQ_CUR, -1);
    this.server = null;
  }

  private sendRequest(): void {
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

  /** Forwards the request body bytes held in `pending`; moves to S_WAIT when the body is complete. */
  private pumpBody(): void {
    const up = this.up;
    if (up === null) return;
    const buf = this.pending;
    let ok = true;
    if (!this.reqDone && buf !== null) {
      const start = this.pendingStart;
      const end = buf.length;
      if (this.reqBodyKind === BODY_LENGTH) {
        const n = Math.min(this.reqBodyLeft, end - start);
        if (n > 0) {
          ok = up.socket.write(start === 0 && n === end ? buf : buf.subarray(start, start + n));
          this.rt.counters.add(up.server.base, F.BYTES_IN, n);
          this.reqBodySent = true;
          this.reqBodyLeft -= n;
          this.pendingStart = start + n;
        }
        if (this.reqBodyLeft === 0) this.reqDone = true;
      } else {
        const fwd = this.reqChunked!;
        const out = fwd.transform(buf, start, end);
        if (out === null) {
          this.rt.log.rejected(this.fe, this.clientAddr, fwd.error ?? 'PXY_ERR_HTTP_BAD_CHUNK_SIZE', 400);
          this.failExchange(400, 'bad chunked request body');
          return;
        }
        this.pendingStart = start + fwd.consumed;
        if (out.length > 0) {
          ok = up.socket.write(out);
          this.rt.counters.add(up.server.base, F.BYTES_IN, out.length);
          this.reqBodySent = true;
        }
        if (fwd.done) this.reqDone = true;
      }
      if (this.pendingStart >= end) this.pending = null;
    }
    if (!ok) this.pauseClient();
    if (this.reqDone && this.state === S_BODY) {
      this.state = S_WAIT;
      this.deadline = this.serverDeadline();
    } else if (this.state === S_BODY) {
      this.deadline = this.clientDeadline();
    }
  }

  private pauseClient(): void {
    if (this.clientPaused) return;
    this.clientPaused = true;
    this.socket.pause();
  }

  private resumeClient(): void {
    if (!this.clientPaused) return;
    this.clientPaused = false;
    this.socket.resume();
  }

  onUpstreamDrain(): void {
    if (this.state === S_BODY || this.state === S_TUNNEL) this.resumeClient();
  }

  private onClientDrain(): void {
    if (this.upPaused && this.up !== null) {
      this.upPaused = false;
      this.up.socket.resume();
    }
  }

  private onClientEnd(): void {
    this.clientEnded = true;
    this.keepClient = false;
    if (this.state === S_HEAD && !this.inRequest) this.close('client closed');
    else if (this.state === S_TUNNEL) this.up?.socket.end();
  }

  private writeClient(b: Buffer): boolean {
    this.bytesOut += b.length;
    this.rt.counters.add(this.fe.base, F.BYTES_OUT, b.length);
    return this.socket.write(b);
  }

  /** The proxy answers the request itself (before any upstream byte reached the client). */
  private localAnswer(status: number, reason: string): void {
    if (status >= 500) this.rt.log.upstream(this.fe, this.be, this.server, reason, status);
    // A request body we did not read would be parsed as the next request: close instead.
    this.closeAfter = !this.reqDone || !this.keepClient || this.stopRequested || this.rt.stopping;
    this.status = status;
    this.writeClient(localResponse(status, this.closeAfter));
    this.endExchange(false, reason);
  }

  /** The exchange failed: an answer if nothing was sent yet, else the client connection is cut. */
  private failExchange(status: number, reason: string): void {
    this.dropUpstream();
    if (!this.respHeadDone) {
      this.localAnswer(status, reason);
      return;
    }
    this.rt.log.upstream(this.fe, this.be, this.server, reason, this.status);
    this.endExchange(false, reason);
    this.close(reason);
  }

  /** Detaches and closes the upstream connection without being called back. */
  private dropUpstream(): void {
    const up = this.up;
    if (up === null) return;
    this.up = null;
    up.owner = null;
    up.destroy();
  }

  // ------------------------------------------------------------------ upstream side

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

  private pauseUpstream(): void {
    if (this.upPaused || this.up === null) return;
    this.upPaused = true;
    this.up.socket.pause();
    this.deadline = this.clientDeadline();
  }

  private parseResponse(buf: Buffer, start: number, end: number): void {
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
      this.failExchange(502, resp.error ?? 'PXY_ERR_HTTP_RESP_BAD_HEAD');
      return;
    }
    const headEnd = s + r;
    const status = resp.status;
    if (status < 200 && status !== 101) {
      // Interim responses: 100 Continue reaches an HTTP/1.1 client (it may be waiting for it).
      if (!this.v10) this.writeClient(Buffer.from(src.subarray(s, headEnd)));
      if (headEnd < e) this.parseResponse(src === buf ? buf : Buffer.from(src), headEnd, e);
      return;
    }
    if (status === 101 && !this.upgrade) {
      this.respJunk = true;
      this.failExchange(502, 'unexpected 101 from server');
      return;
    }
    this.respHeadDone = true;
    this.status = status;
    const s0 = this.server;
    if (s0 !== null) this.rt.counters.observe(s0.base, F.RESPONSE_HIST, (performance.now() - this.t0) / 1000);
    const kind = (this.respKind = resp.bodyKind);
    this.closeAfter = !this.keepClient || !this.reqDone || kind === BODY_UNTIL_CLOSE || this.stopRequested || this.rt.stopping || !this.fe.live;
    const v10ka = this.v10 && !this.closeAfter;
    const avail = e - headEnd;
    if (kind === BODY_CHUNKED) {
      const fwd = (this.respChunked ??= new ChunkedForwarder());
      fwd.reset(this.v10 ? UNCHUNK : REFRAME);
      if (this.v10) this.closeAfter = true;
      const head = writeResponseHead(resp, this.closeAfter, false, 0).subarray(0, headLength);
      this.socket.cork();
      this.writeClient(head);
      this.socket.uncork();
      if (avail > 0) this.pumpResponse(src, headEnd, e);
      return;
    }
    let take = avail;
    if (kind === BODY_LENGTH) {
      take = Math.min(avail, resp.contentLength);
      this.respLeft = resp.contentLength - take;
    } else if (kind === BODY_NONE) {
      take = 0;
    }
    if (take < avail && kind !== BODY_TUNNEL) this.respJunk = true;
    const out = writeResponseHead(resp, kind === BODY_TUNNEL ? false : this.closeAfter, v10ka, take);
    const h = headLength;
    if (take > 0) src.copy(out, h, headEnd, headEnd + take);
    const ok = this.writeClient(out.subarray(0, h + take));
    if (kind === BODY_TUNNEL) {
      this.startTunnel();
      return;
    }
    if (!ok) this.pauseUpstream();
    if (kind === BODY_NONE || (kind === BODY_LENGTH && this.respLeft === 0)) this.endExchange(true, null);
  }

  private pumpResponse(buf: Buffer, start: number, end: number): void {
    const kind = this.respKind;
    let ok = true;
    if (kind === BODY_CHUNKED) {
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
    } else {
      let take = end - start;
      if (kind === BODY_LENGTH) {
        if (take > this.respLeft) {
          take = this.respLeft;
          this.respJunk = true;
        }
        this.respLeft -= take;
      }
      const copy = Buffer.allocUnsafe(take);
      buf.copy(copy, 0, start, start + take);
      ok = this.writeClient(copy);
      if (kind === BODY_LENGTH && this.respLeft === 0) {
        this.endExchange(true, null);
        return;
      }
    }
    if (!ok) this.pauseUpstream();
  }

  private startTunnel(): void {
    this.state = S_TUNNEL;
    this.deadline = this.tunnelDeadline();
    const up = this.up!;
    // Client bytes that followed the upgrade request belong to the tunnel.
    const p = this.pending;
    if (p !== null && this.pendingStart < p.length) up.socket.write(p.subarray(this.pendingStart));
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
      if (this.respKind === BODY_UNTIL_CLOSE) {
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
  private retry(failed: ServerEntry): boolean {
    const be = this.be!;
    if (this.attempts >= be.retries) return false;
    this.attempts++;
    this.unassign();
    const c = this.rt.counters;
    c.add(be.base, F.RETRIES, 1);
    c.add(failed.base, F.RETRIES, 1);
    const s = this.pick(failed);
    if (s === null) return false;
    if (s !== failed) {
      c.add(be.base, F.REDISPATCHES, 1);
      c.add(failed.base, F.REDISPATCHES, 1);
    }
    this.assign(s);
    return true;
  }

  /** Ends the request: counters, log, upstream back to the pool or closed, next request. */
  private endExchange(ok: boolean, reason: string | null): void {
    const c = this.rt.counters;
    const fe = this.fe;
    const be = this.be;
    const s = this.server;
    const up = this.up;
    this.up = null;
    if (up !== null) {
      up.owner = null;
      if (this.upPaused) up.socket.resume();
      if (ok && this.reqDone && !this.respJunk && this.resp !== null && this.resp.keepAlive && this.state !== S_TUNNEL) up.release();
      else up.destroy();
    }
    this.upPaused = false;
    const status = this.status;
    const elapsed = (performance.now() - this.t0) / 1000;
    if (status > 0) this.countStatus(status);
    c.add(fe.base, F.REQ_CUR, -1);
    if (be !== null) c.add(be.base, F.REQ_CUR, -1);
    if (s !== null) {
      s.active--;
      c.add(s.base, F.REQ_CUR, -1);
    }
    if (fe.accessLog) {
      this.rt.log.access({
        fe, be, server: s, routeGuid: this.routeGuid, client: this.clientAddr, method: this.method, target: this.target,
        status, bytesOut: this.bytesOut, ms: Math.round(elapsed * 1e6) / 1000, reason,
      });
    }
    this.inRequest = false;
    this.be = null;
    this.server = null;
    this.reqHead = null;
    if (this.state === S_TUNNEL || this.state === S_CLOSED) return;
    if (this.closeAfter) {
      this.finishClient();
      return;
    }
    this.state = S_HEAD;
    this.armHead(fe.timeouts.httpKeepAlive || fe.timeouts.httpRequest || fe.timeouts.client);
    this.resumeClient();
    if (this.pending !== null) {
      this.armHead(fe.timeouts.httpRequest || fe.timeouts.client);
      this.parseLoop();
    }
  }

  private countStatus(status: number): void {
    const c = this.rt.counters;
    const f = statusField(status);
    c.add(this.fe.base, f, 1);
    if (this.be !== null) c.add(this.be.base, f, 1);
    if (this.server !== null) c.add(this.server.base, f, 1);
  }

  // ------------------------------------------------------------------ timeouts, stop, close

  private armHead(ms: number): void {
    this.deadline = ms > 0 ? this.rt.sessions.now + ms : 0;
  }

  private clientDeadline(): number {
    const t = this.fe.timeouts.client;
    return t > 0 ? this.rt.sessions.now + t : 0;
  }

  private serverDeadline(): number {
    const t = this.be?.timeouts.server ?? 0;
    return t > 0 ? this.rt.sessions.now + t : 0;
  }

  private tunnelDeadline(): number {
    const t = this.be?.timeouts.tunnel || this.fe.timeouts.client;
    return t > 0 ? this.rt.sessions.now + t : 0;
  }

  expire(): void {
    switch (this.state) {
      case S_HEAD:
        if (this.pending !== null && this.pendingStart < this.pending.length) {
          this.rt.log.rejected(this.fe, this.clientAddr, 'PXY_ERR_HTTP_REQUEST_TIMEOUT', 408);
          this.countStatus(408);
          this.writeClient(localResponse(408, true));
          this.finishClient();
        } else {
          this.close('keep-alive timeout');
        }
        return;
      case S_CONNECTING: {
        const up = this.up!;
        this.dropUpstream();
        this.rt.counters.add(up.server.base, F.CONNECT_ERRORS, 1);
        this.rt.observeConnect(up.server, false, 'connect timeout');
        if (!this.retry(up.server)) this.failExchange(503, 'connect timeout');
        return;
      }
      case S_BODY:
        this.failExchange(408, 'client timeout');
        if ((this.state as number) !== S_CLOSED) this.close('client timeout');
        return;
      case S_WAIT:
        this.failExchange(504, 'server timeout');
        return;
      default:
        this.close('tunnel timeout');
    }
  }

  softStop(): void {
    this.stopRequested = true;
    if (this.state === S_HEAD && !this.inRequest && (this.pending === null || this.pendingStart >= this.pending.length)) this.close('soft stop');
  }

  /** Ends the client connection after what was written (the response said `connection: close`). */
  private finishClient(): void {
    this.state = S_CLOSED;
    this.deadline = 0;
    this.rt.sessions.delete(this);
    this.socket.end();
    // A client that never reads must not hold the connection open forever.
    this.socket.setTimeout(5000, () => this.socket.destroy());
  }

  close(_reason: string): void {
    this.state = S_CLOSED;
    this.deadline = 0;
    if (this.inRequest) {
      this.dropUpstream();
      this.endExchange(false, 'client closed');
    }
    this.rt.sessions.delete(this);
    if (!this.socket.destroyed) this.socket.destroy();
    if (!this.counted) {
      this.counted = true;
      this.rt.counters.add(this.fe.base, F.CONN_CUR, -1);
    }
  }
}
