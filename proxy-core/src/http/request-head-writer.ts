/**
 * Builds the request head sent upstream, in one Buffer, from a parsed client head:
 *   - request line `METHOD origin-form HTTP/1.1` (absolute-form is reduced to its path);
 *   - `Host` first, from the parsed host (the absolute-form authority when there was one);
 *   - every client field copied as bytes, in order, except hop-by-hop ones (Connection, Keep-Alive,
 *     Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade, and every field the Connection
 *     header names), Host, Content-Length, and the X-Forwarded-* fields the proxy sets;
 *   - X-Forwarded-For/-Proto/-Host/-Port per the frontend's mode: `append` extends the client's
 *     X-Forwarded-For and keeps its other X-Forwarded-*, `replace` drops the client's and sets the
 *     proxy's, `off` passes the client's through and adds none;
 *   - framing re-emitted from the parsed values (Content-Length N, or Transfer-Encoding: chunked),
 *     so no field named in Connection can remove it;
 *   - `Connection: upgrade` and the client's Upgrade when the data plane forwards a tunnel request;
 *   - Expect only when it is a valid HTTP/1.1 100-continue and the caller relays the upstream's 100.
 */
import { bytes, copyBytes, slabFor, slabOffset, takeFromSlab, writeCrlf, writeDecimal, writeLatin1 } from './byte-writer.ts';
import { BODY_CHUNKED, BODY_LENGTH } from './head-parser.ts';
import {
  H_EXPECT, H_HOST, H_OTHER, H_X_FORWARDED_FOR, H_X_FORWARDED_HOST, H_X_FORWARDED_PORT, H_X_FORWARDED_PROTO, HOP_BY_HOP, equalsLower,
} from './header-names.ts';
import { TARGET_ABSOLUTE, type RequestHeadParser } from './request-head-parser.ts';

/**
 * What happens to X-Forwarded-For/-Proto/-Host/-Port (`option forwardfor [append|replace|off]`):
 * `append` trusts the client's (extends its X-Forwarded-For, keeps its -Proto/-Host/-Port and fills
 * in the missing ones), `replace` drops the client's and sets the proxy's, `off` passes the
 * client's through untouched and adds none (HAProxy without `option forwardfor`).
 */
export type ForwardingMode = 'append' | 'replace' | 'off';

interface ForwardingOptions {
  readonly clientAddress: string;
  readonly proto: 'http' | 'https';
  readonly port: number;
}

/** What the proxy knows about a client connection; built once per connection, not per request. */
export class ForwardingContext {
  readonly mode: ForwardingMode;
  /** The client's X-Forwarded-* fields go upstream (`append` and `off`). */
  readonly keepsClientFields: boolean;
  /** The proxy writes X-Forwarded-* fields (`append` and `replace`). */
  readonly addsFields: boolean;
  /** The client address as X-Forwarded-For writes it (IPv4-mapped IPv6 addresses unwrapped). */
  readonly clientAddress: string;
  readonly proto: string;
  readonly port: string;
  /** `<address>\r\n`: the end of X-Forwarded-For. */
  readonly xffTail: Uint8Array;
  readonly protoLine: Uint8Array;
  readonly portLine: Uint8Array;
  /** X-Forwarded-For, -Proto and -Port lines for an untrusted client, precomputed once. */
  readonly untrustedLines: Uint8Array;

  /**
   * Preconditions: `clientAddress` is a socket's remoteAddress, `port` the local port of the
   * listener, `proto` 'http' or 'https'. None of them comes from request bytes.
   * `trustForwarded` is the older spelling of `append` (true) and `replace` (false), kept for
   * callers outside the proxy core (bench/).
   */
  constructor(opts: ForwardingOptions & ({ readonly forwarded: ForwardingMode } | { readonly trustForwarded: boolean })) {
    const a = opts.clientAddress;
    this.clientAddress = a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
    this.proto = opts.proto;
    this.port = String(opts.port);
    this.mode = 'forwarded' in opts ? opts.forwarded : opts.trustForwarded ? 'append' : 'replace';
    this.keepsClientFields = this.mode !== 'replace';
    this.addsFields = this.mode !== 'off';
    this.xffTail = bytes(`${this.clientAddress}\r\n`);
    this.protoLine = bytes(`X-Forwarded-Proto: ${this.proto}\r\n`);
    this.portLine = bytes(`X-Forwarded-Port: ${this.port}\r\n`);
    this.untrustedLines = bytes(`X-Forwarded-For: ${this.clientAddress}\r\nX-Forwarded-Proto: ${this.proto}\r\nX-Forwarded-Port: ${this.port}\r\n`);
  }
}

const SKIP_ALWAYS = (() => {
  const t = new Uint8Array(32);
  for (let id = 0; id < 32; id++) t[id] = HOP_BY_HOP[id]!;
  t[H_HOST] = 1;
  return t;
})();

const XFF = bytes('X-Forwarded-For: ');
const XFH = bytes('X-Forwarded-Host: ');
const VERSION_HOST = bytes(' HTTP/1.1\r\nHost: ');
const CONTENT_LENGTH = bytes('Content-Length: ');
const CHUNKED = bytes('Transfer-Encoding: chunked\r\n');
const UPGRADE = bytes('Connection: upgrade\r\nUpgrade: ');

/** Whether field `i` is named by one of the Connection options. */
function namedByConnection(req: RequestHeadParser, i: number, tokens: readonly string[]): boolean {
  const o = req.headerOffsets;
  const s = o[i * 4]!;
  const e = o[i * 4 + 1]!;
  for (let t = 0; t < tokens.length; t++) if (equalsLower(req.buf, s, e, tokens[t]!)) return true;
  return false;
}

