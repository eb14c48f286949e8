/**
 * Deterministic generator of upstream response streams for the differential fuzz: status lines,
 * framing fields (valid and hostile), interim responses, bodies, and byte mutations. Test support.
 */
import { Rng, chunkedBody, mutate } from './request-generator.ts';

const STATUS_LINES = ['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 404 Not Found', 'HTTP/1.1 204 No Content', 'HTTP/1.1 304 Not Modified',
  'HTTP/1.0 200 OK', 'HTTP/1.1 500 Oops', 'HTTP/1.1 200', 'HTTP/1.1 200 ', 'HTTP/1.1 302 Found', 'HTTP/1.1 101 Switching Protocols',
  'HTTP/1.1 99 X', 'HTTP/2 200 OK', 'HTTP/1.1 2000 OK', 'HTTP/1.1 600 X', 'HTTP/1.1 200 O\x01K', 'http/1.1 200 OK'];
const FIELDS = ['Content-Type: text/plain', 'Server: up', 'Set-Cookie: a=b; Path=/', 'Connection: keep-alive', 'Connection: close',
  'Keep-Alive: timeout=5', 'Upgrade: websocket', 'Cache-Control: no-cache', 'X-Empty:', 'Vary: Accept-Encoding'];
const CL = ['0', '3', '5', '10', '+3', '3, 3', ' 3 ', '3 3', ''];
const TE = ['chunked', 'chunked', 'Chunked', 'gzip', 'gzip, chunked', 'chunked, chunked', 'identity'];

function response(rng: Rng): string {
  let s = `${rng.chance(0.9) ? rng.pick(STATUS_LINES.slice(0, 7)) : rng.pick(STATUS_LINES)}\r\n`;
  const n = rng.int(4);
  for (let i = 0; i < n; i++) s += `${rng.pick(FIELDS)}\r\n`;
  let framing = 0;
  let length = 0;
  if (rng.chance(0.5)) {
    const v = rng.chance(0.85) ? String(rng.int(12)) : rng.pick(CL);
    s += `Content-Length: ${v}\r\n`;
    framing = 1;
    length = /^\d+$/.test(v) ? Number(v) : 3;
    if (rng.chance(0.03)) s += `Content-Length: ${v}\r\n`;
  }
  if (rng.chance(0.3)) {
    s += `Transfer-Encoding: ${rng.chance(0.8) ? 'chunked' : rng.pick(TE)}\r\n`;
    framing = framing === 1 && rng.chance(0.5) ? 1 : 2;
  }
  s += '\r\n';
  if (framing === 1) s += 'r'.repeat(length);
  else if (framing === 2) s += chunkedBody(rng);
  else if (rng.chance(0.3)) s += 'until-close';
  return s;
}

/** Responses of one upstream connection: sometimes a 100 or 103 first, 1 to 3 responses, mutated a third of the time. */
export function responseCase(rng: Rng): Buffer {
  let s = rng.chance(0.1) ? rng.pick(['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n']) : '';
  const count = 1 + rng.int(3);
  for (let i = 0; i < count; i++) s += response(rng);
  if (rng.chance(0.35)) s = mutate(rng, s);
  return Buffer.from(s, 'latin1');
}
