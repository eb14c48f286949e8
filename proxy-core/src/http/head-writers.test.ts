import { expect } from 'chai';
import { CONTINUE_100, cannedResponse, rejectionResponse } from './canned-responses.ts';
import { RequestHeadParser } from './request-head-parser.ts';
import { ForwardingContext, buildRequestHead } from './request-head-writer.ts';
import { ResponseHeadParser } from './response-head-parser.ts';
import {
  PLAN_CHUNK_ENCODE, PLAN_LENGTH, PLAN_NONE, PLAN_RAW_THEN_CLOSE, PLAN_RECHUNK, PLAN_TUNNEL, buildResponseHead, planResponseBody,
} from './response-head-writer.ts';

const untrusted = new ForwardingContext({ clientAddress: '::ffff:10.0.0.7', proto: 'https', port: 8443, forwarded: 'replace' });
const trusted = new ForwardingContext({ clientAddress: '10.0.0.7', proto: 'http', port: 80, forwarded: 'append' });

function upstream(text: string, ctx = untrusted, tunnel = false): string {
  const p = new RequestHeadParser();
  const buf = Buffer.from(text, 'latin1');
  const n = p.execute(buf, 0, buf.length);
  if (n <= 0) throw new Error(`test head rejected: ${p.error}`);
  return buildRequestHead(p, ctx, tunnel).toString('latin1');
}

describe('buildRequestHead', () => {
  const cases: readonly (readonly [string, string, string, ForwardingContext?, boolean?])[] = [
    [
      'forwards a typical GET with Host first and the X-Forwarded fields last',
      'GET /a?b HTTP/1.1\r\nUser-Agent: t\r\nHost: example.com\r\nAccept: */*\r\n\r\n',
      'GET /a?b HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\nAccept: */*\r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: example.com\r\n\r\n',
    ],
    [
      'removes hop-by-hop fields and every field named in Connection',
      'GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Secret\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X\r\nUpgrade: websocket\r\nx-secret: 1\r\nX-Kept: 2\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: a\r\nX-Kept: 2\r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: a\r\n\r\n',
    ],
    [
      'drops fields spelling an interpreted name with underscores, which some back ends read as dashes',
      'GET / HTTP/1.1\r\nHost: a\r\nContent_Length: 5\r\nX_Forwarded_For: 6.6.6.6\r\nX_Other: kept\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: a\r\nX_Other: kept\r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: a\r\n\r\n',
    ],
    [
      're-emits Content-Length from the parsed value even when Connection names it',
      'POST / HTTP/1.1\r\nHost: a\r\nConnection: Content-Length\r\nContent-Length: 007\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: a\r\nContent-Length: 7\r\n\r\n',
    ],
    [
      're-emits chunked framing as Transfer-Encoding: chunked',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  Chunked\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: a\r\nTransfer-Encoding: chunked\r\n\r\n',
    ],
    [
      'replaces the X-Forwarded fields of an untrusted client',
      'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: gopher\r\nX-Forwarded-Port: 1\r\nX-Forwarded-Host: evil\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: a\r\n\r\n',
    ],
    [
      'appends to every X-Forwarded-For of a trusted client and keeps its other X-Forwarded fields',
      'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1, 2.2.2.2\r\nX-Forwarded-Proto: https\r\nx-forwarded-for: 3.3.3.3\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: https\r\nX-Forwarded-For: 1.1.1.1, 2.2.2.2, 3.3.3.3, 10.0.0.7\r\nX-Forwarded-Port: 80\r\nX-Forwarded-Host: a\r\n\r\n',
      trusted,
    ],
    [
      'reduces an absolute-form target to its path and takes Host from its authority',
      'GET http://b.example:81?x HTTP/1.1\r\nHost: a\r\n\r\n',
      'GET /?x HTTP/1.1\r\nHost: b.example:81\r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: b.example:81\r\n\r\n',
    ],
    [
      'sends an HTTP/1.0 request without Host upstream as HTTP/1.1 with an empty Host',
      'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: \r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\n\r\n',
    ],
    [
      'forwards the Upgrade of a tunnel request with Connection: upgrade',
      'GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\n\r\n',
      'GET /ws HTTP/1.1\r\nHost: a\r\nSec-WebSocket-Key: k\r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n',
      untrusted, true,
    ],
  ];
  for (const [name, input, output, ctx, tunnel] of cases) {
    it(name, () => {
      expect(upstream(input, ctx, tunnel)).to.equal(output);
    });
  }

  it('forwards Expect: 100-continue unless the proxy answers it, and never the Expect of HTTP/1.0', () => {
    const ask = 'POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n';
    const p = new RequestHeadParser();
    p.execute(Buffer.from(ask), 0, ask.length);
    expect(buildRequestHead(p, untrusted).toString()).to.include('\r\nExpect: 100-continue\r\n');
    expect(buildRequestHead(p, untrusted, false, false).toString()).to.not.include('Expect');
    expect(upstream('POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n')).to.not.include('Expect');
  });

  it('writes a head the request parser accepts again, for a head at an offset in a larger read', () => {
    const read = Buffer.from('xxxxPUT /k HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc', 'latin1');
    const p = new RequestHeadParser();
    p.execute(read, 4, read.length);
    const out = buildRequestHead(p, untrusted);
    const again = new RequestHeadParser();
    expect(again.execute(out, 0, out.length)).to.equal(out.length);
    expect([again.method, again.target, again.host, again.contentLength]).to.deep.equal(['PUT', '/k', 'h', 3]);
  });
});

