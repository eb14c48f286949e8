import { expect } from 'chai';
import { contextFor, server, type TestServer } from './balancing.case.test.ts';
import { RoundRobin } from './round-robin.ts';

function sequence(rr: RoundRobin<TestServer>, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += rr.pick(contextFor(i))?.id ?? '-';
  return out;
}

/** nginx's algorithm as written in ngx_http_upstream_get_peer, O(n) per pick: the reference. */
function nginx(weights: number[], n: number): string {
  const current = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  let out = '';
  for (let t = 0; t < n; t++) {
    let best = -1;
    weights.forEach((w, i) => {
      current[i] = (current[i] as number) + w;
      if (best < 0 || (current[i] as number) > (current[best] as number)) best = i;
    });
    current[best] = (current[best] as number) - total;
    out += String.fromCharCode(97 + best);
  }
  return out;
}

describe('roundrobin (smooth weighted)', () => {
  it('gives the nginx sequence a a b a c a a for weights 5, 1, 1, cycle after cycle', () => {
    const rr = new RoundRobin<TestServer>();
    rr.update([server('a', 5), server('b', 1), server('c', 1)]);
    expect(sequence(rr, 21)).to.equal('aabacaa'.repeat(3));
  });

  const weightSets = [[1, 1, 1], [3, 2, 1], [1, 4, 2, 4, 1], [7, 7, 3, 1, 3, 7], [256, 1, 17, 100], [2, 2, 2, 5, 5, 1, 1, 1, 9]];
  for (const weights of weightSets) {
    it(`matches nginx's O(n) algorithm exactly for weights ${weights.join(', ')}`, () => {
      const rr = new RoundRobin<TestServer>();
      rr.update(weights.map((w, i) => server(String.fromCharCode(97 + i), w)));
      const n = 3 * weights.reduce((a, b) => a + b, 0) + 5;
      expect(sequence(rr, n)).to.equal(nginx(weights, n));
    });
  }

  it('serves equal weights in configuration order', () => {
    const rr = new RoundRobin<TestServer>();
    rr.update([server('a'), server('b'), server('c')]);
    expect(sequence(rr, 7)).to.equal('abcabca');
  });

  it('continues the rotation across an update instead of restarting at the first server', () => {
    const rr = new RoundRobin<TestServer>();
    const servers = [server('a'), server('b'), server('c')];
    rr.update(servers);
    expect(sequence(rr, 2)).to.equal('ab');
    rr.update([...servers, server('d')]);
    expect(sequence(rr, 4)).to.equal('cdab');
  });

  it('skips unusable servers without disturbing the others', () => {
    const rr = new RoundRobin<TestServer>();
    rr.update([server('a', 2), server('b', 1, { usable: false }), server('c', 1)]);
    expect(sequence(rr, 6)).to.equal('acaaca');
  });
});
