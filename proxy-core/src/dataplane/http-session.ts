/**
 * One client connection of a `mode http` frontend: requests are parsed in place, routed and handed
 * to the upstream half (http-exchange.ts); request bodies stream upstream with backpressure.
 * Requests are handled one at a time (pipelined ones wait in `pending`), so responses go out in
 * order. Timeouts are deadlines checked by the worker's sweeper; soft stop closes idle connections
 * and ends busy ones after their response.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { REFRAME, ChunkedForwarder } from '../http/chunked-forwarder.ts';
import { BODY_CHUNKED, BODY_LENGTH, BODY_NONE, NEED_MORE, REJECTED } from '../http/head-parser.ts';
import { HTTP_ERRORS, type HttpErrorCode } from '../http/http-errors.ts';
import { TARGET_ABSOLUTE } from '../http/request-head-parser.ts';
import { ForwardingContext, buildRequestHead } from '../http/request-head-writer.ts';
import { cannedResponse } from '../http/canned-responses.ts';
import { F } from '../stats/counters.ts';
import { HttpExchange, S_BODY, S_CLOSED, S_CONNECTING, S_HEAD, S_TUNNEL, S_WAIT } from './http-exchange.ts';
import type { PlaneRuntime, Session } from './runtime.ts';
import type { FrontendEntry } from './tables.ts';

/** Unparsed client bytes held while a request is in flight; above it the client is paused. */
const MAX_PENDING = 64 * 1024;

export class HttpSession extends HttpExchange implements Session {

  /**
   * `sharedReads`: the socket reads into the worker's shared buffer and the caller forwards each
   * read to `onRead` (plain TCP listeners); otherwise the session listens to `data` (TLS).
   */
  constructor(rt: PlaneRuntime, socket: Socket, fe: FrontendEntry, secure: boolean, sharedReads = false) {
    super(rt, socket, fe, secure);
    rt.counters.add(fe.base, F.CONN_CUR, 1);
    rt.counters.add(fe.base, F.CONN_TOTAL, 1);
    rt.sessions.add(this);
    this.armHead(fe.timeouts.httpRequest || fe.timeouts.client);
    if (!sharedReads) socket.on('data', (d: Buffer) => this.onData(d, false));
    socket.on('drain', () => this.onClientDrain());
    socket.on('end', () => this.onClientEnd());
    socket.on('error', () => this.close('client error'));
    socket.on('close', () => this.close('client closed'));
  }

  /** A read into the worker's shared buffer: `buf[0, n)` is valid only during this call. */
  onRead(n: number, buf: Buffer): void {
    this.onData(buf.subarray(0, n), true);
  }

