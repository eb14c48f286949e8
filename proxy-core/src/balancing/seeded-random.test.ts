import { expect } from 'chai';
import { seededRandom } from './seeded-random.ts';

describe('seeded random source', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const take = (seed: number): number[] => { const r = seededRandom(seed); return [r(), r(), r()]; };
    expect(take(5)).to.deep.equal(take(5));
    expect(take(5)).to.not.deep.equal(take(6));
  });

  it('stays in [0, 1)', () => {
    const r = seededRandom(0);
    for (let i = 0; i < 10_000; i++) expect(r()).to.be.within(0, 0.9999999999);
  });
});
