import { expect } from 'chai';
import { PlaneBalancer } from './balancer.ts';
import type { Balance } from './records.ts';
import { PlaneServer, type BackendEntry } from './tables.ts';

const backend = {} as BackendEntry;
const ctx = { source: '', header: () => undefined };

function servers(n: number): PlaneServer[] {
  return Array.from({ length: n }, (_, i) => {
    const s = new PlaneServer(i + 1, `s${i + 1}`, null, backend, '127.0.0.1', 9);
    s.weight = 1;
    s.admin = 'ready';
    s.health = 'up';
    return s;
  });
}

describe('dataplane/balancer PlaneBalancer', () => {
  it('rebuilds at the next pick after a change, not at the change', () => {
    const b = new PlaneBalancer({ algo: 'roundrobin', hdrName: null });
    const list = servers(3);
    b.invalidate(list);
    expect(list.map((s) => s.usable)).to.deep.equal([false, false, false]);
    expect(b.pick(ctx, null)).to.equal(list[0]);
    expect(list.map((s) => s.usable)).to.deep.equal([true, true, true]);
  });

  it('rebuilds at once when the backend shrank below half of what it was built with, so deleted servers are released', () => {
    const b = new PlaneBalancer({ algo: 'roundrobin', hdrName: null });
    const list = servers(10);
    b.rebuild(list);
    const kept = servers(4);
    b.invalidate(kept);
    expect(kept.map((s) => s.usable), 'rebuilt without a pick').to.deep.equal([true, true, true, true]);
    b.invalidate([]);
    expect(b.pick(ctx, null)).to.equal(null);
  });

  it('waits for the next pick while the backend keeps at least half', () => {
    const b = new PlaneBalancer({ algo: 'roundrobin', hdrName: null });
    b.rebuild(servers(10));
    const kept = servers(5);
    b.invalidate(kept);
    expect(kept.map((s) => s.usable)).to.deep.equal([false, false, false, false, false]);
  });

  const algorithms: readonly (readonly [string, Balance, string])[] = [
    ['draws as many servers as the record says for random', { algo: 'random', hdrName: null, draws: 3 }, 'random(3)'],
    ['draws twice for a random record without draws', { algo: 'random', hdrName: null }, 'random'],
    ['hashes the lower-case header of hdr', { algo: 'hdr', hdrName: 'x-user' }, 'hdr(x-user)'],
  ];
  for (const [name, balance, algorithm] of algorithms) it(name, () => expect(new PlaneBalancer(balance).algorithm).to.equal(algorithm));
});