  /**
   * Client bytes. When `shared`, `d` views the worker's shared read buffer: it is parsed in place,
   * and whatever must outlive this call (a partial head, pipelined requests, body bytes handed to
   * a socket write) is copied first.
   */
  private onData(d: Buffer, shared: boolean): void {
    this.rt.counters.add(this.fe.base, F.BYTES_IN, d.length);
    if (this.state === S_TUNNEL) {
      this.deadline = this.tunnelDeadline();
      const up = this.up;
      if (up !== null && !up.socket.write(shared ? Buffer.from(d) : d)) this.pauseClient();
      return;
    }
    const p = this.pending;
    const inPlace = this.state === S_HEAD || this.state === S_BODY;
    if (p === null || this.pendingStart >= p.length) {
      if (this.state === S_HEAD && !this.inRequest) this.armHead(this.fe.timeouts.httpRequest || this.fe.timeouts.client);
      this.pending = shared && !inPlace ? Buffer.from(d) : d;
      this.pendingStart = 0;
      this.pendingShared = shared && inPlace;
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
    if (this.pendingShared) {
      // The shared buffer is overwritten by the next read: keep a copy of what is left.
      this.pendingShared = false;
      const left = this.pending;
      if (left === d) this.pending = this.pendingStart < left.length ? Buffer.from(left.subarray(this.pendingStart)) : null;
      if (left === d) this.pendingStart = 0;
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
    this.writeClient(cannedResponse(status, true));
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
    // the writer may have posted changes this worker has not applied yet: routes see them all
    rt.gate.sync();
    let beName = fe.defaultBackend;
    this.routeGuid = null;
    if (fe.routes !== null) {
      const r = fe.routes.table.lookup(p.host, target);
      // A route to an unpublished backend is ignored, as HAProxy ignores a switching rule naming
      // one: the next rule, the default backend, applies.
      if (r.kind === 'route' && rt.tables.backends.get(r.backend)?.published !== false) {
        beName = r.backend;
        this.routeGuid = r.guid ?? null;
      }
    }
    this.pendingStart = headEnd;
    if (beName === null) return this.localAnswer(404, 'no route');
    const be = rt.tables.backends.get(beName);
    if (be === undefined || !be.live || !be.published) return this.localAnswer(503, 'no such backend');
    this.be = be;
    this.captureHashHeader(be);
    c.add(be.base, F.REQ_TOTAL, 1);
    c.add(be.base, F.REQ_CUR, 1);
    // Once per connection; again only if the frontend's mode changed under a kept-alive connection.
    let fw = this.fw;
    if (fw === null || fw.mode !== fe.forwarded) {
      fw = this.fw = new ForwardingContext({
        clientAddress: this.clientAddr, proto: this.secure ? 'https' : 'http', port: this.socket.localPort ?? 0, forwarded: fe.forwarded,
      });
    }
    this.reqHead = buildRequestHead(p, fw, p.upgrade);
    const s = this.choose(null);
    if (s === null) return this.localAnswer(503, 'no server available');
    this.assign(s);
  }

  /** Forwards the request body bytes held in `pending`; moves to S_WAIT when the body is complete. */
  protected pumpBody(): void {
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
          const slice = start === 0 && n === end ? buf : buf.subarray(start, start + n);
          // A write may keep its buffer until the kernel takes it: never hand it the shared one.
          ok = up.socket.write(this.pendingShared ? Buffer.from(slice) : slice);
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

  protected pauseClient(): void {
    if (this.clientPaused) return;
    this.clientPaused = true;
    this.socket.pause();
  }

  protected resumeClient(): void {
    if (!this.clientPaused) return;
    this.clientPaused = false;
    this.socket.resume();
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

  protected writeClient(b: Buffer): boolean {
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
    this.writeClient(cannedResponse(status, this.closeAfter));
    this.endExchange(false, reason);
  }

  /** The exchange failed: an answer if nothing was sent yet, else the client connection is cut. */
  protected failExchange(status: number, reason: string): void {
    this.dropUpstream();
    if (!this.respHeadDone) {
      this.localAnswer(status, reason);
      return;
    }
    this.rt.log.upstream(this.fe, this.be, this.server, reason, this.status);
    this.endExchange(false, reason);
    this.close(reason);
  }

  /** Ends the request: counters, log, upstream back to the pool or closed, next request. */
  protected endExchange(ok: boolean, reason: string | null): void {
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
    if (status > 0) this.countStatus(status);
    c.add(fe.base, F.REQ_CUR, -1);
    if (be !== null) c.add(be.base, F.REQ_CUR, -1);
    if (s !== null) {
      s.backend.balancer.onEnd(s);
      c.add(s.base, F.REQ_CUR, -1);
    }
    if (fe.accessLog) {
      this.rt.log.access({
        fe, be, server: s, routeGuid: this.routeGuid, client: this.clientAddr, method: this.method, target: this.target,
        status, bytesOut: this.bytesOut, ms: Math.round((performance.now() - this.t0) * 1000) / 1000, reason,
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

  private armHead(ms: number): void {
    this.deadline = ms > 0 ? this.rt.sessions.now + ms : 0;
  }

  expire(): void {
    switch (this.state) {
      case S_HEAD:
        if (this.pending !== null && this.pendingStart < this.pending.length) {
          this.rt.log.rejected(this.fe, this.clientAddr, 'PXY_ERR_HTTP_REQUEST_TIMEOUT', 408);
          this.countStatus(408);
          this.writeClient(cannedResponse(408, true));
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
