import { expect } from 'chai';
import { ChunkedDecoder } from './chunked-decoder.ts';
import { encodeChunk, writeChunkHeader } from './chunked-encoder.ts';
import { ChunkedForwarder, REFRAME, UNCHUNK } from './chunked-forwarder.ts';
import type { HttpErrorCode } from './http-errors.ts';
import { httpLimits } from './http-limits.ts';

interface Decoded {
  data: string;
  done: boolean;
  error: HttpErrorCode | null;
  /** Bytes consumed from the input (the next message starts there). */
  consumed: number;
}

/** Decodes `text` fed in slices of `step` bytes. */
function decode(text: string, step = Infinity, dec = new ChunkedDecoder()): Decoded {
  const buf = Buffer.from(text, 'latin1');
  let data = '';
  let pos = 0;
  while (pos < buf.length && !dec.done) {
    const end = Math.min(buf.length, pos + step);
    while (pos < end && !dec.done) {
      pos = dec.execute(buf, pos, end);
      if (pos < 0) return { data, done: false, error: dec.error, consumed: -1 };
      data += buf.toString('latin1', dec.dataStart, dec.dataEnd);
    }
  }
  return { data, done: dec.done, error: null, consumed: pos };
}

describe('ChunkedDecoder', () => {
  const accepted: readonly (readonly [string, string, string])[] = [
    ['decodes chunks and the last chunk', '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n', 'hello world'],
    ['decodes upper- and lower-case hex sizes', 'A\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n', '01234567890123456789'],
    ['accepts leading zeros in a size', '0005\r\nhello\r\n000\r\n\r\n', 'hello'],
    ['tolerates chunk extensions, token and quoted', '5;a=b;c;d="x \\" y"\r\nhello\r\n0;e=f\r\n\r\n', 'hello'],
    ['validates and drops trailer fields', '5\r\nhello\r\n0\r\nX-Sum: 1\r\nY:\r\n\r\n', 'hello'],
    ['decodes an empty body', '0\r\n\r\n', ''],
  ];
  for (const [name, text, data] of accepted) {
    it(name, () => {
      for (const step of [Infinity, 1, 2, 3, 7]) {
        expect(decode(text, step), `step ${step}`).to.deep.equal({ data, done: true, error: null, consumed: text.length });
      }
    });
  }

  const rejected: readonly (readonly [string, string, HttpErrorCode])[] = [
    ['rejects a size that is not hex', 'g\r\nx\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_SIZE'],
    ['rejects an empty size', '\r\nx\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_SIZE'],
    ['rejects a negative size', '-5\r\nhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_SIZE'],
    ['rejects a size with a 0x prefix', '0x5\r\nhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_SIZE'],
    ['rejects a space after the size', '5 \r\nhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_SIZE'],
    ['rejects a size line ending in a bare LF', '5\nhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_SIZE'],
    ['rejects a size line ending in a bare CR', '5\rhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_SIZE'],
    ['rejects a size over 2^53', '20000000000000\r\n', 'PXY_ERR_HTTP_CHUNK_TOO_LARGE'],
    ['rejects a size of 17 hex digits', 'fffffffffffffffff\r\n', 'PXY_ERR_HTTP_CHUNK_TOO_LARGE'],
    ['rejects an extension with a space before it', '5 ;a=b\r\nhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_SIZE'],
    ['rejects an extension without a name', '5;=b\r\nhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_EXTENSION'],
    ['rejects an extension with a space around the equals sign', '5;a =b\r\nhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_EXTENSION'],
    ['rejects a bare LF inside an extension', '5;a=b\nhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_EXTENSION'],
    ['rejects a CR inside a quoted extension', '5;a="b\rc"\r\nhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_EXTENSION'],
    ['rejects a quoted extension that never closes', '5;a="b\r\nhello\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_EXTENSION'],
    ['rejects a size line over the limit', `5;a=${'b'.repeat(5000)}\r\nhello\r\n0\r\n\r\n`, 'PXY_ERR_HTTP_CHUNK_LINE_TOO_LONG'],
    ['rejects data longer than its size', '5\r\nhelloXX\r\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_END'],
    ['rejects data followed by a bare LF', '5\r\nhello\n0\r\n\r\n', 'PXY_ERR_HTTP_BAD_CHUNK_END'],
    ['rejects a trailer line folded onto the last chunk', '0\r\n X: y\r\n\r\n', 'PXY_ERR_HTTP_BAD_TRAILER'],
    ['rejects a trailer field without a colon', '0\r\nX y\r\n\r\n', 'PXY_ERR_HTTP_BAD_TRAILER'],
    ['rejects a trailer value holding a NUL', '0\r\nX: \0\r\n\r\n', 'PXY_ERR_HTTP_BAD_TRAILER'],
    ['rejects Content-Length as a trailer field', '0\r\nContent-Length: 5\r\n\r\n', 'PXY_ERR_HTTP_BAD_TRAILER'],
    ['rejects Transfer-Encoding as a trailer field', '0\r\ntransfer-encoding: chunked\r\n\r\n', 'PXY_ERR_HTTP_BAD_TRAILER'],
    ['rejects a final line ending in a bare LF', '0\r\n\n', 'PXY_ERR_HTTP_BAD_TRAILER'],
    ['rejects a trailer section over the limit', `0\r\n${`X: ${'y'.repeat(100)}\r\n`.repeat(90)}\r\n`, 'PXY_ERR_HTTP_TRAILERS_TOO_LARGE'],
  ];
  for (const [name, text, code] of rejected) {
    it(name, () => {
      for (const step of [Infinity, 1, 3]) expect(decode(text, step).error, `step ${step}`).to.equal(code);
    });
  }

  it('stops at the end of the body and leaves the next pipelined request', () => {
    const text = '3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n';
    expect(decode(text)).to.deep.equal({ data: 'abc', done: true, error: null, consumed: 13 });
  });

  it('waits for more bytes in the middle of a size line', () => {
    expect(decode('5;a=b')).to.deep.equal({ data: '', done: false, error: null, consumed: 5 });
  });

  it('honours a smaller configured size-line limit', () => {
    const dec = new ChunkedDecoder(httpLimits({ maxChunkLineBytes: 32 }));
    expect(decode(`5;${'a'.repeat(40)}\r\nhello\r\n0\r\n\r\n`, Infinity, dec).error).to.equal('PXY_ERR_HTTP_CHUNK_LINE_TOO_LONG');
  });
});

