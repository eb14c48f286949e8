import { expect } from 'chai';
import { server, type TestServer } from './balancing.case.test.ts';
import type { PickContext } from './balancer.ts';
import { ConsistentHash } from './consistent-hash.ts';

const KEYS = 20_000;
const bySource = (source: string): PickContext => ({ source, header: () => undefined });

function assignments(b: ConsistentHash<TestServer>): string[] {
  return Array.from({ length: KEYS }, (_, i) => b.pick(bySource(`192.0.${i >> 8}.${i & 255}`))?.id ?? 'null');
}

function servers(n: number): TestServer[] {
  return Array.from({ length: n }, (_, i) => server(`srv-${i}`));
}

describe('source and hdr() with consistent hashing', () => {
  it('sends the same client to the same server every time', () => {
    const b = new ConsistentHash<TestServer>({ kind: 'source' });
    b.update(servers(5));
    expect(assignments(b)).to.deep.equal(assignments(b));
  });

  it('moves about 1/n of the keys, all to the new server, when a server is added', () => {
    const b = new ConsistentHash<TestServer>({ kind: 'source' });
    const list = servers(10);
    b.update(list);
    const before = assignments(b);
    b.update([...list, server('srv-new')]);
    const after = assignments(b);
    const moved = after.filter((id, i) => id !== before[i]);
    expect(moved.every((id) => id === 'srv-new')).to.equal(true);
    expect(moved.length / KEYS).to.be.within(1 / 11 - 0.03, 1 / 11 + 0.03);
  });

  it('moves only the keys of a removed server', () => {
    const b = new ConsistentHash<TestServer>({ kind: 'source' });
    const list = servers(10);
    b.update(list);
    const before = assignments(b);
    b.update(list.filter((s) => s.id !== 'srv-3'));
    const after = assignments(b);
    after.forEach((id, i) => {
      if (before[i] !== 'srv-3') expect(id).to.equal(before[i]);
      else expect(id).to.not.equal('srv-3');
    });
  });

  it('takes unusable servers off the ring once they would hold most of it, and keeps picking only usable ones', () => {
    const b = new ConsistentHash<TestServer>({ kind: 'source' });
    const list = servers(6);
    b.update(list);
    for (const s of list.slice(0, 4)) s.usable = false;
    b.update(list);
    const ids = new Set(assignments(b));
    expect([...ids].sort()).to.deep.equal(['srv-4', 'srv-5']);
    for (const s of list) s.usable = false;
    b.update(list);
    expect(b.pick(bySource('192.0.2.1'))).to.equal(null);
  });

  it('moves only the keys of a drained server and gives them back when it returns', () => {
    const b = new ConsistentHash<TestServer>({ kind: 'source' });
    const list = servers(8);
    b.update(list);
    const before = assignments(b);
    (list[2] as TestServer).usable = false;
    b.update(list);
    const drained = assignments(b);
    drained.forEach((id, i) => { if (before[i] !== 'srv-2') expect(id).to.equal(before[i]); });
    (list[2] as TestServer).usable = true;
    b.update(list);
    expect(assignments(b)).to.deep.equal(before);
  });

  it('moves keys only toward a server whose weight grows', () => {
    const b = new ConsistentHash<TestServer>({ kind: 'source' });
    const list = servers(6);
    b.update(list);
    const before = assignments(b);
    (list[0] as TestServer).weight = 3;
    b.update(list);
    const after = assignments(b);
    const moved = after.filter((id, i) => id !== before[i]);
    expect(moved.length).to.be.greaterThan(0);
    expect(moved.every((id) => id === 'srv-0')).to.equal(true);
  });

  it('splits keys between equal servers within 20 % of the fair share', () => {
    const b = new ConsistentHash<TestServer>({ kind: 'source' });
    b.update(servers(10));
    const counts = new Map<string, number>();
    for (const id of assignments(b)) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const n of counts.values()) expect(n / (KEYS / 10)).to.be.within(0.8, 1.2);
  });

  it('hashes the named header, whatever the case of its name in the configuration', () => {
    const asked: string[] = [];
    const b = new ConsistentHash<TestServer>({ kind: 'header', name: 'X-User' });
    b.update(servers(4));
    const ctx: PickContext = { source: '', header: (name) => { asked.push(name); return 'alice'; } };
    const first = b.pick(ctx)?.id;
    for (let i = 0; i < 20; i++) expect(b.pick(ctx)?.id).to.equal(first);
    expect(asked[0]).to.equal('x-user');
    expect(b.algorithm).to.equal('hdr(X-User)');
  });

  it('falls back to round robin when the header is absent or empty', () => {
    const b = new ConsistentHash<TestServer>({ kind: 'header', name: 'x-user' });
    b.update(servers(3));
    const ids = ['', undefined, '', undefined, '', undefined].map((v) => b.pick({ source: '', header: () => v })?.id);
    expect(ids).to.deep.equal(['srv-0', 'srv-1', 'srv-2', 'srv-0', 'srv-1', 'srv-2']);
  });

  it('falls back to round robin for a client without an address', () => {
    const b = new ConsistentHash<TestServer>({ kind: 'source' });
    b.update(servers(2));
    expect([1, 2, 3].map(() => b.pick(bySource(''))?.id)).to.deep.equal(['srv-0', 'srv-1', 'srv-0']);
  });
});
