/**
 * Validators for every value that becomes a runtime argument. They return the reason a value is
 * refused (for the Event) or undefined when it is fine. They follow Kubernetes' own validation,
 * tightened where a looser rule would let a value reach the proxy that no Ingress needs.
 */

const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${LABEL}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const DNS1035_LABEL = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const UID = /^[A-Za-z0-9-]{1,36}$/;

/** Longest value the validators look at; anything longer is refused before a regex runs. */
const MAX_SUBDOMAIN = 253;
export const MAX_PATH_LENGTH = 1024;

/** Shows a hostile value in a message without echoing 100 KB or control characters back. */
export function preview(value: string): string {
  const cut = value.length > 64 ? `${value.slice(0, 64)}…` : value;
  return JSON.stringify(cut);
}

/** A rule host: an RFC 1123 subdomain or `*.` + subdomain (one label); IPs and `*` alone are not hosts. */
export function hostProblem(host: string): string | undefined {
  if (host.length === 0) return 'host is empty';
  if (host.length > MAX_SUBDOMAIN) return `host is longer than ${MAX_SUBDOMAIN} characters`;
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (!DNS1123_SUBDOMAIN.test(bare)) {
    return `host ${preview(host)} is not a lower-case RFC 1123 name or a one-label wildcard (*.example.com)`;
  }
  if (/^[0-9.]+$/.test(bare)) return `host ${preview(host)} is an IP address`;
  return undefined;
}

const PATH_CHARS = /^\/[A-Za-z0-9\-._~%!$&'()*+,=:@/]*$/;
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];

/**
 * An HTTP path as the Ingress API validates Exact and Prefix paths (absolute; no `//`, dot
 * segments or encoded slashes), restricted to RFC 3986 path characters without `;`: `;` is the
 * runtime CLI's command separator and no Ingress path needs it. Applied to ImplementationSpecific
 * too, because Hawser treats it as Prefix (regular expressions are not supported).
 */
export function pathProblem(path: string): string | undefined {
  if (path.length > MAX_PATH_LENGTH) return `path is longer than ${MAX_PATH_LENGTH} characters`;
  if (!path.startsWith('/')) return `path ${preview(path)} must start with /`;
  if (!PATH_CHARS.test(path)) return `path ${preview(path)} holds a character outside RFC 3986 path characters (or ;)`;
  for (const seq of BAD_SEQUENCES) {
    if (path.includes(seq)) return `path ${preview(path)} must not contain ${seq}`;
  }
  if (path.endsWith('/..') || path.endsWith('/.')) return `path ${preview(path)} must not end with a dot segment`;
  if (/%(?![0-9A-Fa-f]{2})/.test(path)) return `path ${preview(path)} holds a % that is not followed by two hex digits`;
  return undefined;
}

export function namespaceProblem(ns: string): string | undefined {
  return ns.length <= 63 && DNS1123_LABEL.test(ns) ? undefined : `namespace ${preview(ns)} is not an RFC 1123 label`;
}

export function serviceNameProblem(name: string): string | undefined {
  return name.length <= 63 && DNS1035_LABEL.test(name) ? undefined : `service name ${preview(name)} is not an RFC 1035 label`;
}

export function objectNameProblem(name: string): string | undefined {
  return name.length <= MAX_SUBDOMAIN && DNS1123_SUBDOMAIN.test(name) ? undefined : `name ${preview(name)} is not an RFC 1123 subdomain`;
}

export function portNameProblem(name: string): string | undefined {
  return name.length <= 63 && DNS1123_LABEL.test(name) ? undefined : `port name ${preview(name)} is not an RFC 1123 label`;
}

export function uidProblem(uid: string): string | undefined {
  return UID.test(uid) ? undefined : `uid ${preview(uid)} is not 1-36 characters of [A-Za-z0-9-]`;
}

export function portNumberProblem(port: number): string | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : `port ${String(port)} is not an integer in 1-65535`;
}

/** Canonical dotted quad, or undefined: no leading zeros, four octets 0-255. */
export function canonicalIPv4(text: string): string | undefined {
  if (text.length > 15) return undefined;
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  for (const p of parts) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
  }
  return text;
}

/**
 * RFC 5952 text of an IPv6 address (lower case, no leading zeros, the longest run of two or more
 * zero groups as `::`), or undefined. Embedded IPv4 tails are folded into hex groups, so the
 * result is at most 39 characters: the GUID length bound relies on that.
 */
export function canonicalIPv6(text: string): string | undefined {
  if (text.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseSide = (side: string): number[] | undefined => {
    if (side === '') return [];
    const out: number[] = [];
    const items = side.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i] ?? '';
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = canonicalIPv4(item);
        if (v4 === undefined) return undefined;
        const o = v4.split('.').map(Number);
        out.push(((o[0] ?? 0) << 8) | (o[1] ?? 0), ((o[2] ?? 0) << 8) | (o[3] ?? 0));
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(item)) return undefined;
        out.push(parseInt(item, 16));
      }
    }
    return out;
  };
  const head = parseSide(halves[0] ?? '');
  const tail = halves.length === 2 ? parseSide(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical text of an address of the given EndpointSlice addressType, or undefined. */
export function canonicalAddress(addressType: string, text: string): string | undefined {
  if (addressType === 'IPv4') return canonicalIPv4(text);
  if (addressType === 'IPv6') return canonicalIPv6(text);
  return undefined;
}
