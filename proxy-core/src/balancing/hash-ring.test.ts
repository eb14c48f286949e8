import { expect } from 'chai';
import fc from 'fast-check';
import { HashRing, MAX_POINTS, POINTS_PER_WEIGHT } from './hash-ring.ts';

describe('hash ring', () => {
  it('gives each server points in proportion to its weight', () => {
    const ring = new HashRing();
    ring.update([1, 3, 0], ['a', 'b', 'c'], [0, 1, 2]);
    expect([0, 1, 2].map((s) => ring.pointsOf(s))).to.deep.equal([POINTS_PER_WEIGHT, 3 * POINTS_PER_WEIGHT, 0]);
    expect(ring.size).to.equal(4 * POINTS_PER_WEIGHT);
  });

  it('shrinks points per weight for everyone past the cap', () => {
    const ring = new HashRing();
    const n = Math.ceil(MAX_POINTS / POINTS_PER_WEIGHT) + 100;
    const weights = Array.from({ length: n }, () => 1);
    ring.update(weights, weights.map((_, i) => `s${i}`), weights.map((_, i) => i));
    expect(ring.size).to.be.at.most(MAX_POINTS);
    expect(ring.pointsOf(0)).to.be.lessThan(POINTS_PER_WEIGHT);
  });

  it('after any sequence of incremental updates, equals a ring built from scratch', () => {
    const all = Uint8Array.from({ length: 8 }, () => 1);
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(7), fc.nat(3)), { minLength: 1, maxLength: 12 }), (steps) => {
      const ring = new HashRing();
      const weights = new Array<number>(8).fill(0);
      const ids = weights.map((_, i) => `srv-${i}`);
      for (const [slot, w] of steps) {
        weights[slot] = w;
        ring.update(weights, ids, [slot]);
      }
      const fresh = new HashRing();
      fresh.update(weights, ids, weights.map((_, i) => i));
      expect(ring.size).to.equal(fresh.size);
      for (let h = 0; h < 2 ** 32; h += 2 ** 22 + 12345) expect(ring.lookup(h, all)).to.equal(fresh.lookup(h, all));
    }), { numRuns: 200, seed: 11 });
  });

  it('answers -1 when empty', () => {
    expect(new HashRing().lookup(123, new Uint8Array(0))).to.equal(-1);
  });

  it('steps over the points of ineligible slots to the next eligible owner', () => {
    const ring = new HashRing();
    ring.update([1, 1], ['a', 'b'], [0, 1]);
    for (let h = 0; h < 2 ** 32; h += 2 ** 24) expect(ring.lookup(h, Uint8Array.of(0, 1))).to.equal(1);
    expect(ring.lookup(5, Uint8Array.of(0, 0))).to.equal(-1);
  });

  it('wraps past the last point to the first', () => {
    const ring = new HashRing();
    ring.update([1], ['only'], [0]);
    expect(ring.lookup(0xffffffff, Uint8Array.of(1))).to.equal(0);
  });
});
