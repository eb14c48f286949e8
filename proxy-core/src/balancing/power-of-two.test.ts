import { expect } from 'chai';
import { AliasTable } from './alias-table.ts';
import { contextFor, server, type TestServer } from './balancing.case.test.ts';
import { PowerOfTwo } from './power-of-two.ts';
import { seededRandom } from './seeded-random.ts';

/** A random source that replays fixed numbers. */
function replay(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

describe('random (power of two choices)', () => {
  it('keeps the less loaded of the two servers drawn', () => {
    const p = new PowerOfTwo<TestServer>({ random: replay(0.1, 0.9) });
    p.update([server('a', 1, { connections: 4 }), server('b', 1, { connections: 1 })]);
    expect(p.pick(contextFor(0))?.id).to.equal('b');
  });

  it('keeps the first draw on a tie', () => {
    const p = new PowerOfTwo<TestServer>({ random: replay(0.9, 0.1) });
    p.update([server('a'), server('b')]);
    expect(p.pick(contextFor(0))?.id).to.equal('b');
  });

  it('weighs load by weight: 2 connections on weight 4 beat 1 on weight 1', () => {
    const p = new PowerOfTwo<TestServer>({ random: replay(0.1, 0.9) });
    p.update([server('light', 1, { connections: 1 }), server('heavy', 4, { connections: 2 })]);
    expect(p.pick(contextFor(0))?.id).to.equal('heavy');
  });

  it('draws once with random(1), ignoring load', () => {
    const p = new PowerOfTwo<TestServer>({ random: replay(0.1, 0.9), draws: 1 });
    p.update([server('a', 1, { connections: 100 }), server('b')]);
    expect(p.pick(contextFor(0))?.id).to.equal('a');
    expect(p.algorithm).to.equal('random(1)');
  });

  it('names itself random when the draws are left to the default', () => {
    expect(new PowerOfTwo().algorithm).to.equal('random');
  });

  it('keeps the least loaded of three draws with random(3), where two draws would miss it', () => {
    const servers = [server('a', 1, { connections: 5 }), server('b', 1, { connections: 3 }), server('c', 1, { connections: 0 })];
    const two = new PowerOfTwo<TestServer>({ random: replay(0.1, 0.5, 0.9), draws: 2 });
    two.update(servers);
    expect(two.pick(contextFor(0))?.id).to.equal('b');
    const three = new PowerOfTwo<TestServer>({ random: replay(0.1, 0.5, 0.9), draws: 3 });
    three.update(servers);
    expect(three.pick(contextFor(0))?.id).to.equal('c');
  });

  it('finds the least loaded server more often with every added draw (seeded)', () => {
    // Ten servers loaded 0..9 connections: with d draws the idle one wins when it is drawn.
    const servers = Array.from({ length: 10 }, (_, i) => server(`s${i}`, 1, { connections: i }));
    const share = (draws: number): number => {
      const p = new PowerOfTwo<TestServer>({ random: seededRandom(42), draws });
      p.update(servers);
      let idle = 0;
      for (let i = 0; i < 10_000; i++) if (p.pick(contextFor(i))?.id === 's0') idle++;
      return idle / 10_000;
    };
    const shares = [1, 2, 4, 8].map(share);
    expect(shares[0]).to.be.within(0.08, 0.12);
    expect(shares[1]).to.be.within(0.17, 0.23);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).to.be.above(shares[i - 1] as number);
  });

  it('picks the less loaded of two servers every time when the draws outnumber the servers', () => {
    const p = new PowerOfTwo<TestServer>({ random: seededRandom(7), draws: 5 });
    p.update([server('busy', 1, { connections: 2 }), server('idle')]);
    const picked = new Set(Array.from({ length: 1000 }, (_, i) => p.pick(contextFor(i))?.id));
    expect([...picked]).to.deep.equal(['idle']);
  });
});

describe('alias table', () => {
  it('draws indexes in proportion to their weights', () => {
    const weights = [1, 2, 3, 10, 0.5];
    const table = new AliasTable(weights);
    const rand = seededRandom(3);
    const counts = weights.map(() => 0);
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[table.draw(rand())]! += 1;
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => expect(Math.abs((counts[i] as number) / n - w / total)).to.be.below(0.005));
  });

  it('always draws the only index of a one-entry table', () => {
    const table = new AliasTable([7]);
    expect([0, 0.5, 0.999999].map((u) => table.draw(u))).to.deep.equal([0, 0, 0]);
  });
});
