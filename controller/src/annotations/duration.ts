/**
 * HAProxy time values (`5s`, `250ms`, `1m`; a bare number is milliseconds), as the timeout and
 * interval annotations take them. Returns milliseconds, or undefined for anything else.
 */

const UNITS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDurationMs(text: string): number | undefined {
  const m = /^([0-9]{1,9})(us|ms|s|m|h|d)?$/.exec(text);
  if (m === null) return undefined;
  const factor = UNITS[m[2] ?? 'ms'];
  if (factor === undefined) return undefined;
  const ms = Number(m[1]) * factor;
  return Number.isInteger(ms) ? ms : undefined;
}