describe('ChunkedForwarder', () => {
  const body = '005;x=1\r\nhello\r\nC\r\n from Hawser\r\n0\r\nX-T: 1\r\n\r\nNEXT';

  function forward(mode: typeof REFRAME | typeof UNCHUNK, step: number): { out: string; consumed: number } {
    const f = new ChunkedForwarder();
    f.reset(mode);
    const buf = Buffer.from(body, 'latin1');
    let out = '';
    let pos = 0;
    while (pos < buf.length && !f.done) {
      const end = Math.min(buf.length, pos + step);
      const chunk = f.transform(buf, pos, end);
      if (chunk === null) throw new Error(String(f.error));
      expect(chunk.length).to.be.at.most(end - pos + 32);
      out += chunk.toString('latin1');
      pos += f.consumed;
    }
    return { out, consumed: pos };
  }

  it('re-emits chunked framing normalized, without extensions or trailers, whatever the slicing', () => {
    for (const step of [1000, 1, 2, 5, 13]) {
      expect(forward(REFRAME, step), `step ${step}`).to.deep.equal({ out: '5\r\nhello\r\nc\r\n from Hawser\r\n0\r\n\r\n', consumed: body.length - 4 });
    }
  });

  it('returns a view of the input, not a copy, when the input is already normalized', () => {
    const f = new ChunkedForwarder();
    f.reset(REFRAME);
    const input = Buffer.from('..5\r\nhello\r\n0\r\n\r\n', 'latin1');
    const out = f.transform(input, 2, input.length)!;
    expect(out.toString('latin1')).to.equal('5\r\nhello\r\n0\r\n\r\n');
    expect([out.buffer === input.buffer, out.byteOffset - input.byteOffset]).to.deep.equal([true, 2]);
  });

  it('emits the bare data for a receiver that cannot take chunked', () => {
    for (const step of [1000, 1, 4]) expect(forward(UNCHUNK, step).out, `step ${step}`).to.equal('hello from Hawser');
  });

  it('returns null with the reason code on invalid framing', () => {
    const f = new ChunkedForwarder();
    f.reset(REFRAME);
    const buf = Buffer.from('5\r\nhelloXX', 'latin1');
    expect(f.transform(buf, 0, buf.length)).to.equal(null);
    expect(f.error).to.equal('PXY_ERR_HTTP_BAD_CHUNK_END');
  });
});

describe('chunked encoder', () => {
  it('writes chunk headers in lower-case hex', () => {
    const out = Buffer.alloc(20);
    for (const [size, text] of [[1, '1'], [15, 'f'], [16, '10'], [0xabcdef, 'abcdef'], [Number.MAX_SAFE_INTEGER, '1fffffffffffff']] as const) {
      const end = writeChunkHeader(out, 0, size);
      expect(out.toString('latin1', 0, end)).to.equal(`${text}\r\n`);
    }
  });

  it('frames a slice of data as one chunk', () => {
    expect(encodeChunk(Buffer.from('xxhello'), 2, 7).toString()).to.equal('5\r\nhello\r\n');
  });
});
