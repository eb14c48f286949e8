/**
 * Micro-benchmark of the HTTP/1.1 parsing core (`npm run bench:http`): ns per operation for a
 * typical 8-header GET, compared with Node's llhttp (the binding node:http uses) on the same bytes.
 * Figures drift with machine load: compare rows of one run, not runs.
 */
import { createRequire } from 'node:module';
import { ChunkedForwarder, REFRAME } from '../proxy-core/src/http/chunked-forwarder.ts';
import { RequestHeadParser } from '../proxy-core/src/http/request-head-parser.ts';
import { ForwardingContext, buildRequestHead } from '../proxy-core/src/http/request-head-writer.ts';
import { ResponseHeadParser } from '../proxy-core/src/http/response-head-parser.ts';
import { buildResponseHead, planResponseBody } from '../proxy-core/src/http/response-head-writer.ts';

const GET = Buffer.from(
  'GET /api/v1/users?id=42&sort=name HTTP/1.1\r\n' +
  'Host: shop.example.com\r\n' +
  'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n' +
  'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n' +
  'Accept-Language: en-US,en;q=0.5\r\n' +
  'Accept-Encoding: gzip, deflate, br, zstd\r\n' +
  'Connection: keep-alive\r\n' +
  'Cookie: session=3f9a1c0e7b2d4a8f; theme=dark\r\n' +
  'Referer: https://shop.example.com/catalog\r\n' +
  '\r\n', 'latin1');
const RESPONSE = Buffer.from(
  'HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Type: application/json\r\n' +
  'Content-Length: 64\r\nConnection: keep-alive\r\nCache-Control: no-cache\r\n\r\n', 'latin1');
const BODY64 = Buffer.alloc(64, 0x61);
const CHUNKED16K = Buffer.from(`4000\r\n${'x'.repeat(16384)}\r\n0\r\n\r\n`, 'latin1');

interface Row {
  name: string;
  ns: number;
}

/**
 * Median CPU ns (user + system of this process, so time spent waiting for a core on a loaded
 * machine is not counted) per call of `fn` over `rounds` rounds of `iterations` calls, after a
 * warm-up.
 */
function measure(name: string, fn: () => void, iterations = 200_000, rounds = 7): Row {
  for (let i = 0; i < iterations; i++) fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < iterations; i++) fn();
    const t = process.cpuUsage(t0);
    samples.push(((t.user + t.system) * 1000) / iterations);
  }
  samples.sort((a, b) => a - b);
  return { name, ns: samples[Math.floor(rounds / 2)]! };
}

// --- Hawser ---
const req = new RequestHeadParser();
let sink = 0;
const ctx = new ForwardingContext({ clientAddress: '10.1.2.3', proto: 'https', port: 443, trustForwarded: false });
const res = new ResponseHeadParser();
const fwd = new ChunkedForwarder();

// --- llhttp through node:_http_common, as node:http drives it ---
interface Llhttp {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(buf: Buffer): unknown;
  [slot: number]: unknown;
}
const { HTTPParser } = createRequire(import.meta.url)('node:_http_common') as {
  HTTPParser: { new(): Llhttp; REQUEST: number; kOnHeadersComplete: number; kOnMessageComplete: number; kOnHeaders: number; kOnBody: number; kOnExecute: number };
};
const ll = new HTTPParser();
ll[HTTPParser.kOnHeaders] = () => {};
ll[HTTPParser.kOnHeadersComplete] = (_a: number, _b: number, headers: string[], method: number, url: string) => {
  sink += headers.length + method + url.length;
  return 0;
};
ll[HTTPParser.kOnBody] = () => {};
ll[HTTPParser.kOnMessageComplete] = () => {};
ll[HTTPParser.kOnExecute] = () => {};
ll.initialize(HTTPParser.REQUEST, {}, 0, 0);

const rows: Row[] = [
  measure('hawser: parse request head (offsets only)', () => {
    sink += req.execute(GET, 0, GET.length);
  }),
  measure('hawser: parse request head + target + host strings', () => {
    sink += req.execute(GET, 0, GET.length) + req.target.length + req.host.length;
  }),
  measure('llhttp: parse request head (node:http binding)', () => {
    ll.execute(GET);
  }),
  measure('hawser: build upstream request head (parsed)', () => {
    sink += buildRequestHead(req, ctx).length;
  }),
  measure('hawser: parse response head', () => {
    sink += res.execute(RESPONSE, 0, RESPONSE.length);
  }),
  measure('hawser: build client response head + 64 B body', () => {
    sink += buildResponseHead(res, planResponseBody(res, 1), 1, false, BODY64).length;
  }),
  measure('hawser: forward a 16 KiB chunked body (reframe)', () => {
    fwd.reset(REFRAME);
    sink += fwd.transform(CHUNKED16K, 0, CHUNKED16K.length)!.length;
  }, 20_000),
];

const width = Math.max(...rows.map((r) => r.name.length));
console.log(`node ${process.version}, ${GET.length}-byte GET with 8 header fields; median CPU time of 7 rounds\n`);
console.log(`${'operation'.padEnd(width)}  ns/op`);
for (const r of rows) console.log(`${r.name.padEnd(width)}  ${r.ns.toFixed(0).padStart(6)}`);
const ours = rows[0]!.ns;
const theirs = rows[2]!.ns;
console.log(`\nhawser head parse / llhttp: ${(ours / theirs).toFixed(2)}x`);
if (sink === 42) console.log('');
