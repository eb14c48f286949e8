/**
 * Byte classes of RFC 9110/9112 as 256-entry lookup tables: the parsers test one byte with one
 * indexed load instead of a chain of comparisons or a regular expression.
 */

function table(accept: (b: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = accept(b) ? 1 : 0;
  return t;
}

const TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

function isAlnum(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/** tchar (RFC 9110 §5.6.2): header names, methods, transfer codings, Connection options. */
export const TCHAR = table((b) => isAlnum(b) || TCHAR_SYMBOLS.includes(String.fromCharCode(b)));

/**
 * field-value bytes (RFC 9110 §5.5): VCHAR, obs-text, SP and HTAB. Everything else (NUL, CR, LF,
 * other controls, DEL) is rejected inside a value.
 */
export const FIELD_VALUE = table((b) => b === 0x09 || (b >= 0x20 && b !== 0x7f));

/**
 * request-target bytes: visible ASCII except `#` (a fragment is never sent on the wire, and a proxy
 * that forwards one invites path confusion). obs-text, controls and spaces are rejected.
 */
export const TARGET = table((b) => b >= 0x21 && b <= 0x7e && b !== 0x23);

/** uri-host [ ":" port ] bytes (RFC 3986 reg-name, IP literals, pct-encoding). */
export const HOST = table((b) => isAlnum(b) || "-._~!$&'()*+,;=%:[]".includes(String.fromCharCode(b)));

/** reason-phrase bytes (RFC 9112 §4): HTAB, SP, VCHAR, obs-text. */
export const REASON = FIELD_VALUE;

/** Hex digit value, or 255 for a byte that is not a hex digit. */
export const HEX_VALUE = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let d = 0; d < 10; d++) t[0x30 + d] = d;
  for (let d = 0; d < 6; d++) {
    t[0x41 + d] = 10 + d;
    t[0x61 + d] = 10 + d;
  }
  return t;
})();

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const SEMICOLON = 0x3b;