function response(text: string, head = false): ResponseHeadParser {
  const p = new ResponseHeadParser();
  p.requestWasHead = head;
  const buf = Buffer.from(text, 'latin1');
  if (p.execute(buf, 0, buf.length) <= 0) throw new Error(`test head rejected: ${p.error}`);
  return p;
}

describe('buildResponseHead', () => {
  it('writes the head and a small body in one buffer', () => {
    const res = response('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n');
    const body = Buffer.from('..hello', 'latin1');
    expect(buildResponseHead(res, planResponseBody(res, 1), 1, false, body, 2).toString('latin1'))
      .to.equal('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello');
  });

  const cases: readonly (readonly [string, string, number, boolean, number, string, boolean?])[] = [
    ['removes hop-by-hop fields and the fields the upstream names in Connection',
      'HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Internal\r\nKeep-Alive: timeout=5\r\nX-Internal: 1\r\nContent-Length: 0\r\nETag: "e"\r\n\r\n',
      1, false, PLAN_LENGTH, 'HTTP/1.1 200 OK\r\nETag: "e"\r\nContent-Length: 0\r\n\r\n'],
    ['keeps a chunked body chunked for an HTTP/1.1 client',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', 1, false, PLAN_RECHUNK,
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['sends a chunked body raw to an HTTP/1.0 client and closes',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', 0, false, PLAN_RAW_THEN_CLOSE,
      'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n'],
    ['chunks a body read until close for an HTTP/1.1 client, so its connection stays open',
      'HTTP/1.0 200 OK\r\nServer: old\r\n\r\n', 1, false, PLAN_CHUNK_ENCODE,
      'HTTP/1.1 200 OK\r\nServer: old\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['tells an HTTP/1.0 client its connection stays open',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n', 0, false, PLAN_LENGTH,
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n'],
    ['says Connection: close when the proxy closes the client connection',
      'HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n', 1, true, PLAN_LENGTH,
      'HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\n'],
    ['keeps the Content-Length of a response to HEAD',
      'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n', 1, false, PLAN_NONE,
      'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n', true],
    ['writes no framing for a 204',
      'HTTP/1.1 204 No Content\r\nX: y\r\n\r\n', 1, false, PLAN_NONE, 'HTTP/1.1 204 No Content\r\nX: y\r\n\r\n'],
    ['forwards a 101 with Connection: upgrade and the Upgrade value',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: a\r\n\r\n', 1, false, PLAN_TUNNEL,
      'HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n'],
    ['forwards an interim 103 without connection fields',
      'HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n', 1, false, PLAN_NONE, 'HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n'],
  ];
  for (const [name, input, clientMinor, close, plan, output, head] of cases) {
    it(name, () => {
      const res = response(input, head);
      expect(planResponseBody(res, clientMinor)).to.equal(plan);
      expect(buildResponseHead(res, planResponseBody(res, clientMinor), clientMinor, close).toString('latin1')).to.equal(output);
    });
  }
});

describe('canned responses', () => {
  it('answers a parser rejection with its status and Connection: close', () => {
    expect(rejectionResponse('PXY_ERR_HTTP_CL_AND_TE').toString()).to.equal(
      'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 16\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n400 Bad Request\n',
    );
    expect(rejectionResponse('PXY_ERR_HTTP_HEAD_TOO_LARGE').toString()).to.match(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(rejectionResponse('PXY_ERR_HTTP_RESP_BAD_FRAMING').toString()).to.match(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
  });

  it('leaves the body out of a response to HEAD but keeps its Content-Length', () => {
    expect(cannedResponse(404, false, true).toString()).to.equal(
      'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 14\r\nCache-Control: no-store\r\n\r\n',
    );
  });

  it('keeps the connection for routing answers and reads 500 for an unknown status', () => {
    expect(cannedResponse(404, false).toString()).to.not.include('Connection:');
    expect(cannedResponse(418, false).toString()).to.match(/^HTTP\/1\.1 500 /);
    expect(CONTINUE_100.toString()).to.equal('HTTP/1.1 100 Continue\r\n\r\n');
  });
});
