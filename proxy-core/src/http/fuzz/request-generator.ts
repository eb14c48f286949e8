/**
 * Deterministic generator of HTTP/1.1 request streams for the differential fuzz: well-formed
 * requests built from parts that matter to framing (methods, targets, Host, Content-Length,
 * Transfer-Encoding, Connection, Upgrade, Expect, chunked bodies), hostile variants of each, a
 * corpus of known smuggling payloads, and byte-level mutations of all of them. Test support only.
 */

/** mulberry32: small, fast, seedable; the fuzz must replay the same cases on every run. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'PURGE', 'M-SEARCH', 'get', 'CONNECT', 'FOO', 'GE T', 'G\0T'];
const TARGETS = ['/', '/', '/a/b?c=d', '/%2e%2e/x', '/a;b', "/!$&'()*+,;=:@", '/{|}^`"<>\\', 'http://h.example/x', 'https://h.example:8443', '/?', '*', 'http://u@h/', '/a#f', '/\x7f', '/\xe9', 'a', '//x', '/\t', '/ /'];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0', 'http/1.1', 'HTTP/1.1 ', 'HTTP/1', 'HTTP/01.1'];
const HOSTS = ['example.com', 'a', 'example.com:8080', '[::1]:80', '', 'a b', 'a/b', 'u@a', 'xn--bcher-kva.example'];
const CL_VALUES = ['0', '5', '12', '007', '+5', '-1', '5 5', '5, 5', '5,6', '0x5', '', ' 5', '5 ', '99999999999999999', '1e3', '\x0b5'];
const TE_VALUES = ['chunked', 'chunked', 'Chunked', ' chunked ', '\tchunked', 'gzip, chunked', 'chunked, gzip', 'gzip', 'chunked, chunked', 'identity', 'chunked;q=1', ', chunked', 'xchunked', 'chunked\x0b', 'ch\0unked', 'chunk'];
const CONNECTION_VALUES = ['close', 'keep-alive', 'Keep-Alive', 'upgrade', 'keep-alive, Upgrade', 'close, X-Secret', 'TE, close', ',,close', 'clo se', 'close;x'];
const NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!#$%&\'*+^`|~';
const HOSTILE = ['\r', '\n', '\0', ' ', '\t', ':', ',', ';', '"', '\\', '\x7f', '\x80', '\xff', '\x0b', '\x0c', '\r\n', '\n\n', '\r\n\r\n', '\r\n ', 'Transfer-Encoding: chunked\r\n', 'Content-Length: 3\r\n', '0\r\n\r\n'];
const VALUE_ALPHABET = 'abcxyz019 -_/.;=,"()\t';

/** Request streams from smuggling research and HAProxy/nginx/llhttp regression reports. */
export const SMUGGLING_CORPUS: readonly string[] = [
  'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\x0bchunked\r\n\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-encoding: x\r\n\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nX: x\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nGET /',
  'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello',
  'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello',
  'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /2 HTTP/1.1\r\nHost: b\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a="b\r\nc"\r\nhello\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\r\nContent-Length: 5\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n X: y\r\n\r\n',
  'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
  'GET / HTTP/1.1\nHost: a\n\n',
  'GET / HTTP/1.1\r\nHost: a\r\n\n',
  'GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: a\r\nX: \0\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: a\r\nConnection: close, Content-Length\r\nContent-Length: 3\r\n\r\nabc',
  'GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nGET /x HTTP/1.1\r\n\r\n',
  'GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
  'GET http://a/ HTTP/1.1\r\nHost: b\r\n\r\n',
  '\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi',
  'GET / HTTP/1.1\r\nHost: a\r\n\x80X: y\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: a\r\nX:\xff\xfe\r\n\r\n',
];

interface Part {
  text: string;
}

function token(rng: Rng, max: number): string {
  let s = '';
  const n = 1 + rng.int(max);
  for (let i = 0; i < n; i++) s += NAME_ALPHABET[rng.int(NAME_ALPHABET.length)];
  return s;
}

function value(rng: Rng): string {
  let s = '';
  const n = rng.int(12);
  for (let i = 0; i < n; i++) s += rng.chance(0.01) ? rng.pick(HOSTILE) : VALUE_ALPHABET[rng.int(VALUE_ALPHABET.length)];
  return s;
}

/** A chunked body: random chunk sizes, sometimes extensions and trailers, sometimes broken. */
export function chunkedBody(rng: Rng): string {
  let s = '';
  const chunks = rng.int(4);
  for (let c = 0; c < chunks; c++) {
    const size = 1 + rng.int(20);
    let sizeText = size.toString(16);
    if (rng.chance(0.1)) sizeText = sizeText.toUpperCase();
    if (rng.chance(0.05)) sizeText = '00' + sizeText;
    s += sizeText;
    if (rng.chance(0.15)) s += rng.pick([';a', ';a=b', ';a="b c"', ';a="\\"q"', ';a=b;c', '; a=b', ';a =b', ';a="x\ry"', ';', ';=b', ';a="']);
    s += '\r\n' + 'x'.repeat(size) + '\r\n';
  }
  s += rng.chance(0.1) ? '000' : '0';
  if (rng.chance(0.1)) s += ';ext=1';
  s += '\r\n';
  if (rng.chance(0.15)) s += rng.pick(['X-T: 1\r\n', 'X-T: 1\r\nY: \r\n', 'X-T:\t1 \r\n', ' X: 1\r\n', 'X-T 1\r\n', ': 1\r\n']);
  return s + '\r\n';
}

