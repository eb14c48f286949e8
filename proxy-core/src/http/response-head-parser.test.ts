import { expect } from 'chai';
import { BODY_CHUNKED, BODY_LENGTH, BODY_NONE, BODY_TUNNEL, BODY_UNTIL_CLOSE, NEED_MORE } from './head-parser.ts';
import type { HttpErrorCode } from './http-errors.ts';
import { ResponseHeadParser } from './response-head-parser.ts';

function parse(text: string, head = false): ResponseHeadParser {
  const p = new ResponseHeadParser();
  p.requestWasHead = head;
  const buf = Buffer.from(text, 'latin1');
  p.execute(buf, 0, buf.length);
  return p;
}

describe('ResponseHeadParser framing', () => {
  const cases: readonly (readonly [string, string, boolean, number, number, boolean])[] = [
    ['frames a 200 with Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', false, BODY_LENGTH, 5, true],
    ['frames a chunked 200', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', false, BODY_CHUNKED, 0, true],
    ['reads a 200 without length until the upstream closes', 'HTTP/1.1 200 OK\r\n\r\n', false, BODY_UNTIL_CLOSE, 0, false],
    ['gives a response to HEAD no body whatever its Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', true, BODY_NONE, 5, true],
    ['gives a chunked response to HEAD no body', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', true, BODY_NONE, 0, true],
    ['gives a 204 no body', 'HTTP/1.1 204 No Content\r\n\r\n', false, BODY_NONE, 0, true],
    ['gives a 304 no body even with Content-Length', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n', false, BODY_NONE, 9, true],
    ['gives a 100 Continue no body and keeps the connection', 'HTTP/1.1 100 Continue\r\n\r\n', false, BODY_NONE, 0, true],
    ['gives a 103 Early Hints no body', 'HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n', false, BODY_NONE, 0, true],
    ['turns a 101 with Upgrade into a tunnel', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n', false, BODY_TUNNEL, 0, false],
    ['closes after an HTTP/1.0 response without keep-alive', 'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n', false, BODY_LENGTH, 1, false],
    ['keeps an HTTP/1.0 response with Connection: keep-alive', 'HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\n', false, BODY_LENGTH, 1, true],
    ['closes after Connection: close', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\n', false, BODY_LENGTH, 1, false],
    ['accepts a status line without reason phrase or its space', 'HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n', false, BODY_LENGTH, 0, true],
  ];
  for (const [name, text, head, kind, length, keepAlive] of cases) {
    it(name, () => {
      const p = parse(text, head);
      expect(p.error).to.equal(null);
      expect([p.bodyKind, p.contentLength, p.keepAlive]).to.deep.equal([kind, length, keepAlive]);
    });
  }

  it('reports the status, the reason and an interim 1xx', () => {
    const p = parse('HTTP/1.1 103 Early Hints\r\n\r\n');
    expect([p.status, p.interim, Buffer.from(p.buf.subarray(p.reasonStart, p.reasonEnd)).toString()]).to.deep.equal([103, true, 'Early Hints']);
    expect(parse('HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n').interim).to.equal(false);
  });

  it('parses the same head whatever the split point', () => {
    const whole = Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\n', 'latin1');
    for (let cut = 1; cut < whole.length; cut++) {
      const p = new ResponseHeadParser();
      const first = Buffer.concat([Buffer.from('zz'), whole.subarray(0, cut)]);
      expect(p.execute(first, 2, first.length), `cut ${cut}`).to.equal(NEED_MORE);
      expect(p.execute(whole, 0, whole.length), `cut ${cut}`).to.equal(whole.length);
      expect([p.status, p.contentLength, p.headerValue(0)]).to.deep.equal([404, 9, 'text/plain']);
    }
  });
});

describe('ResponseHeadParser rejections', () => {
  const cases: readonly (readonly [string, string, HttpErrorCode])[] = [
    ['rejects a status line of HTTP/2', 'HTTP/2.0 200 OK\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_STATUS_LINE'],
    ['rejects a status code of two digits', 'HTTP/1.1 20 OK\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_STATUS_LINE'],
    ['rejects a status code of 600', 'HTTP/1.1 600 Odd\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_STATUS_LINE'],
    ['rejects a reason phrase holding a NUL', 'HTTP/1.1 200 O\0K\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_STATUS_LINE'],
    ['rejects a status line ending in a bare LF', 'HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_STATUS_LINE'],
    ['rejects Content-Length with Transfer-Encoding', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_FRAMING'],
    ['rejects two Content-Length fields', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_FRAMING'],
    ['rejects an invalid Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 5,5\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_FRAMING'],
    ['rejects a transfer coding other than chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_FRAMING'],
    ['rejects Transfer-Encoding in an HTTP/1.0 response', 'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_FRAMING'],
    ['rejects a 101 without Upgrade', 'HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_HEAD'],
    ['rejects a 101 whose Connection does not list upgrade', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_HEAD'],
    ['rejects obs-fold in a response header', 'HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_HEAD'],
    ['rejects a bare LF in a response header', 'HTTP/1.1 200 OK\r\nX: a\nContent-Length: 0\r\n\r\n', 'PXY_ERR_HTTP_RESP_BAD_HEAD'],
    ['rejects a response head over the limit', `HTTP/1.1 200 OK\r\n${`X-Pad: ${'a'.repeat(500)}\r\n`.repeat(40)}\r\n`, 'PXY_ERR_HTTP_RESP_HEAD_TOO_LARGE'],
  ];
  for (const [name, text, code] of cases) {
    it(name, () => {
      expect(parse(text).error).to.equal(code);
    });
  }

  it('keeps the header-level reason behind a 502 as the detail', () => {
    const p = parse('HTTP/1.1 200 OK\r\nX: a\0\r\n\r\n');
    expect([p.error, p.detail]).to.deep.equal(['PXY_ERR_HTTP_RESP_BAD_HEAD', 'PXY_ERR_HTTP_NUL']);
  });
});
