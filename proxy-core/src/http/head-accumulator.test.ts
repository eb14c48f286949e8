import { expect } from 'chai';
import { HeadAccumulator } from './head-accumulator.ts';
import { NEED_MORE } from './head-parser.ts';
import { RequestHeadParser } from './request-head-parser.ts';

describe('HeadAccumulator', () => {
  it('carries a head split over three reads into the parser, leaving the body bytes after it', () => {
    const reads = ['GET /a HTTP/1.1\r\nHo', 'st: x\r\nContent-Le', 'ngth: 2\r\n\r\nok'].map((s) => Buffer.from(s, 'latin1'));
    const p = new RequestHeadParser();
    const acc = new HeadAccumulator(16384);
    let n = p.execute(reads[0]!, 0, reads[0]!.length);
    expect(n).to.equal(NEED_MORE);
    acc.append(reads[0]!, 0, reads[0]!.length);
    for (const r of reads.slice(1)) {
      acc.append(r, 0, r.length);
      n = p.execute(acc.bytes, 0, acc.length);
    }
    expect([p.target, p.host, p.contentLength]).to.deep.equal(['/a', 'x', 2]);
    expect(acc.bytes.toString('latin1', n, acc.length)).to.equal('ok');
  });

  it('refuses bytes past the head limit plus one read, holding nothing more', () => {
    const acc = new HeadAccumulator(256, 1024);
    expect(acc.append(Buffer.alloc(1000), 0, 1000)).to.equal(true);
    expect(acc.append(Buffer.alloc(300), 0, 300)).to.equal(false);
    expect(acc.length).to.equal(1000);
  });

  it('grows its storage and keeps what it held', () => {
    const acc = new HeadAccumulator(16384);
    for (let i = 0; i < 30; i++) acc.append(Buffer.from('0123456789'), 0, 10);
    expect(acc.bytes.toString('latin1', 0, acc.length)).to.equal('0123456789'.repeat(30));
    acc.clear();
    expect(acc.length).to.equal(0);
  });
});
