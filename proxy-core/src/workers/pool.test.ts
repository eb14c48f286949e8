import { expect } from 'chai';
import pino from 'pino';
import { FIELDS, SharedCounters } from '../stats/counters.ts';
import { WorkerPool } from './pool.ts';
import { RingReader } from './record-ring.ts';
import type { ChangeRecord } from './protocol.ts';

const plane = new URL('./fixtures/recording-plane.ts', import.meta.url).href;

function appliedBy(c: SharedCounters): number[] {
  const view = new Float64Array(c.buffer);
  return Array.from({ length: c.workers }, (_, w) => view[w * FIELDS] ?? NaN);
}

function outOfOrder(c: SharedCounters): number {
  const view = new Float64Array(c.buffer);
  return Array.from({ length: c.workers }, (_, w) => view[w * FIELDS + 2] ?? 0).reduce((a, b) => a + b, 0);
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('worker pool', function () {
  this.timeout(20000);
  let counters: SharedCounters;
  let pool: WorkerPool;
  let seq = 0;
  const rec = (kind: string, extra: Record<string, unknown> = {}): ChangeRecord => ({ seq: ++seq, kind, ...extra });
  const events: string[] = [];

  beforeEach(async () => {
    seq = 0;
    events.length = 0;
    counters = new SharedCounters(2, 64);
    counters.alloc();
    pool = new WorkerPool({
      size: 2,
      planeModule: plane,
      counters: counters.init(),
      snapshot: () => [{ seq, kind: 'reset' }],
      logger: pino({ level: 'silent' }),
      onEvent: (e) => events.push(e),
    });
    await pool.start();
  });

  afterEach(async () => {
    await pool.stop(100);
  });

  it('resolves publish only after every worker fully applied the batch, even a slow one', async () => {
    await pool.publish([rec('set'), rec('slow', { ms: 50 }), rec('set')]);
    expect(appliedBy(counters)).to.deep.equal([3, 3]);
  });

  it('keeps the order of batches published back to back', async () => {
    const batches = Array.from({ length: 50 }, () => pool.publish([rec('set'), rec('slow', { ms: 1 })]));
    await Promise.all(batches);
    expect(appliedBy(counters)).to.deep.equal([100, 100]);
    expect(outOfOrder(counters)).to.equal(0);
  });

  it('returns from post at once and every worker applies the batches in order on its own', async () => {
    for (let i = 0; i < 200; i++) pool.post([rec('set'), rec('set')]);
    await until(() => pool.appliedSeq() === 400);
    expect(appliedBy(counters)).to.deep.equal([400, 400]);
    expect(outOfOrder(counters)).to.equal(0);
  });

  it('finds no worker inside a pick when none serves traffic', () => {
    expect(pool.quiesce()).to.equal(true);
  });

  it('gives up on a worker that stays inside a pick, and counts it', () => {
    const stuck = new RingReader(pool.ring.buffer, 2, 1);
    stuck.setPicking(true);
    try {
      expect(pool.quiesce()).to.equal(false);
      expect(events).to.deep.equal(['pick-wait']);
    } finally {
      stuck.setPicking(false);
    }
    expect(pool.quiesce()).to.equal(true);
  });

  it('sends a batch too large for the ring by port, in its place in the order', async () => {
    pool.post([rec('set')]);
    const big = Array.from({ length: 40000 }, () => rec('set', { pad: 'x'.repeat(40) }));
    expect(pool.post(big), 'a batch by port is in order at once').to.equal(true);
    pool.post([rec('set')]);
    await until(() => pool.appliedSeq() === seq);
    expect(appliedBy(counters)).to.deep.equal([seq, seq]);
    expect(outOfOrder(counters)).to.equal(0);
  });

  it('reports a record that throws and goes on with the next ones', async () => {
    await pool.publish([rec('boom'), rec('set')]);
    expect(events).to.deep.equal(['apply-error', 'apply-error']);
    expect(appliedBy(counters)).to.deep.equal([2, 2]);
  });

  it('replaces a crashed worker and brings it up to date from the snapshot', async () => {
    await pool.publish([rec('crash', { worker: 1 })]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(events).to.include('restart');
    await pool.publish([rec('set')]);
    expect(appliedBy(counters)).to.deep.equal([2, 2]);
  });

  it('soft-stops every worker', async () => {
    await pool.stop(100);
    const view = new Float64Array(counters.buffer);
    expect([view[1], view[FIELDS + 1]]).to.deep.equal([1, 1]);
  });
});

describe('worker pool with a small ring', function () {
  this.timeout(20000);

  it('queues batches while the workers are behind and delivers them all, in order', async () => {
    const counters = new SharedCounters(2, 64);
    counters.alloc();
    let seq = 0;
    const pool = new WorkerPool({
      size: 2, planeModule: plane, counters: counters.init(), snapshot: () => [{ seq, kind: 'reset' }],
      logger: pino({ level: 'silent' }), ringBytes: 4096,
    });
    await pool.start();
    try {
      const delivered: (true | Promise<void>)[] = [];
      for (let i = 0; i < 300; i++) delivered.push(pool.post([{ seq: ++seq, kind: 'set', pad: 'y'.repeat(30) }]));
      expect(delivered.some((d) => d !== true), 'the ring filled up').to.equal(true);
      await Promise.all(delivered);
      await until(() => pool.appliedSeq() === 300);
      expect(appliedBy(counters)).to.deep.equal([300, 300]);
      expect(outOfOrder(counters)).to.equal(0);
    } finally {
      await pool.stop(100);
    }
  });
});
