// X-Forwarded-* in the upstream head, per forwarding mode: one table, each client head written in
// the three modes (`append`, `replace`, `off`), compared byte for byte.
import { expect } from 'chai';
import { RequestHeadParser } from './request-head-parser.ts';
import { ForwardingContext, type ForwardingMode, buildRequestHead } from './request-head-writer.ts';

function context(forwarded: ForwardingMode): ForwardingContext {
  return new ForwardingContext({ clientAddress: '::ffff:10.0.0.7', proto: 'https', port: 8443, forwarded });
}

function upstream(text: string, mode: ForwardingMode): string {
  const p = new RequestHeadParser();
  const buf = Buffer.from(text, 'latin1');
  const n = p.execute(buf, 0, buf.length);
  if (n <= 0) throw new Error(`test head rejected: ${p.error}`);
  return buildRequestHead(p, context(mode)).toString('latin1');
}

/** The proxy's own four fields for this file's connection and a Host of `a`. */
const OURS = 'X-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: a\r\n';

interface Case {
  readonly name: string;
  readonly input: string;
  readonly append: string;
  readonly replace: string;
  readonly off: string;
}

const cases: readonly Case[] = [
  {
    name: 'a client that sent no X-Forwarded-* field',
    input: 'GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n',
    append: `GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n${OURS}\r\n`,
    replace: `GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n${OURS}\r\n`,
    off: 'GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n',
  },
  {
    name: 'a client that forged all four fields',
    input: 'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: gopher\r\nX-Forwarded-Port: 1\r\nX-Forwarded-Host: evil\r\nAccept: */*\r\n\r\n',
    append: 'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: gopher\r\nX-Forwarded-Port: 1\r\nX-Forwarded-Host: evil\r\nAccept: */*\r\nX-Forwarded-For: 6.6.6.6, 10.0.0.7\r\n\r\n',
    replace: `GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n${OURS}\r\n`,
    off: 'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: gopher\r\nX-Forwarded-Port: 1\r\nX-Forwarded-Host: evil\r\nAccept: */*\r\n\r\n',
  },
  {
    name: 'a client that sent X-Forwarded-For on two lines',
    input: 'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1, 2.2.2.2\r\nx-forwarded-for: 3.3.3.3\r\n\r\n',
    append: 'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1, 2.2.2.2, 3.3.3.3, 10.0.0.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: a\r\n\r\n',
    replace: `GET / HTTP/1.1\r\nHost: a\r\n${OURS}\r\n`,
    off: 'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1, 2.2.2.2\r\nx-forwarded-for: 3.3.3.3\r\n\r\n',
  },
  {
    name: 'a client whose Connection names X-Forwarded-For (hop-by-hop in every mode)',
    input: 'GET / HTTP/1.1\r\nHost: a\r\nConnection: X-Forwarded-For\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n',
    append: `GET / HTTP/1.1\r\nHost: a\r\n${OURS}\r\n`,
    replace: `GET / HTTP/1.1\r\nHost: a\r\n${OURS}\r\n`,
    off: 'GET / HTTP/1.1\r\nHost: a\r\n\r\n',
  },
  {
    name: 'a client that spelt X-Forwarded-For with underscores (never forwarded)',
    input: 'GET / HTTP/1.1\r\nHost: a\r\nX_Forwarded_For: 6.6.6.6\r\n\r\n',
    append: `GET / HTTP/1.1\r\nHost: a\r\n${OURS}\r\n`,
    replace: `GET / HTTP/1.1\r\nHost: a\r\n${OURS}\r\n`,
    off: 'GET / HTTP/1.1\r\nHost: a\r\n\r\n',
  },
  {
    name: 'a request with a body (framing still comes last)',
    input: 'POST / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: http\r\nContent-Length: 2\r\n\r\n',
    append: 'POST / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: http\r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Port: 8443\r\nX-Forwarded-Host: a\r\nContent-Length: 2\r\n\r\n',
    replace: `POST / HTTP/1.1\r\nHost: a\r\n${OURS}Content-Length: 2\r\n\r\n`,
    off: 'POST / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: http\r\nContent-Length: 2\r\n\r\n',
  },
];

describe('buildRequestHead: X-Forwarded-* per forwarding mode', () => {
  for (const c of cases) {
    for (const mode of ['append', 'replace', 'off'] as const) {
      it(`${mode === 'off' ? 'passes through' : mode === 'append' ? 'extends' : 'replaces'} the fields of ${c.name} (${mode})`, () => {
        expect(upstream(c.input, mode)).to.equal(c[mode]);
      });
    }
  }

  const legacy: readonly (readonly [string, boolean, ForwardingMode])[] = [
    ['reads trustForwarded: true as append', true, 'append'],
    ['reads trustForwarded: false as replace', false, 'replace'],
  ];
  for (const [name, trustForwarded, mode] of legacy) {
    it(name, () => {
      expect(new ForwardingContext({ clientAddress: '10.0.0.7', proto: 'http', port: 80, trustForwarded }).mode).to.equal(mode);
    });
  }
});
