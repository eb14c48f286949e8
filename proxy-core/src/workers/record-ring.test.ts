import { expect } from 'chai';
import { RingReader, RingWriter, type RingFrame } from './record-ring.ts';
import type { ChangeRecord } from './protocol.ts';

/** A ring with `workers` readers, all started; frames are written with `put`. */
function ring(capacity: number, workers = 2): { w: RingWriter; readers: RingReader[]; put: (f: RingFrame) => boolean } {
  const w = new RingWriter(workers, capacity);
  const readers = Array.from({ length: workers }, (_, i) => {
    w.reset(i);
    w.start(i);
    return new RingReader(w.buffer, workers, i);
  });
  const put = (f: RingFrame): boolean => w.put(JSON.stringify(f)) === 'ok';
  return { w, readers, put };
}

const rec = (seq: number, extra: Record<string, unknown> = {}): ChangeRecord => ({ seq, kind: 'server.add', ...extra });

function drain(r: RingReader): RingFrame[] {
  const out: RingFrame[] = [];
  for (let f = r.next(); f !== undefined; f = r.next()) out.push(f);
  r.commit();
  return out;
}

describe('record ring', () => {
  it('gives every reader every frame, in order', () => {
    const { readers, put } = ring(4096);
    put({ r: [rec(1), rec(2)] });
    put({ port: [1] });
    put({ r: [rec(3)] });
    for (const r of readers) expect(drain(r)).to.deep.equal([{ r: [rec(1), rec(2)] }, { port: [1] }, { r: [rec(3)] }]);
  });

  it('reports nothing pending once a reader has read everything', () => {
    const { readers, put } = ring(4096);
    put({ r: [rec(1)] });
    const r = readers[0] as RingReader;
    expect(r.pending()).to.equal(true);
    drain(r);
    expect([r.pending(), r.next()]).to.deep.equal([false, undefined]);
  });

  it('keeps text intact across the end of the ring, multi-byte characters included', () => {
    const { readers, put } = ring(512, 1);
    const r = readers[0] as RingReader;
    const seen: number[] = [];
    for (let seq = 1; seq <= 60; seq++) {
      expect(put({ r: [rec(seq, { name: `s${'é'.repeat(seq % 7)}` })] }), `frame ${seq}`).to.equal(true);
      for (const f of drain(r)) {
        if ('r' in f) for (const x of f.r) {
          seen.push(x.seq);
          expect(x['name']).to.equal(`s${'é'.repeat(x.seq % 7)}`);
        }
      }
    }
    expect(seen).to.deep.equal(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('carries server updates and deletions as binary frames among JSON ones, across the end of the ring', () => {
    const { w, readers, put } = ring(512, 1);
    const r = readers[0] as RingReader;
    const seen: unknown[] = [];
    const want: unknown[] = [];
    for (let seq = 1; seq <= 90; seq++) {
      const batch: ChangeRecord[] = seq % 3 === 0
        ? [{ seq, kind: 'server.del', key: seq }]
        : [{ seq, kind: 'server.update', key: seq, host: `h${'é'.repeat(seq % 5)}`, port: seq, weight: seq % 257, admin: 'maint', health: 'down', maxconn: 0 }];
      want.push(...batch);
      if (seq % 10 === 0) expect(put({ r: [rec(seq + 1000)] }), `json frame ${seq}`).to.equal(true);
      if (seq % 10 === 0) want.push(rec(seq + 1000));
      expect(w.putRecords(batch), `frame ${seq}`).to.equal('ok');
      for (const f of drain(r)) if ('r' in f) seen.push(...f.r);
    }
    // the JSON frame of each tenth step went in first
    const order = (x: unknown): number => ((x as ChangeRecord).seq > 1000 ? (x as ChangeRecord).seq - 1000 - 0.5 : (x as ChangeRecord).seq);
    expect(seen).to.deep.equal([...want].sort((a, b) => order(a) - order(b)));
  });

  it('refuses a frame while the slowest reader has not made room, and takes it after', () => {
    const { w, readers, put } = ring(256);
    let n = 0;
    while (put({ r: [rec(++n)] })) if (n > 100) break;
    expect(n).to.be.below(100);
    drain(readers[0] as RingReader);
    expect(put({ r: [rec(n)] }), 'the other reader still holds the space').to.equal(false);
    drain(readers[1] as RingReader);
    expect(put({ r: [rec(n)] })).to.equal(true);
    expect(w.used).to.be.above(0);
  });

  it('does not wait for a reader that is gone', () => {
    const { w, readers, put } = ring(256);
    let n = 0;
    while (put({ r: [rec(++n)] })) if (n > 100) break;
    drain(readers[0] as RingReader);
    w.stop(1);
    expect(put({ r: [rec(n)] })).to.equal(true);
  });

  it('starts a late reader at the frames written after its start', () => {
    const w = new RingWriter(2, 1024);
    w.reset(0);
    w.start(0);
    w.reset(1);
    const late = new RingReader(w.buffer, 2, 1);
    const put = (f: RingFrame): void => void w.put(JSON.stringify(f));
    put({ r: [rec(1)] });
    expect(late.pending(), 'not started yet').to.equal(false);
    w.start(1);
    put({ r: [rec(2)] });
    expect(drain(late)).to.deep.equal([{ r: [rec(2)] }]);
  });

  it('says a frame too large for the ring must travel by port, whatever the room left', () => {
    const w = new RingWriter(1, 1024);
    w.reset(0);
    w.start(0);
    expect([w.put('x'.repeat(60)), w.put('x'.repeat(300)), w.put('é'.repeat(100))]).to.deep.equal(['ok', 'too-big', 'ok']);
  });

  it('shares the picking and applied cells between the two sides', () => {
    const { w, readers } = ring(256);
    const r = readers[1] as RingReader;
    r.setPicking(true);
    r.setApplied(2 ** 40);
    expect([w.isPicking(0), w.isPicking(1), w.applied(1)]).to.deep.equal([false, true, 2 ** 40]);
  });
});
