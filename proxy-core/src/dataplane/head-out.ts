/**
 * The heads the proxy writes, built as bytes straight from a parsed head: runs of header lines
 * that are kept are copied with one native copy each; hop-by-hop fields (and the ones the
 * Connection header names) are dropped; framing and connection fields are written from the parsed
 * values; X-Forwarded-* follow the frontend's mode. One Buffer per head, with room reserved after
 * it so the caller can put the first body bytes in the same write.
 */
import { BODY_CHUNKED, BODY_LENGTH, BODY_TUNNEL, type HeadParser } from '../http/head-parser.ts';
import {
  H_OTHER, H_X_FORWARDED_FOR, H_X_FORWARDED_PORT, HOP_BY_HOP, equalsLower,
} from '../http/header-names.ts';
import type { RequestHeadParser } from '../http/request-head-parser.ts';
import type { ForwardedMode } from './records.ts';
import type { ResponseHeadParser } from './response-head-seam.ts';

const HTTP11_CRLF = Buffer.from(' HTTP/1.1\r\n', 'latin1');
const HTTP11 = Buffer.from('HTTP/1.1', 'latin1');
const CONTENT_LENGTH = Buffer.from('content-length: ', 'latin1');
const TE_CHUNKED = Buffer.from('transfer-encoding: chunked\r\n', 'latin1');
const CONN_CLOSE = Buffer.from('connection: close\r\n', 'latin1');
const CONN_KEEP_ALIVE = Buffer.from('connection: keep-alive\r\n', 'latin1');
const CONN_UPGRADE = Buffer.from('connection: upgrade\r\n', 'latin1');
const XFH = Buffer.from('x-forwarded-host: ', 'latin1');
/** Room for the fields we add beyond the copied bytes (framing, connection, the fixed X-F-* lines). */
const SLACK = 160;

/** Per client connection: the X-Forwarded-* bytes that do not change between its requests. */
export class ForwardedHeaders {
  readonly mode: ForwardedMode;
  /** `x-forwarded-for: <addr>\r\n` */
  readonly forLine: Buffer;
  /** `x-forwarded-proto: …\r\nx-forwarded-port: …\r\n` */
  readonly protoPortLines: Buffer;

  constructor(mode: ForwardedMode, clientAddr: string, secure: boolean, localPort: number) {
    this.mode = mode;
    this.forLine = Buffer.from(`x-forwarded-for: ${clientAddr}\r\n`, 'latin1');
    this.protoPortLines = Buffer.from(`x-forwarded-proto: ${secure ? 'https' : 'http'}\r\nx-forwarded-port: ${localPort}\r\n`, 'latin1');
  }
}

/** Length of the head written by the last call of a writer (the rest of the Buffer is free room). */
export let headLength = 0;

function isXForwarded(id: number): boolean {
  return id >= H_X_FORWARDED_FOR && id <= H_X_FORWARDED_PORT;
}

/** Whether header `i` is named by a Connection option (a hop-by-hop field of the sender's choosing). */
function namedByConnection(p: HeadParser, i: number): boolean {
  const tokens = p.connectionTokens;
  if (tokens === null) return false;
  const o = p.headerOffsets;
  for (const t of tokens) if (equalsLower(p.buf, o[i * 4]!, o[i * 4 + 1]!, t)) return true;
  return false;
}

/** Copies the kept header lines of `p` to `out[at]`; returns the position after them. */
function copyFields(p: HeadParser, out: Buffer, at: number, drop: (p: HeadParser, i: number, id: number) => boolean): number {
  const src = p.buf as Buffer;
  const o = p.headerOffsets;
  const ids = p.headerIds;
  const n = p.headerCount;
  let pos = at;
  let run = -1;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    const dropIt = HOP_BY_HOP[id] === 1 || (id === H_OTHER ? namedByConnection(p, i) : drop(p, i, id));
    if (dropIt) {
      if (run >= 0) {
        pos += src.copy(out, pos, run, o[i * 4]!);
        run = -1;
      }
    } else if (run < 0) {
      run = o[i * 4]!;
    }
  }
  // The last field line ends where the head's final CRLF begins.
  if (run >= 0) pos += src.copy(out, pos, run, p.headEnd - 2);
  return pos;
}

function writeBytes(out: Buffer, at: number, b: Buffer): number {
  return at + b.copy(out, at);
}

function writeLength(out: Buffer, at: number, n: number): number {
  let pos = writeBytes(out, at, CONTENT_LENGTH);
  let digits = 1;
  for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
  let p = pos + digits;
  for (let v = n; p > pos; v = Math.floor(v / 10)) out[--p] = 0x30 + (v % 10);
  pos += digits;
  out[pos++] = 0x0d;
  out[pos++] = 0x0a;
  return pos;
}

