import { expect } from 'chai';
import { DEFAULT_RECLAIM_POLICY, decideReclaim, type ReclaimObservation, type ReclaimReason } from './reclaim.ts';

/** A quiet process 10 s after its last change, never reclaimed, 100 000 servers at the peak. */
function obs(o: Partial<ReclaimObservation>): ReclaimObservation {
  return { now: 100_000, servers: 100_000, peak: 100_000, zombies: 0, changes: 0, lastChangeAt: 90_000, lastReclaimAt: -Infinity, ...o };
}

describe('memory/reclaim decideReclaim', () => {
  const cases: [string, Partial<ReclaimObservation>, ReclaimReason | null][] = [
    ['waits while the table stays at its peak', {}, null],
    ['reclaims once every server of the peak is deleted and things are quiet', { servers: 0 }, 'servers-dropped'],
    ['reclaims when the table fell to half its peak', { servers: 50_000 }, 'servers-dropped'],
    ['waits when the table fell by less than half', { servers: 50_001 }, null],
    ['waits when the drop is below the minimum, however large the fraction', { peak: 1999, servers: 0 }, null],
    ['reclaims a drop of exactly the minimum', { peak: 2000, servers: 0 }, 'servers-dropped'],
    ['waits while changes still arrive', { servers: 0, lastChangeAt: 99_000 }, null],
    ['reclaims exactly when the quiet period has passed', { servers: 0, lastChangeAt: 98_000 }, 'servers-dropped'],
    ['waits for deleted servers still holding connections', { servers: 0, zombies: 3 }, null],
    ['stops waiting for such servers after the zombie wait', { servers: 0, zombies: 3, lastChangeAt: 70_000 }, 'servers-dropped'],
    ['never reclaims twice within the minimum interval', { servers: 0, lastReclaimAt: 80_000 }, null],
    ['reclaims again once the minimum interval has passed', { servers: 0, lastReclaimAt: 70_000 }, 'servers-dropped'],
    ['reclaims after a long burst of changes even without a drop', { changes: 100_000 }, 'churn'],
    ['waits after a shorter burst', { changes: 99_999 }, null],
    ['prefers the drop as the reason when both hold', { servers: 0, changes: 500_000 }, 'servers-dropped'],
    ['waits at start with nothing ever changed', { peak: 0, servers: 0, lastChangeAt: -Infinity }, null],
  ];
  for (const [name, o, want] of cases) {
    it(name, () => expect(decideReclaim(obs(o), DEFAULT_RECLAIM_POLICY)).to.equal(want));
  }

  it('reads the policy it is given', () => {
    const eager = { ...DEFAULT_RECLAIM_POLICY, minDrop: 1, dropFraction: 0.9, quietMs: 0 };
    expect(decideReclaim(obs({ peak: 10, servers: 9, lastChangeAt: 100_000 }), eager)).to.equal('servers-dropped');
  });
});