/** One request: mostly well formed, with framing headers drawn from valid and hostile values. */
function request(rng: Rng): string {
  const version = rng.chance(0.96) ? rng.pick(VERSIONS.slice(0, 4)) : rng.pick(VERSIONS);
  let s = `${rng.chance(0.95) ? rng.pick(METHODS.slice(0, 12)) : rng.pick(METHODS)} ${rng.chance(0.85) ? rng.pick(TARGETS.slice(0, 10)) : rng.pick(TARGETS)} ${version}\r\n`;
  const parts: Part[] = [];
  if (rng.chance(0.95)) parts.push({ text: `${rng.pick(['Host', 'host', 'HOST'])}: ${rng.chance(0.9) ? rng.pick(HOSTS.slice(0, 5)) : rng.pick(HOSTS)}` });
  if (rng.chance(0.03)) parts.push({ text: 'Host: dup.example' });
  let framing = 0; // 0 none, 1 content-length, 2 chunked
  let length = 0;
  if (rng.chance(0.3)) {
    const v = rng.chance(0.8) ? String(rng.int(16)) : rng.pick(CL_VALUES);
    parts.push({ text: `Content-Length: ${v}` });
    framing = 1;
    length = /^\d+$/.test(v) ? Math.min(Number(v), 64) : rng.int(6);
    if (rng.chance(0.04)) parts.push({ text: `content-length: ${rng.pick(CL_VALUES)}` });
  }
  if (rng.chance(0.25)) {
    parts.push({ text: `${rng.pick(['Transfer-Encoding', 'transfer-encoding'])}: ${rng.chance(0.7) ? 'chunked' : rng.pick(TE_VALUES)}` });
    framing = framing === 1 && rng.chance(0.5) ? 1 : 2;
  }
  if (rng.chance(0.25)) parts.push({ text: `Connection: ${rng.pick(CONNECTION_VALUES.slice(0, rng.chance(0.9) ? 8 : 10))}` });
  if (rng.chance(0.08)) parts.push({ text: `Upgrade: ${rng.pick(['websocket', 'h2c', ''])}` });
  if (rng.chance(0.05)) parts.push({ text: `Expect: ${rng.pick(['100-continue', '100-Continue', 'foo'])}` });
  const extra = rng.int(6);
  for (let i = 0; i < extra; i++) {
    const sep = rng.chance(0.97) ? ': ' : rng.pick([':', ':\t', ' : ', ':  ', '']);
    parts.push({ text: `${rng.chance(0.5) ? rng.pick(['User-Agent', 'Accept', 'X-Forwarded-For', 'Cookie', 'TE', 'Keep-Alive', 'Trailer']) : token(rng, 12)}${sep}${value(rng)}` });
  }
  for (let i = parts.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
  }
  for (const p of parts) s += p.text + (rng.chance(0.99) ? '\r\n' : rng.pick(['\n', '\r', '\r\n ']));
  s += '\r\n';
  if (framing === 1) s += 'b'.repeat(length);
  else if (framing === 2) s += chunkedBody(rng);
  return s;
}

/** Applies 1 to 4 byte-level mutations: hostile insertions, replacements, deletions, line copies. */
export function mutate(rng: Rng, s: string): string {
  const n = 1 + rng.int(4);
  for (let i = 0; i < n && s.length > 0; i++) {
    const at = rng.int(s.length);
    switch (rng.int(6)) {
      case 0: s = s.slice(0, at) + rng.pick(HOSTILE) + s.slice(at); break;
      case 1: s = s.slice(0, at) + rng.pick(HOSTILE) + s.slice(at + 1); break;
      case 2: s = s.slice(0, at) + s.slice(at + 1 + rng.int(3)); break;
      case 3: s = s.slice(0, at) + String.fromCharCode(rng.int(256)) + s.slice(at + 1); break;
      case 4: {
        const ls = s.lastIndexOf('\r\n', at);
        const le = s.indexOf('\r\n', at);
        if (ls >= 0 && le > ls) s = s.slice(0, le) + s.slice(ls, le) + s.slice(le);
        break;
      }
      default: {
        const c = s.charCodeAt(at);
        if (c >= 0x41 && c <= 0x7a) s = s.slice(0, at) + String.fromCharCode(c ^ 0x20) + s.slice(at + 1);
        break;
      }
    }
  }
  return s;
}

/** The i-th case of the stream: 1 to 3 pipelined requests or a corpus entry, mutated half the time. */
export function requestCase(rng: Rng): Buffer {
  let s: string;
  if (rng.chance(0.1)) s = rng.pick(SMUGGLING_CORPUS);
  else {
    s = request(rng);
    const more = rng.int(3);
    for (let i = 0; i < more; i++) s += request(rng);
  }
  if (rng.chance(0.35)) s = mutate(rng, s);
  return Buffer.from(s, 'latin1');
}