/** Copies field `i`'s whole line (name, value) and a CRLF. */
function copyLine(p: HeadParser, out: Buffer, at: number, i: number): number {
  const o = p.headerOffsets;
  let pos = at + (p.buf as Buffer).copy(out, at, o[i * 4]!, o[i * 4 + 3]!);
  out[pos++] = 0x0d;
  out[pos++] = 0x0a;
  return pos;
}

let fwMode: ForwardedMode = 'off';
function dropRequestField(_p: HeadParser, _i: number, id: number): boolean {
  if (!isXForwarded(id) || fwMode === 'off') return false;
  return fwMode === 'replace' || id !== H_X_FORWARDED_FOR;
}

/**
 * The request head to send upstream, in a Buffer with `reserve` free bytes after it.
 * Sets `headLength`.
 */
export function writeRequestHead(p: RequestHeadParser, fw: ForwardedHeaders, reserve: number): Buffer {
  const src = p.buf as Buffer;
  let lineStart = p.headStart;
  while (src[lineStart] === 0x0d) lineStart += 2; // empty lines before the request line
  const out = Buffer.allocUnsafe(p.headEnd - lineStart + SLACK + fw.forLine.length + (p.host.length + 20) + reserve);
  let pos = src.copy(out, 0, lineStart, p.targetEnd);
  pos = writeBytes(out, pos, HTTP11_CRLF);
  fwMode = fw.mode;
  pos = copyFields(p, out, pos, dropRequestField);
  if (p.bodyKind === BODY_LENGTH) pos = writeLength(out, pos, p.contentLength);
  else if (p.bodyKind === BODY_CHUNKED) pos = writeBytes(out, pos, TE_CHUNKED);
  if (p.upgrade) {
    pos = copyLine(p, out, pos, p.upgradeIndex);
    pos = writeBytes(out, pos, CONN_UPGRADE);
  }
  if (fw.mode !== 'off') {
    pos = writeBytes(out, pos, fw.forLine);
    pos = writeBytes(out, pos, fw.protoPortLines);
    if (p.hostIndex >= 0) {
      const o = p.headerOffsets;
      pos = writeBytes(out, pos, XFH);
      pos += src.copy(out, pos, o[p.hostIndex * 4 + 2]!, o[p.hostIndex * 4 + 3]!);
      out[pos++] = 0x0d;
      out[pos++] = 0x0a;
    }
  }
  out[pos++] = 0x0d;
  out[pos++] = 0x0a;
  headLength = pos;
  return out;
}

/** Finds the Upgrade field of a response (101), or -1. */
function upgradeField(p: HeadParser): number {
  const o = p.headerOffsets;
  for (let i = 0; i < p.headerCount; i++) if (equalsLower(p.buf, o[i * 4]!, o[i * 4 + 1]!, 'upgrade')) return i;
  return -1;
}

function keepAll(): boolean {
  return false;
}

/**
 * The response head to send to the client, in a Buffer with `reserve` free bytes after it.
 * `close`: announce `connection: close`; `clientV10KeepAlive`: an HTTP/1.0 client that keeps the
 * connection needs `connection: keep-alive`. Sets `headLength`.
 */
export function writeResponseHead(p: ResponseHeadParser, close: boolean, clientV10KeepAlive: boolean, reserve: number): Buffer {
  const src = p.buf as Buffer;
  const out = Buffer.allocUnsafe(p.headEnd - p.headStart + SLACK + reserve);
  let pos = writeBytes(out, 0, HTTP11);
  pos += src.copy(out, pos, p.headStart + 8, p.statusLineEnd);
  out[pos++] = 0x0d;
  out[pos++] = 0x0a;
  pos = copyFields(p, out, pos, keepAll);
  const kind = p.bodyKind;
  if (kind === BODY_LENGTH || (p.hasContentLength && (p.requestWasHead || p.status === 304))) pos = writeLength(out, pos, p.contentLength);
  else if (kind === BODY_CHUNKED) pos = writeBytes(out, pos, TE_CHUNKED);
  if (kind === BODY_TUNNEL) {
    const u = upgradeField(p);
    if (u >= 0) pos = copyLine(p, out, pos, u);
    pos = writeBytes(out, pos, CONN_UPGRADE);
  } else if (close) {
    pos = writeBytes(out, pos, CONN_CLOSE);
  } else if (clientV10KeepAlive) {
    pos = writeBytes(out, pos, CONN_KEEP_ALIVE);
  }
  out[pos++] = 0x0d;
  out[pos++] = 0x0a;
  headLength = pos;
  return out;
}
