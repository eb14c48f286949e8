/**
 * Names and GUIDs derived from Kubernetes identities. Pure functions of their inputs: the same
 * object always gets the same GUID, across controller restarts and replicas.
 *
 * Scheme (docs/controller.md has the reasoning and the length proof):
 *   backend  b:<service-uid>:<service-port>                          ≤ 44 characters
 *   server   s:<service-uid>:<service-port>:<server-name>            ≤ 90 characters
 *            server-name = <pod-uid>_<target-port>  (endpoint with a Pod targetRef)
 *                        | <address>_<target-port>  (no targetRef; canonical IP text)
 *   route    r:<ingress-uid>:<16 hex of FNV-1a 64 of "<match>:<host><path>">   = 55 characters
 *            r:<ingress-uid>:default   (spec.defaultBackend)
 *   cert     secret-<secret-uid>.pem   (certificate name, not a GUID; stable across content updates;
 *                                       no `:`, which `del ssl crt-list` reads as a line number)
 * Inputs are validated before they get here: UIDs are 1-36 characters of [A-Za-z0-9-], ports are
 * 1-65535, addresses are canonical IPv4 (≤ 15) or RFC 5952 IPv6 (≤ 39).
 */

export const GUID_MAX_LENGTH = 127;
export const GUID_CHARSET = /^[A-Za-z0-9._:-]+$/;

/** `<namespace>_<service>_<port>`: the backend name docs/design.md fixes. */
export function backendName(namespace: string, service: string, port: number): string {
  return `${namespace}_${service}_${String(port)}`;
}

/** Whether a backend name is one the controller creates (and may therefore delete). */
export function isOwnedBackendName(name: string): boolean {
  return /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?_[a-z](?:[-a-z0-9]*[a-z0-9])?_[1-9][0-9]{0,4}$/.test(name);
}

export function backendGuid(serviceUid: string, servicePort: number): string {
  return `b:${serviceUid}:${String(servicePort)}`;
}

/**
 * A server's name inside its backend. With a Pod targetRef the Pod UID identifies it, so moving
 * between EndpointSlices (or a slice being split or merged) changes nothing; without one, the
 * address does (see docs/controller.md for why not the slice UID).
 */
export function serverName(targetPort: number, podUid: string | undefined, address: string): string {
  return podUid !== undefined ? `${podUid}_${String(targetPort)}` : `${address}_${String(targetPort)}`;
}

export function serverGuid(serviceUid: string, servicePort: number, name: string): string {
  return `s:${serviceUid}:${String(servicePort)}:${name}`;
}

export function routeGuid(ingressUid: string, routeKey: string | 'default'): string {
  return `r:${ingressUid}:${routeKey === 'default' ? 'default' : fnv1a64(routeKey)}`;
}

export function certificateName(secretUid: string): string {
  return `secret-${secretUid}.pem`;
}

export function isOwnedCertificateName(name: string): boolean {
  return /^secret-[A-Za-z0-9-]{1,36}\.pem$/.test(name);
}

/**
 * FNV-1a 64 over UTF-16 code units, as 16 lower-case hex digits. Stable, dependency-free, not
 * secret. Computed on two 32-bit halves: the prime is 2^40 + 0x1b3, so h·prime mod 2^64 is
 * h·0x1b3 plus the low word shifted into the high one (BigInt was the build's hottest spot).
 */
export function fnv1a64(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const loMul = lo * 0x1b3;
    hi = (Math.imul(hi, 0x1b3) + (lo << 8) + Math.floor(loMul / 0x100000000)) >>> 0;
    lo = loMul >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
