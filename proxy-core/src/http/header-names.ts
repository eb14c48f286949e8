/**
 * The header names the proxy interprets, recognised from the bytes without building a string. Every
 * other header is carried as offsets and copied as bytes.
 */

export const H_OTHER = 0;
export const H_HOST = 1;
export const H_CONTENT_LENGTH = 2;
export const H_TRANSFER_ENCODING = 3;
export const H_CONNECTION = 4;
export const H_KEEP_ALIVE = 5;
export const H_PROXY_CONNECTION = 6;
export const H_TE = 7;
export const H_TRAILER = 8;
export const H_UPGRADE = 9;
export const H_EXPECT = 10;
export const H_X_FORWARDED_FOR = 11;
export const H_X_FORWARDED_PROTO = 12;
export const H_X_FORWARDED_HOST = 13;
export const H_X_FORWARDED_PORT = 14;
/**
 * A name that spells an interpreted one with `_` for `-` (`Content_Length`, `X_Forwarded_For`):
 * some back ends (CGI-style environments) read it as the dashed field, so the proxy never forwards
 * it, as nginx drops names with underscores by default.
 */
export const H_UNDERSCORE_TWIN = 15;

const NAMES: readonly (readonly [number, string])[] = [
  [H_HOST, 'host'],
  [H_CONTENT_LENGTH, 'content-length'],
  [H_TRANSFER_ENCODING, 'transfer-encoding'],
  [H_CONNECTION, 'connection'],
  [H_KEEP_ALIVE, 'keep-alive'],
  [H_PROXY_CONNECTION, 'proxy-connection'],
  [H_TE, 'te'],
  [H_TRAILER, 'trailer'],
  [H_UPGRADE, 'upgrade'],
  [H_EXPECT, 'expect'],
  [H_X_FORWARDED_FOR, 'x-forwarded-for'],
  [H_X_FORWARDED_PROTO, 'x-forwarded-proto'],
  [H_X_FORWARDED_HOST, 'x-forwarded-host'],
  [H_X_FORWARDED_PORT, 'x-forwarded-port'],
];

/**
 * Connection-level headers (RFC 9110 §7.6.1) that never cross the proxy as received. Framing
 * headers are in the set too: the writers emit framing from the parsed values, never by copy.
 */
export const HOP_BY_HOP = (() => {
  const t = new Uint8Array(32);
  for (const id of [H_CONTENT_LENGTH, H_TRANSFER_ENCODING, H_CONNECTION, H_KEEP_ALIVE, H_PROXY_CONNECTION, H_TE, H_TRAILER, H_UPGRADE, H_UNDERSCORE_TWIN]) t[id] = 1;
  return t;
})();

interface Candidate {
  readonly id: number;
  readonly lower: Uint8Array;
}

const MAX_KNOWN_LENGTH = 17;
const BY_LENGTH: Candidate[][] = Array.from({ length: MAX_KNOWN_LENGTH + 1 }, () => []);
for (const [id, name] of NAMES) BY_LENGTH[name.length]!.push({ id, lower: Buffer.from(name, 'latin1') });

/**
 * The id of the header name in `buf[start, end)`, or H_OTHER.
 * Precondition: the bytes are tchar (validated by the caller). For tchar, `b | 0x20` equals a
 * lower-case letter only when `b` is that letter in either case, so the comparison is exact.
 */
export function headerId(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len > MAX_KNOWN_LENGTH) return H_OTHER;
  const cands = BY_LENGTH[len]!;
  for (let c = 0; c < cands.length; c++) {
    const cand = cands[c]!;
    const lower = cand.lower;
    let i = 0;
    let twin = false;
    while (i < len) {
      const b = buf[start + i]!;
      const l = lower[i]!;
      if ((b | 0x20) !== l) {
        if (b !== 0x5f || l !== 0x2d) break;
        twin = true;
      }
      i++;
    }
    if (i === len) return twin ? H_UNDERSCORE_TWIN : cand.id;
  }
  return H_OTHER;
}

/** Case-insensitive comparison of `buf[start, end)` with a lower-case ASCII string. */
export function equalsLower(buf: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const b = buf[start + i]!;
    const l = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
    if (l !== lower.charCodeAt(i)) return false;
  }
  return true;
}
