import { expect } from 'chai';
import { F, FIELDS, LATENCY_BUCKETS, SharedCounters, WorkerCounters } from './counters.ts';

describe('shared counters', () => {
  it('keeps both latency families inside one block', () => {
    expect(F.RESPONSE_HIST + LATENCY_BUCKETS.length + 2).to.be.at.most(FIELDS);
    expect(F.CONNECT_HIST + LATENCY_BUCKETS.length + 2).to.equal(F.RESPONSE_HIST);
  });

  it('sums what each worker wrote into its own block', () => {
    const c = new SharedCounters(2, 1024);
    const slot = c.alloc();
    const w0 = new WorkerCounters(c.init(), 0);
    const w1 = new WorkerCounters(c.init(), 1);
    w0.add(w0.base(slot), F.CONN_CUR, 2);
    w1.add(w1.base(slot), F.CONN_CUR, 3);
    expect(c.sum(slot, F.CONN_CUR)).to.equal(5);
  });

  it('grows the buffer when slots run out and the workers see the new slots', () => {
    const c = new SharedCounters(2, 4096);
    const w = new WorkerCounters(c.init(), 1);
    let last = 0;
    for (let i = 0; i < 1000; i++) last = c.alloc();
    w.add(w.base(last), F.REQ_TOTAL, 1);
    expect(c.sum(last, F.REQ_TOTAL)).to.equal(1);
  });

  it('hands back a released slot zeroed', () => {
    const c = new SharedCounters(1, 64);
    const w = new WorkerCounters(c.init(), 0);
    const slot = c.alloc();
    w.add(w.base(slot), F.BYTES_IN, 100);
    c.release(slot);
    expect(c.alloc()).to.equal(slot);
    expect(c.sum(slot, F.BYTES_IN)).to.equal(0);
  });

  it('builds cumulative histograms with the +Inf bucket last', () => {
    const c = new SharedCounters(1, 64);
    const w = new WorkerCounters(c.init(), 0);
    const slot = c.alloc();
    const b = w.base(slot);
    w.observe(b, F.RESPONSE_HIST, 0.0001);
    w.observe(b, F.RESPONSE_HIST, 0.003);
    w.observe(b, F.RESPONSE_HIST, 100);
    const h = c.histogram(slot, F.RESPONSE_HIST);
    expect(h.count).to.equal(3);
    expect(h.buckets[0]).to.equal(1);
    expect(h.buckets[3]).to.equal(2);
    expect(h.buckets.at(-1)).to.equal(3);
    expect(h.sum).to.be.closeTo(100.0031, 1e-9);
  });
});