/**
 * The upstream request head for `req` (a successfully parsed head whose buffer is still intact).
 * `tunnel`: forward the client's upgrade request (Connection: upgrade + Upgrade).
 * `keepExpect`: forward `Expect: 100-continue` (the data plane relays the upstream's 100); false
 * when the proxy answers 100 Continue itself. An Expect the parser ignored (HTTP/1.0) never goes
 * upstream, where HTTP/1.1 would give it meaning.
 */
export function buildRequestHead(req: RequestHeadParser, ctx: ForwardingContext, tunnel = false, keepExpect = true): Buffer {
  const src = req.buf;
  const o = req.headerOffsets;
  const ids = req.headerIds;
  const count = req.headerCount;
  const keep = ctx.keepsClientFields;
  const add = ctx.addsFields;
  const tokens = req.connectionTokens;

  // Host: the absolute-form authority, else the Host field, else empty (RFC 9112 §3.2).
  let hostStart = 0;
  let hostEnd = 0;
  if (req.targetForm === TARGET_ABSOLUTE) {
    hostStart = req.authorityStart;
    hostEnd = req.authorityEnd;
  } else if (req.hostIndex >= 0) {
    hostStart = o[req.hostIndex * 4 + 2]!;
    hostEnd = o[req.hostIndex * 4 + 3]!;
  }

  const headLen = req.headEnd - req.headStart;
  const out = slabFor(headLen + (hostEnd - hostStart) + ctx.clientAddress.length + ctx.port.length + 256);
  let w = writeLatin1(req.method, out, slabOffset());
  out[w++] = 0x20;
  const pathStart = req.pathStart;
  if (pathStart === req.targetEnd || src[pathStart] === 0x3f) out[w++] = 0x2f;
  w = copyBytes(src, pathStart, req.targetEnd, out, w);
  w = copyBytes(VERSION_HOST, 0, VERSION_HOST.length, out, w);
  w = copyBytes(src, hostStart, hostEnd, out, w);
  w = writeCrlf(out, w);

  // Copy runs of consecutive kept lines in one go; a field line runs to the next field's name.
  let xffCount = 0;
  let keptProto = false;
  let keptHost = false;
  let keptPort = false;
  let runStart = -1;
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    let skip = false;
    if (id !== H_OTHER) {
      if (SKIP_ALWAYS[id] === 1) skip = true;
      else if (id === H_X_FORWARDED_FOR) {
        // Rewritten as one field below when the proxy adds its own; copied in place for `off`.
        if (add) {
          skip = true;
          if (keep) xffCount++;
        }
      } else if (id >= H_X_FORWARDED_PROTO && id <= H_X_FORWARDED_PORT) skip = !keep;
      else if (id === H_EXPECT) skip = !keepExpect || !req.expectContinue;
    }
    // A field the client's Connection names is hop-by-hop whatever its name (RFC 9110 §7.6.1).
    if (!skip && tokens !== null && namedByConnection(req, i, tokens)) skip = true;
    if (skip) {
      if (runStart >= 0) {
        w = copyBytes(src, runStart, o[i * 4]!, out, w);
        runStart = -1;
      }
      continue;
    }
    if (id === H_X_FORWARDED_PROTO) keptProto = true;
    else if (id === H_X_FORWARDED_HOST) keptHost = true;
    else if (id === H_X_FORWARDED_PORT) keptPort = true;
    if (runStart < 0) runStart = o[i * 4]!;
  }
  // The last field line ends where the final CRLF of the head starts.
  if (runStart >= 0) w = copyBytes(src, runStart, req.headEnd - 2, out, w);

  if (!add) {
    // `off`: the client's X-Forwarded-* fields went out as they came; the proxy adds none.
  } else if (!keep) {
    // `replace`: one copy of lines computed when the connection was accepted.
    w = copyBytes(ctx.untrustedLines, 0, ctx.untrustedLines.length, out, w);
  } else {
    w = copyBytes(XFF, 0, XFF.length, out, w);
    if (xffCount > 0) {
      for (let i = 0; i < count; i++) {
        if (ids[i] !== H_X_FORWARDED_FOR || (tokens !== null && namedByConnection(req, i, tokens))) continue;
        const vs = o[i * 4 + 2]!;
        const ve = o[i * 4 + 3]!;
        if (ve === vs) continue;
        w = copyBytes(src, vs, ve, out, w);
        out[w++] = 0x2c;
        out[w++] = 0x20;
      }
    }
    w = copyBytes(ctx.xffTail, 0, ctx.xffTail.length, out, w);
    if (!keptProto) w = copyBytes(ctx.protoLine, 0, ctx.protoLine.length, out, w);
    if (!keptPort) w = copyBytes(ctx.portLine, 0, ctx.portLine.length, out, w);
  }
  if (add && !keptHost && hostEnd > hostStart) {
    w = copyBytes(XFH, 0, XFH.length, out, w);
    w = copyBytes(src, hostStart, hostEnd, out, w);
    w = writeCrlf(out, w);
  }

  if (req.bodyKind === BODY_LENGTH) {
    w = copyBytes(CONTENT_LENGTH, 0, CONTENT_LENGTH.length, out, w);
    w = writeDecimal(req.contentLength, out, w);
    w = writeCrlf(out, w);
  } else if (req.bodyKind === BODY_CHUNKED) {
    w = copyBytes(CHUNKED, 0, CHUNKED.length, out, w);
  }
  if (tunnel && req.upgrade) {
    w = copyBytes(UPGRADE, 0, UPGRADE.length, out, w);
    w = copyBytes(src, o[req.upgradeIndex * 4 + 2]!, o[req.upgradeIndex * 4 + 3]!, out, w);
    w = writeCrlf(out, w);
  }
  w = writeCrlf(out, w);
  return takeFromSlab(w);
}
