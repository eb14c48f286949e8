/**
 * Size limits of the HTTP/1.1 parsers. The defaults follow HAProxy (a 16 KiB buffer holds the whole
 * head, 101 header fields) and nginx (8 KiB for one line, 414 for a request line over it).
 */
export interface HttpLimits {
  /** Request line bytes without CRLF; over it: 414. */
  readonly maxRequestLineBytes: number;
  /** One header field line without CRLF; over it: 431. */
  readonly maxHeaderLineBytes: number;
  /** The whole head (start line, fields, CRLFs, final CRLF); over it: 431 (414 while still in the request line). */
  readonly maxHeadBytes: number;
  /** Header fields in one head; over it: 431. */
  readonly maxHeaders: number;
  /** A chunk-size line with its extensions, without CRLF. */
  readonly maxChunkLineBytes: number;
  /** The whole trailer section of a chunked body. */
  readonly maxTrailerBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  maxRequestLineBytes: 8192,
  maxHeaderLineBytes: 8192,
  maxHeadBytes: 16384,
  maxHeaders: 100,
  maxChunkLineBytes: 4096,
  maxTrailerBytes: 8192,
});

const FLOORS: Readonly<Record<keyof HttpLimits, number>> = {
  maxRequestLineBytes: 64,
  maxHeaderLineBytes: 64,
  maxHeadBytes: 256,
  maxHeaders: 8,
  maxChunkLineBytes: 32,
  maxTrailerBytes: 64,
};

/**
 * The defaults overridden by `overrides`. Throws a RangeError naming the limit when a value is not
 * an integer between its floor and 16 MiB (a limit below the floor would reject ordinary traffic).
 */
export function httpLimits(overrides: Partial<HttpLimits> = {}): HttpLimits {
  const out: Record<keyof HttpLimits, number> = { ...DEFAULT_HTTP_LIMITS };
  for (const key of Object.keys(FLOORS) as (keyof HttpLimits)[]) {
    const v = overrides[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < FLOORS[key] || v > 16 * 1024 * 1024) {
      throw new RangeError(`${key} must be an integer between ${FLOORS[key]} and 16777216, got ${v}`);
    }
    out[key] = v;
  }
  return Object.freeze(out);
}
