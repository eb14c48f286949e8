import { expect } from 'chai';
import { BODY_CHUNKED, BODY_LENGTH, BODY_NONE, NEED_MORE, REJECTED } from './head-parser.ts';
import { HTTP_ERRORS, type HttpErrorCode } from './http-errors.ts';
import { httpLimits, type HttpLimits } from './http-limits.ts';
import { RequestHeadParser, TARGET_ABSOLUTE, TARGET_ASTERISK } from './request-head-parser.ts';

const GET = 'GET / HTTP/1.1\r\nHost: a\r\n';

function parse(text: string, limits?: HttpLimits): RequestHeadParser {
  const p = new RequestHeadParser(limits);
  const buf = Buffer.from(text, 'latin1');
  p.execute(buf, 0, buf.length);
  return p;
}

function headers(p: RequestHeadParser): string[] {
  const out: string[] = [];
  for (let i = 0; i < p.headerCount; i++) out.push(`${p.headerName(i)}: ${p.headerValue(i)}`);
  return out;
}

describe('RequestHeadParser rejections', () => {
  const small = httpLimits({ maxRequestLineBytes: 64, maxHeaderLineBytes: 64, maxHeadBytes: 256, maxHeaders: 8 });
  const cases: readonly (readonly [string, string, HttpErrorCode, number, HttpLimits?])[] = [
    // Request line.
    ['rejects a request line without a version', 'GET /\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_REQUEST_LINE', 400],
    ['rejects two spaces between method and target', 'GET  / HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_REQUEST_LINE', 400],
    ['rejects a request line that starts with a space', ' GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_REQUEST_LINE', 400],
    ['rejects a method holding a character that is not a token', 'GE(T / HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_METHOD', 400],
    ['answers 501 to a method it does not know', 'BREW / HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_UNKNOWN_METHOD', 501],
    ['answers 501 to a lower-case method', 'get / HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_UNKNOWN_METHOD', 501],
    ['refuses CONNECT with 405', 'CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_CONNECT_REFUSED', 405],
    ['rejects a target holding a fragment', 'GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_TARGET', 400],
    ['rejects a target holding a byte above 0x7f', 'GET /\xe9 HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_TARGET', 400],
    ['rejects a target holding a control character', 'GET /\x01 HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_TARGET', 400],
    ['rejects a relative target', 'GET a/b HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_TARGET', 400],
    ['rejects the asterisk target on a method other than OPTIONS', 'GET * HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_TARGET', 400],
    ['rejects an absolute target with user information', 'GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_TARGET', 400],
    ['rejects an absolute target of another scheme', 'GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_TARGET', 400],
    ['rejects an absolute target without authority', 'GET http:///a HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_TARGET', 400],
    ['rejects a version in lower case', 'GET / http/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_VERSION', 400],
    ['rejects a space after the version', 'GET / HTTP/1.1 \r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_VERSION', 400],
    ['rejects a version with two-digit numbers', 'GET / HTTP/10.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BAD_VERSION', 400],
    ['answers 505 to HTTP/2.0', 'GET / HTTP/2.0\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_VERSION_UNSUPPORTED', 505],
    ['answers 505 to HTTP/1.2', 'GET / HTTP/1.2\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_VERSION_UNSUPPORTED', 505],
    ['answers 505 to HTTP/0.9', 'GET / HTTP/0.9\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_VERSION_UNSUPPORTED', 505],
    ['answers 414 to a request line over the limit', `GET /${'a'.repeat(64)} HTTP/1.1\r\nHost: a\r\n\r\n`, 'PXY_ERR_HTTP_URI_TOO_LONG', 414, small],
    ['answers 414 to an unfinished request line over the limit', `GET /${'a'.repeat(100)}`, 'PXY_ERR_HTTP_URI_TOO_LONG', 414, small],
    // Bytes that must never appear in a head.
    ['rejects a bare LF ending the request line', 'GET / HTTP/1.1\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BARE_LF', 400],
    ['rejects a bare LF ending a header line', 'GET / HTTP/1.1\r\nHost: a\n\r\n', 'PXY_ERR_HTTP_BARE_LF', 400],
    ['rejects a bare LF ending the head', 'GET / HTTP/1.1\r\nHost: a\r\n\n', 'PXY_ERR_HTTP_BARE_LF', 400],
    ['rejects a bare LF inside a header value', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\nb\r\n\r\n', 'PXY_ERR_HTTP_BARE_LF', 400],
    ['rejects a bare LF before the request line', '\nGET / HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_BARE_LF', 400],
    ['rejects a bare CR inside a header value', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n', 'PXY_ERR_HTTP_BARE_CR', 400],
    ['rejects a bare CR ending the request line', 'GET / HTTP/1.1\rHost: a\r\n\r\n', 'PXY_ERR_HTTP_BARE_CR', 400],
    ['rejects a bare CR in place of the empty line', 'GET / HTTP/1.1\r\nHost: a\r\n\rX', 'PXY_ERR_HTTP_BARE_CR', 400],
    ['rejects a NUL inside a header value', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n', 'PXY_ERR_HTTP_NUL', 400],
    ['rejects a NUL inside a header name', 'GET / HTTP/1.1\r\nHost: a\r\nX\0: b\r\n\r\n', 'PXY_ERR_HTTP_NUL', 400],
    ['rejects a NUL inside the target', 'GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_NUL', 400],
    ['rejects a DEL inside a header value', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n', 'PXY_ERR_HTTP_BAD_HEADER_VALUE', 400],
    ['rejects a control character inside a header value', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\x0bb\r\n\r\n', 'PXY_ERR_HTTP_BAD_HEADER_VALUE', 400],
    // Header lines.
    ['rejects obs-fold with a space', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n', 'PXY_ERR_HTTP_OBS_FOLD', 400],
    ['rejects obs-fold with a tab', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n', 'PXY_ERR_HTTP_OBS_FOLD', 400],
    ['rejects whitespace before the first header line', 'GET / HTTP/1.1\r\n Host: a\r\n\r\n', 'PXY_ERR_HTTP_OBS_FOLD', 400],
    ['rejects whitespace between a header name and its colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', 'PXY_ERR_HTTP_BAD_HEADER_NAME', 400],
    ['rejects an empty header name', 'GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n', 'PXY_ERR_HTTP_BAD_HEADER_NAME', 400],
    ['rejects a header line without a colon', 'GET / HTTP/1.1\r\nHost: a\r\nX\r\n\r\n', 'PXY_ERR_HTTP_BAD_HEADER_NAME', 400],
    ['rejects a header name holding a character that is not a token', 'GET / HTTP/1.1\r\nHost: a\r\nX(Y): b\r\n\r\n', 'PXY_ERR_HTTP_BAD_HEADER_NAME', 400],
    ['rejects a header name holding a byte above 0x7f', 'GET / HTTP/1.1\r\nHost: a\r\nX\xe9: b\r\n\r\n', 'PXY_ERR_HTTP_BAD_HEADER_NAME', 400],
    // Limits.
    ['answers 431 to a header line over the limit', `${GET}X: ${'b'.repeat(62)}\r\n\r\n`, 'PXY_ERR_HTTP_HEADER_TOO_LARGE', 431, small],
    ['answers 431 to an unfinished header line over the limit', `${GET}X: ${'b'.repeat(100)}`, 'PXY_ERR_HTTP_HEADER_TOO_LARGE', 431, small],
    ['answers 431 to a header block over the limit', `${GET}${'X: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n'.repeat(4)}\r\n`, 'PXY_ERR_HTTP_HEAD_TOO_LARGE', 431, small],
    ['answers 431 to an unfinished header block over the limit', `${GET}${'X: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n'.repeat(4)}`, 'PXY_ERR_HTTP_HEAD_TOO_LARGE', 431, small],
    ['answers 431 to more header fields than the limit', `${GET}${'X: b\r\n'.repeat(8)}\r\n`, 'PXY_ERR_HTTP_TOO_MANY_HEADERS', 431, small],
    // Host.
    ['rejects an HTTP/1.1 request without Host', 'GET / HTTP/1.1\r\nX: a\r\n\r\n', 'PXY_ERR_HTTP_HOST_MISSING', 400],
    ['rejects a request with two Host fields', 'GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n', 'PXY_ERR_HTTP_HOST_DUPLICATE', 400],
    ['rejects an HTTP/1.0 request with two Host fields', 'GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n', 'PXY_ERR_HTTP_HOST_DUPLICATE', 400],
    ['rejects a Host holding a slash', 'GET / HTTP/1.1\r\nHost: a/b\r\n\r\n', 'PXY_ERR_HTTP_BAD_HOST', 400],
    ['rejects a Host holding a space', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n', 'PXY_ERR_HTTP_BAD_HOST', 400],
    ['rejects a Host holding user information', 'GET / HTTP/1.1\r\nHost: u@a\r\n\r\n', 'PXY_ERR_HTTP_BAD_HOST', 400],
    // Framing: request smuggling.
    ['rejects Content-Length followed by Transfer-Encoding (CL.TE)', `${GET}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`, 'PXY_ERR_HTTP_CL_AND_TE', 400],
    ['rejects Transfer-Encoding followed by Content-Length (TE.CL)', `${GET}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n`, 'PXY_ERR_HTTP_CL_AND_TE', 400],
    ['rejects Content-Length beside a disguised Transfer-Encoding', `${GET}Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n\r\n`, 'PXY_ERR_HTTP_CL_AND_TE', 400],
    ['rejects two Content-Length fields with the same value', `${GET}Content-Length: 5\r\nContent-Length: 5\r\n\r\n`, 'PXY_ERR_HTTP_DUPLICATE_CONTENT_LENGTH', 400],
    ['rejects two Content-Length fields with different values', `${GET}Content-Length: 5\r\ncontent-length: 6\r\n\r\n`, 'PXY_ERR_HTTP_DUPLICATE_CONTENT_LENGTH', 400],
    ['rejects a Content-Length with a plus sign', `${GET}Content-Length: +5\r\n\r\n`, 'PXY_ERR_HTTP_BAD_CONTENT_LENGTH', 400],
    ['rejects a negative Content-Length', `${GET}Content-Length: -5\r\n\r\n`, 'PXY_ERR_HTTP_BAD_CONTENT_LENGTH', 400],
    ['rejects a Content-Length of two numbers separated by a space', `${GET}Content-Length: 5 5\r\n\r\n`, 'PXY_ERR_HTTP_BAD_CONTENT_LENGTH', 400],
    ['rejects a Content-Length list of equal values', `${GET}Content-Length: 5, 5\r\n\r\n`, 'PXY_ERR_HTTP_BAD_CONTENT_LENGTH', 400],
    ['rejects a Content-Length list of different values', `${GET}Content-Length: 5,6\r\n\r\n`, 'PXY_ERR_HTTP_BAD_CONTENT_LENGTH', 400],
    ['rejects a hexadecimal Content-Length', `${GET}Content-Length: 0x5\r\n\r\n`, 'PXY_ERR_HTTP_BAD_CONTENT_LENGTH', 400],
    ['rejects an empty Content-Length', `${GET}Content-Length:\r\n\r\n`, 'PXY_ERR_HTTP_BAD_CONTENT_LENGTH', 400],
    ['rejects a Content-Length of 16 digits', `${GET}Content-Length: 1234567890123456\r\n\r\n`, 'PXY_ERR_HTTP_BAD_CONTENT_LENGTH', 400],
    ['rejects a Transfer-Encoding of gzip alone', `${GET}Transfer-Encoding: gzip\r\n\r\n`, 'PXY_ERR_HTTP_TE_NOT_CHUNKED', 400],
    ['rejects a Transfer-Encoding whose last coding is not chunked', `${GET}Transfer-Encoding: chunked, gzip\r\n\r\n`, 'PXY_ERR_HTTP_TE_NOT_CHUNKED', 400],
    ['rejects chunked applied twice in one field', `${GET}Transfer-Encoding: chunked, chunked\r\n\r\n`, 'PXY_ERR_HTTP_TE_NOT_CHUNKED', 400],
    ['rejects chunked applied twice in two fields', `${GET}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n`, 'PXY_ERR_HTTP_TE_NOT_CHUNKED', 400],
    ['rejects a chunked coding with a parameter', `${GET}Transfer-Encoding: chunked;q=1\r\n\r\n`, 'PXY_ERR_HTTP_TE_NOT_CHUNKED', 400],
    ['rejects an empty Transfer-Encoding', `${GET}Transfer-Encoding:\r\n\r\n`, 'PXY_ERR_HTTP_TE_NOT_CHUNKED', 400],
    ['rejects a Transfer-Encoding list with an empty element', `${GET}Transfer-Encoding: , chunked\r\n\r\n`, 'PXY_ERR_HTTP_TE_NOT_CHUNKED', 400],
    ['rejects a Transfer-Encoding of identity', `${GET}Transfer-Encoding: identity\r\n\r\n`, 'PXY_ERR_HTTP_TE_NOT_CHUNKED', 400],
    ['rejects a Transfer-Encoding with a vertical tab around chunked', `${GET}Transfer-Encoding: \x0bchunked\r\n\r\n`, 'PXY_ERR_HTTP_BAD_HEADER_VALUE', 400],
    ['answers 501 to a transfer coding before chunked', `${GET}Transfer-Encoding: gzip, chunked\r\n\r\n`, 'PXY_ERR_HTTP_TE_UNSUPPORTED', 501],
    ['rejects Transfer-Encoding in an HTTP/1.0 request', 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n', 'PXY_ERR_HTTP_TE_ON_HTTP10', 400],
    // Other semantics.
    ['rejects a Connection field naming more than 16 other fields', `${GET}Connection: ${Array.from({ length: 17 }, (_, i) => `x${i}`).join(', ')}\r\n\r\n`, 'PXY_ERR_HTTP_BAD_CONNECTION', 400],
    ['rejects a Connection field holding a character that is not a token', `${GET}Connection: close; x\r\n\r\n`, 'PXY_ERR_HTTP_BAD_CONNECTION', 400],
    ['answers 417 to an expectation other than 100-continue', `${GET}Expect: 200-ok\r\n\r\n`, 'PXY_ERR_HTTP_EXPECTATION_FAILED', 417],
  ];
  for (const [name, text, code, status, limits] of cases) {
    it(name, () => {
      const p = parse(text, limits);
      expect(p.error).to.equal(code);
      expect(HTTP_ERRORS[code].status).to.equal(status);
    });
  }

  it('returns REJECTED and then parses a new head after reset', () => {
    const p = new RequestHeadParser();
    const bad = Buffer.from('GET / HTTP/1.1\r\nHost: a\r\nX\0: b\r\n\r\n');
    expect(p.execute(bad, 0, bad.length)).to.equal(REJECTED);
    p.reset();
    const good = Buffer.from('GET /x HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(p.execute(good, 0, good.length)).to.equal(good.length);
    expect(p.target).to.equal('/x');
  });
});

describe('RequestHeadParser accepted heads', () => {
  it('parses a typical GET into method, target, host and header offsets', () => {
    const p = parse('GET /a/b?c=d HTTP/1.1\r\nHost: Example.com:8080\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n');
    expect(p.error).to.equal(null);
    expect([p.method, p.target, p.host, p.versionMinor, p.bodyKind, p.keepAlive]).to.deep.equal(['GET', '/a/b?c=d', 'Example.com:8080', 1, BODY_NONE, true]);
    expect(headers(p)).to.deep.equal(['Host: Example.com:8080', 'User-Agent: curl/8.0', 'Accept: */*']);
  });

  const framing: readonly (readonly [string, string, number, number, boolean])[] = [
    ['frames a Content-Length body', `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n`, BODY_LENGTH, 12, true],
    ['reads a Content-Length with leading zeros as decimal', `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n`, BODY_LENGTH, 7, true],
    ['frames Content-Length 0 as a body of length zero', `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n`, BODY_LENGTH, 0, true],
    ['frames a chunked body, coding name in any case and with spaces around', `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  Chunked \r\n\r\n`, BODY_CHUNKED, 0, true],
    ['closes an HTTP/1.1 connection on Connection: close', `GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n`, BODY_NONE, 0, false],
    ['closes an HTTP/1.0 connection by default, without requiring Host', `GET / HTTP/1.0\r\n\r\n`, BODY_NONE, 0, false],
    ['keeps an HTTP/1.0 connection on Connection: keep-alive', `GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n`, BODY_NONE, 0, true],
  ];
  for (const [name, text, kind, length, keepAlive] of framing) {
    it(name, () => {
      const p = parse(text);
      expect(p.error).to.equal(null);
      expect([p.bodyKind, p.contentLength, p.keepAlive]).to.deep.equal([kind, length, keepAlive]);
    });
  }

  it('does not frame a body by a Content_Length spelled with an underscore', () => {
    const p = parse('POST / HTTP/1.1\r\nHost: a\r\nContent_Length: 5\r\nTransfer_Encoding: chunked\r\n\r\n');
    expect([p.error, p.bodyKind]).to.deep.equal([null, BODY_NONE]);
  });

  it('skips empty lines before the request line', () => {
    const p = parse('\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect([p.error, p.method]).to.deep.equal([null, 'GET']);
  });

  it('takes the host of an absolute-form target over the Host field', () => {
    const p = parse('GET http://b.example:81?x HTTP/1.1\r\nHost: a\r\n\r\n');
    expect([p.error, p.targetForm, p.host]).to.deep.equal([null, TARGET_ABSOLUTE, 'b.example:81']);
    expect(p.buf[p.pathStart]).to.equal(0x3f);
  });

  it('accepts the asterisk target of OPTIONS', () => {
    const p = parse('OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n');
    expect([p.error, p.targetForm, p.target]).to.deep.equal([null, TARGET_ASTERISK, '*']);
  });

  it('sees a WebSocket upgrade only with Connection: upgrade on HTTP/1.1', () => {
    const ws = 'Host: a\r\nUpgrade: websocket\r\n';
    expect(parse(`GET / HTTP/1.1\r\n${ws}Connection: keep-alive, Upgrade\r\n\r\n`).upgrade).to.equal(true);
    expect(parse(`GET / HTTP/1.1\r\n${ws}\r\n`).upgrade).to.equal(false);
    expect(parse(`GET / HTTP/1.0\r\n${ws}Connection: upgrade\r\n\r\n`).upgrade).to.equal(false);
  });

  it('notes Expect: 100-continue on HTTP/1.1 and ignores expectations of HTTP/1.0', () => {
    expect(parse(`${GET}Expect: 100-Continue\r\n\r\n`).expectContinue).to.equal(true);
    const p = parse('POST / HTTP/1.0\r\nExpect: 200-ok\r\n\r\n');
    expect([p.error, p.expectContinue]).to.deep.equal([null, false]);
  });

  it('collects the Connection options that name more hop-by-hop headers, lower-cased', () => {
    const p = parse(`${GET}Connection: close, X-Secret,, Keep-Alive\r\nConnection: TE\r\n\r\n`);
    expect([p.error, p.keepAlive, p.connectionTokens]).to.deep.equal([null, false, ['x-secret', 'te']]);
  });

  it('accepts obs-text and empty values and trims whitespace around values', () => {
    const p = parse(`${GET}X-A: caf\xe9\r\nX-B:\r\nX-C: \t b c \t\r\n\r\n`);
    expect(p.error).to.equal(null);
    expect(headers(p).slice(1)).to.deep.equal(['X-A: caf\xe9', 'X-B: ', 'X-C: b c']);
  });
});

describe('RequestHeadParser split reads and pipelining', () => {
  const request = 'POST /upload?id=7 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nX-Long: ' + 'v'.repeat(40) + '\r\n\r\n';

  it('parses the same head whatever the split point, from a copy held elsewhere', () => {
    const whole = Buffer.from(request, 'latin1');
    for (let cut = 1; cut < whole.length; cut++) {
      const p = new RequestHeadParser();
      // The first read sits at an offset in a socket chunk; the rest is appended to an accumulator.
      const first = Buffer.concat([Buffer.from('junk'), whole.subarray(0, cut)]);
      expect(p.execute(first, 4, first.length), `cut ${cut}`).to.equal(NEED_MORE);
      expect(p.execute(whole, 0, whole.length), `cut ${cut}`).to.equal(whole.length);
      expect([p.method, p.target, p.host, p.contentLength, p.headerValue(2)]).to.deep.equal(['POST', '/upload?id=7', 'example.com', 5, 'v'.repeat(40)]);
    }
  });

  it('parses a head that arrives one byte per read', () => {
    const whole = Buffer.from(request, 'latin1');
    const p = new RequestHeadParser();
    let r = NEED_MORE;
    for (let n = 1; n <= whole.length; n++) {
      r = p.execute(whole, 0, n);
      if (n < whole.length) expect(r).to.equal(NEED_MORE);
    }
    expect([r, p.target, p.headerCount]).to.deep.equal([whole.length, '/upload?id=7', 3]);
  });

  it('parses pipelined requests from one read, skipping each body by its length', () => {
    const buf = Buffer.from(`${request}hello\r\nGET /2 HTTP/1.1\r\nHost: b\r\n\r\nDELETE /3 HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n`, 'latin1');
    const p = new RequestHeadParser();
    const seen: string[] = [];
    let pos = 0;
    while (pos < buf.length) {
      const n = p.execute(buf, pos, buf.length);
      expect(n).to.be.greaterThan(0);
      seen.push(`${p.method} ${p.target} ${p.host} ${p.keepAlive}`);
      pos += n + (p.bodyKind === BODY_LENGTH ? p.contentLength : 0);
    }
    expect(seen).to.deep.equal(['POST /upload?id=7 example.com true', 'GET /2 b true', 'DELETE /3 c false']);
  });

  it('waits for more bytes after a complete request when the next one is partial', () => {
    const buf = Buffer.from(`GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHo`, 'latin1');
    const p = new RequestHeadParser();
    const n = p.execute(buf, 0, buf.length);
    expect(p.target).to.equal('/1');
    expect(p.execute(buf, n, buf.length)).to.equal(NEED_MORE);
  });
});
