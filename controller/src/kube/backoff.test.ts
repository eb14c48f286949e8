import { expect } from 'chai';
import { exponentialBackoff } from './backoff.ts';

describe('API retry backoff', () => {
  const cases: { name: string; random: number; calls: number; want: number[] }[] = [
    { name: 'doubles from 1 s and stops growing at 30 s', random: 1, calls: 7, want: [1000, 2000, 4000, 8000, 16000, 30000, 30000] },
    { name: 'never waits less than half the nominal delay', random: 0, calls: 3, want: [500, 1000, 2000] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const b = exponentialBackoff(1000, 30000, () => c.random);
      expect(Array.from({ length: c.calls }, () => b.next())).to.deep.equal(c.want);
    });
  }

  it('starts again from the base after a success', () => {
    const b = exponentialBackoff(1000, 30000, () => 1);
    b.next();
    b.next();
    b.reset();
    expect(b.next()).to.equal(1000);
  });
});
