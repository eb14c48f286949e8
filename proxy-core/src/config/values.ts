/** Value parsers shared by the configuration and the runtime commands. Pure. */

const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * HAProxy's time format: an unsigned integer with an optional unit (us, ms, s, m, h, d; default
 * ms). Returns milliseconds, or an error text naming the first unexpected character.
 */
export function parseDuration(text: string): { ms: number } | { error: string } {
  const d = parseExactDuration(text);
  return 'error' in d ? d : { ms: Math.ceil(d.ms) };
}

/** As parseDuration, without rounding up to a whole millisecond (for delays given in `us`). */
export function parseExactDuration(text: string): { ms: number } | { error: string } {
  const m = /^([0-9]+)(.*)$/.exec(text);
  if (m === null) return { error: text === '' ? 'empty value' : `unexpected character '${text[0] ?? ''}'` };
  const unit = m[2] ?? '';
  const mult = unit === '' ? 1 : TIME_UNITS[unit];
  if (mult === undefined) return { error: `unexpected character '${unit[0] ?? ''}'` };
  const ms = Number(m[1]) * mult;
  if (ms > 2_147_483_647) return { error: 'timer overflow (the maximum is 2147483647 ms, about 24.8 days)' };
  return { ms };
}

/** A strict unsigned decimal integer, else null. */
export function parseUint(text: string): number | null {
  if (!/^[0-9]+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** HAProxy's `invalid_char()` for object names: the first char outside [A-Za-z0-9._:-], or null. */
export function invalidNameChar(name: string): string | null {
  const m = /[^A-Za-z0-9._:-]/.exec(name);
  return m === null ? null : (m[0] as string);
}

export interface Address {
  readonly host: string;
  readonly port: number;
  readonly family: 0 | 4 | 6;
}

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

function looksIpv6(h: string): boolean {
  return h.includes(':') && /^[0-9a-fA-F:.]+$/.test(h);
}

/**
 * `<host>[:port]`, `[<ipv6>][:port]`, `ipv4@…`/`ipv6@…` prefixes, `*` or empty host for any.
 * `portRequired` for `bind`. Returns null when the text cannot be an address.
 */
export function parseAddress(text: string, portRequired: boolean): Address | null {
  let t = text;
  if (t.startsWith('ipv4@') || t.startsWith('ipv6@')) t = t.slice(5);
  let host: string;
  let portText: string | null = null;
  if (t.startsWith('[')) {
    const end = t.indexOf(']');
    if (end < 0) return null;
    host = t.slice(1, end);
    const rest = t.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return null;
      portText = rest.slice(1);
    }
  } else {
    const colon = t.lastIndexOf(':');
    const firstColon = t.indexOf(':');
    if (colon >= 0 && colon === firstColon) {
      host = t.slice(0, colon);
      portText = t.slice(colon + 1);
    } else if (colon >= 0 && looksIpv6(t.slice(0, colon)) && t.slice(0, colon).endsWith(':')) {
      // HAProxy's `:::80` form: an IPv6 address followed by `:port`.
      host = t.slice(0, colon);
      portText = t.slice(colon + 1);
    } else {
      host = t;
    }
  }
  if (host === '*') host = '';
  let port = 0;
  if (portText !== null) {
    const p = parseUint(portText);
    if (p === null || p < 1 || p > 65535) return null;
    port = p;
  } else if (portRequired) return null;
  if (host === '') return { host, port, family: 0 };
  if (IPV4.test(host)) return { host, port, family: 4 };
  if (looksIpv6(host)) return { host, port, family: 6 };
  if (!HOSTNAME.test(host)) return null;
  return { host, port, family: 0 };
}
