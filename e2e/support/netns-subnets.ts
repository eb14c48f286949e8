// Address plan for backend namespaces, pure: 10.250.0.0/16 cut into 16384 blocks of /30; block i
// spans 10.250.0.0 + 4i … + 3, the host end of the veth gets +1 and the backend +2.

export const BLOCK_COUNT = 16384;
const BASE = (10 << 24) | (250 << 16);

export interface Ipv4Cidr {
  readonly address: number;
  readonly prefix: number;
}

function toDotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function parseDotted(text: string): number | undefined {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

/** Precondition: 0 <= index < BLOCK_COUNT. */
export function blockAddresses(index: number): { host: string; backend: string } {
  if (!Number.isInteger(index) || index < 0 || index >= BLOCK_COUNT) throw new RangeError(`block index ${index} is outside 0..${BLOCK_COUNT - 1}`);
  const base = BASE + index * 4;
  return { host: toDotted(base + 1), backend: toDotted(base + 2) };
}

/** Every `inet a.b.c.d/n` in the output of `ip -4 -o addr show`. */
export function parseIpv4Cidrs(ipAddrOutput: string): Ipv4Cidr[] {
  const found: Ipv4Cidr[] = [];
  for (const m of ipAddrOutput.matchAll(/\binet (\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})\b/g)) {
    const address = parseDotted(m[1] ?? '');
    const prefix = Number(m[2]);
    if (address !== undefined && prefix <= 32) found.push({ address, prefix });
  }
  return found;
}

/** True when block `index` shares any address with one of the networks in `used`. */
export function blockOverlaps(index: number, used: readonly Ipv4Cidr[]): boolean {
  const first = BASE + index * 4;
  const last = first + 3;
  return used.some(({ address, prefix }) => {
    const size = 2 ** (32 - prefix);
    const net = Math.floor(address / size) * size;
    return net <= last && first <= net + size - 1;
  });
}
