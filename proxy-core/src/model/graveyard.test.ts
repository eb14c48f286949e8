import { expect } from 'chai';
import { SharedCounters } from '../stats/counters.ts';
import { Graveyard } from './graveyard.ts';
import type { Server } from './server.ts';

/** Only the two fields the graveyard reads. */
function zombie(slot: number, deletedSeq: number): Server {
  return { slot, deletedSeq } as unknown as Server;
}

function rig(): { counters: SharedCounters; yard: Graveyard; settled: number[] } {
  const counters = new SharedCounters(1);
  return { counters, yard: new Graveyard(counters), settled: [] };
}

describe('graveyard', () => {
  const cases: { name: string; zombies: [number, number][]; applied: number; limit: number; busy: number[]; destroyed: number }[] = [
    { name: 'destroys every zombie whose deletion every worker applied', zombies: [[0, 1], [1, 2]], applied: 2, limit: Infinity, busy: [], destroyed: 2 },
    { name: 'keeps a zombie whose deletion a worker has not applied, and every later one', zombies: [[0, 1], [1, 3], [2, 2]], applied: 2, limit: Infinity, busy: [], destroyed: 1 },
    { name: 'keeps a zombie that still has connections', zombies: [[0, 1], [1, 2]], applied: 2, limit: Infinity, busy: [0], destroyed: 1 },
    { name: 'destroys at most the limit in one pass', zombies: [[0, 1], [1, 1], [2, 1]], applied: 1, limit: 2, busy: [], destroyed: 2 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { counters, yard } = rig();
      const servers = c.zombies.map(([, seq]) => zombie(counters.alloc(), seq));
      for (const s of servers) yard.zombies.add(s);
      let settles = 0;
      const n = yard.reap(c.applied, c.limit, (s) => (c.busy.includes(servers.indexOf(s)) ? 1 : 0), () => { settles++; });
      expect(n).to.equal(c.destroyed);
      expect(yard.zombies.size).to.equal(servers.length - c.destroyed);
      expect(servers.filter((s) => s.slot === -1)).to.have.length(c.destroyed);
      expect(settles).to.equal(1);
    });
  }

  it('releases a retired slot for reuse only once every worker applied the removal', () => {
    const { counters, yard } = rig();
    const slot = counters.alloc();
    counters.alloc();
    yard.retire(slot, 5);
    expect(yard.empty).to.equal(false);
    yard.reap(4, Infinity, () => 0, () => undefined);
    expect(counters.alloc()).to.not.equal(slot);
    yard.reap(5, Infinity, () => 0, () => undefined);
    expect(yard.empty).to.equal(true);
    expect(counters.alloc()).to.equal(slot);
  });

  it('does not wait for the workers when there is no zombie', () => {
    const { yard } = rig();
    let settles = 0;
    expect(yard.reap(10, Infinity, () => 0, () => { settles++; })).to.equal(0);
    expect(settles).to.equal(0);
  });
});
