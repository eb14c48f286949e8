/**
 * Request methods recognised from bytes, returned as interned constant strings. The list is the one
 * Node's llhttp accepts (http.METHODS); CONNECT is recognised so it can be refused with 405.
 */

export const KNOWN_METHODS: readonly string[] = [
  'ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH',
  'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST',
  'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE',
  'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK', 'UNLOCK', 'UNSUBSCRIBE',
];

const MAX_METHOD_LENGTH = 11;
// Most requests are GET or POST: they come first in their length bucket.
const BY_LENGTH: string[][] = Array.from({ length: MAX_METHOD_LENGTH + 1 }, () => []);
for (const m of ['GET', 'POST', 'PUT', 'HEAD', ...KNOWN_METHODS]) {
  const bucket = BY_LENGTH[m.length]!;
  if (!bucket.includes(m)) bucket.push(m);
}

/**
 * The known method spelled by `buf[start, end)` (case-sensitive, RFC 9110 §9.1), or undefined.
 */
export function methodAt(buf: Uint8Array, start: number, end: number): string | undefined {
  const len = end - start;
  if (len > MAX_METHOD_LENGTH) return undefined;
  const bucket = BY_LENGTH[len]!;
  for (let c = 0; c < bucket.length; c++) {
    const m = bucket[c]!;
    let i = 0;
    while (i < len && buf[start + i] === m.charCodeAt(i)) i++;
    if (i === len) return m;
  }
  return undefined;
}
