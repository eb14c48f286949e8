/**
 * Builds the response head sent to the client, in one Buffer, optionally followed by the first
 * body bytes: one socket write for a small response (head and body corked together was the largest
 * single win of the prototype proxy this design follows).
 *
 * Hop-by-hop fields (and every field the upstream's Connection names) are dropped; framing and
 * connection fields are re-emitted for the client, whose HTTP version decides how a body of
 * unknown length travels.
 */
import { bytes, copyBytes, slabFor, slabOffset, takeFromSlab, writeCrlf, writeDecimal } from './byte-writer.ts';
import { BODY_CHUNKED, BODY_LENGTH, BODY_NONE, BODY_TUNNEL, BODY_UNTIL_CLOSE } from './head-parser.ts';
import { HOP_BY_HOP, H_OTHER, equalsLower } from './header-names.ts';
import type { ResponseHeadParser } from './response-head-parser.ts';

/** No body follows. */
export const PLAN_NONE = 0;
/** Copy `contentLength` bytes. */
export const PLAN_LENGTH = 1;
/** Chunked from the upstream, chunked to the client: ChunkedForwarder in REFRAME mode. */
export const PLAN_RECHUNK = 2;
/** Until-close from the upstream, chunked to an HTTP/1.1 client: `encodeChunk` each read, LAST_CHUNK at the end. */
export const PLAN_CHUNK_ENCODE = 3;
/** To an HTTP/1.0 client: raw data (ChunkedForwarder UNCHUNK mode for a chunked upstream), then close. */
export const PLAN_RAW_THEN_CLOSE = 4;
/** 101: two-way tunnel after the head. */
export const PLAN_TUNNEL = 5;

export type BodyPlan = typeof PLAN_NONE | typeof PLAN_LENGTH | typeof PLAN_RECHUNK | typeof PLAN_CHUNK_ENCODE | typeof PLAN_RAW_THEN_CLOSE | typeof PLAN_TUNNEL;

/** How the body of `res` travels to a client speaking HTTP/1.`clientMinor`. */
export function planResponseBody(res: ResponseHeadParser, clientMinor: number): BodyPlan {
  switch (res.bodyKind) {
    case BODY_NONE: return PLAN_NONE;
    case BODY_LENGTH: return PLAN_LENGTH;
    case BODY_CHUNKED: return clientMinor === 1 ? PLAN_RECHUNK : PLAN_RAW_THEN_CLOSE;
    case BODY_UNTIL_CLOSE: return clientMinor === 1 ? PLAN_CHUNK_ENCODE : PLAN_RAW_THEN_CLOSE;
    case BODY_TUNNEL: return PLAN_TUNNEL;
  }
}

const STATUS_DIGITS = (() => {
  const t: Uint8Array[] = [];
  for (let s = 100; s < 600; s++) t[s] = bytes(`HTTP/1.1 ${s} `);
  return t;
})();
const CONTENT_LENGTH = bytes('Content-Length: ');
const CHUNKED = bytes('Transfer-Encoding: chunked\r\n');
const UPGRADE = bytes('Connection: upgrade\r\nUpgrade: ');
const CLOSE = bytes('Connection: close\r\n');
const KEEP_ALIVE = bytes('Connection: keep-alive\r\n');

/**
 * The client's response head for `res` (a successfully parsed head whose buffer is still intact).
 * `close`: the proxy closes the client connection after this response (the client asked, the plan
 * needs it, or the proxy is stopping). `body[bodyStart, bodyEnd)`, when given, is appended after
 * the head so that a small response leaves in one write.
 */
export function buildResponseHead(
  res: ResponseHeadParser, plan: BodyPlan, clientMinor: number, close: boolean,
  body?: Uint8Array, bodyStart = 0, bodyEnd = body ? body.length : 0,
): Buffer {
  const src = res.buf;
  const o = res.headerOffsets;
  const ids = res.headerIds;
  const count = res.headerCount;
  const tokens = res.connectionTokens;
  const bodyLen = body ? bodyEnd - bodyStart : 0;
  const out = slabFor(res.headEnd - res.headStart + 128 + bodyLen);

  const statusLine = STATUS_DIGITS[res.status]!;
  let w = copyBytes(statusLine, 0, statusLine.length, out, slabOffset());
  w = copyBytes(src, res.reasonStart, res.reasonEnd, out, w);
  w = writeCrlf(out, w);

  let runStart = -1;
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    let skip = id !== H_OTHER && HOP_BY_HOP[id] === 1;
    if (!skip && tokens !== null) {
      for (let t = 0; t < tokens.length; t++) {
        if (equalsLower(src, o[i * 4]!, o[i * 4 + 1]!, tokens[t]!)) {
          skip = true;
          break;
        }
      }
    }
    if (skip) {
      if (runStart >= 0) {
        w = copyBytes(src, runStart, o[i * 4]!, out, w);
        runStart = -1;
      }
    } else if (runStart < 0) {
      runStart = o[i * 4]!;
    }
  }
  if (runStart >= 0) w = copyBytes(src, runStart, res.headEnd - 2, out, w);

  switch (plan) {
    case PLAN_LENGTH:
      w = copyBytes(CONTENT_LENGTH, 0, CONTENT_LENGTH.length, out, w);
      w = writeDecimal(res.contentLength, out, w);
      w = writeCrlf(out, w);
      break;
    case PLAN_NONE:
      // HEAD and 304 carry the length the body would have had (RFC 9110 §8.6); 1xx and 204 never do.
      if (res.lengthIndex >= 0 && res.status >= 200 && res.status !== 204) {
        w = copyBytes(CONTENT_LENGTH, 0, CONTENT_LENGTH.length, out, w);
        w = writeDecimal(res.contentLength, out, w);
        w = writeCrlf(out, w);
      }
      break;
    case PLAN_RECHUNK:
    case PLAN_CHUNK_ENCODE:
      w = copyBytes(CHUNKED, 0, CHUNKED.length, out, w);
      break;
    case PLAN_TUNNEL:
      w = copyBytes(UPGRADE, 0, UPGRADE.length, out, w);
      w = copyBytes(src, o[res.upgradeIndex * 4 + 2]!, o[res.upgradeIndex * 4 + 3]!, out, w);
      w = writeCrlf(out, w);
      break;
  }
  if (plan !== PLAN_TUNNEL && !res.interim) {
    if (close || plan === PLAN_RAW_THEN_CLOSE) w = copyBytes(CLOSE, 0, CLOSE.length, out, w);
    else if (clientMinor === 0) w = copyBytes(KEEP_ALIVE, 0, KEEP_ALIVE.length, out, w);
  }
  w = writeCrlf(out, w);
  if (body && bodyLen > 0) w = copyBytes(body, bodyStart, bodyEnd, out, w);
  return takeFromSlab(w);
}
