/**
 * The conformance suite every algorithm runs (in the style of Hono's router tests): a balancer
 * factory goes in, the shared contract comes out as mocha cases. An algorithm that cannot meet a
 * case skips it with a written reason.
 */
import { expect } from 'chai';
import type { Balancer, BalancerOptions, PickContext, ServerView } from './balancer.ts';
import { seededRandom } from './seeded-random.ts';

export interface TestServer extends ServerView {
  readonly id: string;
  weight: number;
  usable: boolean;
  backup?: boolean;
  connections: number;
  maxconn?: number;
}

export function server(id: string, weight = 1, more: Partial<TestServer> = {}): TestServer {
  return { id, weight, usable: true, connections: 0, ...more };
}

/** A context whose client address and header values vary with `i`, so hashing spreads. */
export function contextFor(i: number): PickContext {
  const key = `k-${i}-${(i * 2654435761) >>> 0}`;
  return { source: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, header: () => key };
}

export interface ConformanceOptions {
  readonly name: string;
  readonly create: (options: BalancerOptions) => Balancer<TestServer>;
  /** Largest relative error allowed between a server's share of picks and its weight's share. */
  readonly weightTolerance?: number;
  readonly skip?: readonly { readonly reason: string; readonly tests: readonly string[] }[];
}

/**
 * Picks `n` times, holding each picked connection open for `window` picks (FIFO), so that
 * connection-counting algorithms see a steady load. Returns picks per server id (null as 'null').
 */
export function drive(b: Balancer<TestServer>, n: number, window = 32, offset = 0): Map<string, number> {
  const counts = new Map<string, number>();
  const open: TestServer[] = [];
  for (let i = 0; i < n; i++) {
    const s = b.pick(contextFor(offset + i));
    counts.set(s?.id ?? 'null', (counts.get(s?.id ?? 'null') ?? 0) + 1);
    if (s === null) continue;
    b.onStart(s);
    open.push(s);
    if (open.length > window) b.onEnd(open.shift() as TestServer);
  }
  for (const s of open) b.onEnd(s);
  return counts;
}

export function runConformance(options: ConformanceOptions): void {
  const skipped = new Map<string, string>();
  for (const s of options.skip ?? []) for (const t of s.tests) skipped.set(t, s.reason);
  const tolerance = options.weightTolerance ?? 0.05;
  const make = (seed = 7): Balancer<TestServer> => options.create({ random: seededRandom(seed) });

  const cases: [string, () => void][] = [
    ['returns null when the backend has no server', () => {
      const b = make();
      b.update([]);
      expect(b.pick(contextFor(1))).to.equal(null);
    }],
    ['returns null when no server is usable', () => {
      const b = make();
      b.update([server('a', 1, { usable: false }), server('b', 0)]);
      for (let i = 0; i < 50; i++) expect(b.pick(contextFor(i))).to.equal(null);
    }],
    ['never picks an unusable server or one of weight 0', () => {
      const b = make();
      b.update([server('a', 3, { usable: false }), server('b', 1), server('c', 0), server('d', 2), server('e', 5, { usable: false })]);
      const counts = drive(b, 2000);
      expect([...counts.keys()]).to.satisfy((ids: string[]) => ids.every((id) => id === 'b' || id === 'd'));
      expect(counts.has('null')).to.equal(false);
    }],
    ['honours weights over many picks', () => {
      const b = make();
      const servers = [server('a', 1), server('b', 2), server('c', 3), server('d', 4)];
      b.update(servers);
      const n = 20_000;
      const counts = drive(b, n);
      for (const s of servers) {
        const expected = (n * s.weight) / 10;
        const got = counts.get(s.id) ?? 0;
        expect(Math.abs(got - expected) / expected, `${s.id}: ${got} of ${n}, expected ${expected}`).to.be.at.most(tolerance);
      }
    }],
    ['follows a weight change at once', () => {
      const b = make();
      const servers = [server('a', 1), server('b', 1)];
      b.update(servers);
      drive(b, 100);
      (servers[1] as TestServer).weight = 3;
      b.update(servers);
      const counts = drive(b, 8000, 32, 10_000);
      const share = (counts.get('b') ?? 0) / 8000;
      expect(Math.abs(share - 0.75) / 0.75).to.be.at.most(tolerance);
    }],
    ['stops picking a server set to weight 0 at once', () => {
      const b = make();
      const servers = [server('a'), server('b'), server('c')];
      b.update(servers);
      drive(b, 100);
      (servers[1] as TestServer).weight = 0;
      b.update(servers);
      expect(drive(b, 1000, 32, 500).has('b')).to.equal(false);
    }],
    ...['drained', 'put in maint', 'marked down by health checks'].map((state): [string, () => void] => [
      `stops picking a server ${state} at once`, () => {
        const b = make();
        const servers = [server('a'), server('b'), server('c')];
        b.update(servers);
        drive(b, 100);
        (servers[0] as TestServer).usable = false;
        b.update(servers);
        expect(drive(b, 1000, 32, 500).has('a')).to.equal(false);
      }]),
    ['picks a server again once it is usable again', () => {
      const b = make();
      const servers = [server('a'), server('b', 1, { usable: false })];
      b.update(servers);
      (servers[1] as TestServer).usable = true;
      b.update(servers);
      expect(drive(b, 1000).get('b') ?? 0).to.be.greaterThan(300);
    }],
    ['forgets a deleted server at once', () => {
      const b = make();
      const servers = [server('a'), server('b'), server('c')];
      b.update(servers);
      drive(b, 100);
      b.update([servers[0] as TestServer, servers[2] as TestServer]);
      const counts = drive(b, 1000, 32, 500);
      expect(counts.has('b') || counts.has('null')).to.equal(false);
    }],
    ['ignores a late connection end for a deleted server', () => {
      const b = make();
      const [a, gone] = [server('a'), server('b')];
      b.update([a, gone]);
      b.onStart(gone);
      b.update([a]);
      b.onEnd(gone);
      b.onStart(server('never-known'));
      expect(b.pick(contextFor(1))?.id).to.equal('a');
    }],
    ['gives an added server its share at once', () => {
      const b = make();
      const servers = [server('a'), server('b')];
      b.update(servers);
      drive(b, 100);
      b.update([...servers, server('c')]);
      const share = (drive(b, 9000, 32, 500).get('c') ?? 0) / 9000;
      expect(Math.abs(share - 1 / 3) * 3).to.be.at.most(tolerance);
    }],
    ['uses backup servers only while no active server is usable', () => {
      const b = make();
      const servers = [server('a'), server('bk1', 1, { backup: true }), server('bk2', 1, { backup: true })];
      b.update(servers);
      expect([...drive(b, 500).keys()]).to.deep.equal(['a']);
      (servers[0] as TestServer).usable = false;
      b.update(servers);
      const ids = [...drive(b, 500, 32, 1000).keys()];
      expect(ids).to.satisfy((l: string[]) => l.length > 0 && l.every((id) => id.startsWith('bk')));
    }],
    ['does not pick the server to avoid while another one is usable', () => {
      const b = make();
      const servers = [server('a'), server('b'), server('c')];
      b.update(servers);
      for (let i = 0; i < 300; i++) expect(b.pick(contextFor(i), servers[1])?.id).to.not.equal('b');
    }],
    ['picks the server to avoid when it is the last usable one', () => {
      const b = make();
      const servers = [server('a', 1, { usable: false }), server('b')];
      b.update(servers);
      expect(b.pick(contextFor(1), servers[1])?.id).to.equal('b');
    }],
    ['does not pick a server that reached its maxconn until a connection ends', () => {
      const b = make();
      const servers = [server('a', 1, { maxconn: 1 }), server('b', 1, { maxconn: 1 })];
      b.update(servers);
      const first = b.pick(contextFor(1)) as TestServer;
      b.onStart(first);
      const second = b.pick(contextFor(2)) as TestServer;
      expect(second.id).to.not.equal(first.id);
      b.onStart(second);
      expect(b.pick(contextFor(3))).to.equal(null);
      b.onEnd(first);
      expect(b.pick(contextFor(4))?.id).to.equal(first.id);
    }],
    ['counts the connections a server already had when it first appears against its maxconn', () => {
      const b = make();
      b.update([server('a', 1, { maxconn: 2, connections: 2 }), server('b')]);
      for (let i = 0; i < 50; i++) expect(b.pick(contextFor(i))?.id).to.equal('b');
    }],
    ['is deterministic with a seeded random source', () => {
      const run = (): string[] => {
        const b = make(99);
        b.update([server('a', 1), server('b', 2), server('c', 3)]);
        const ids: string[] = [];
        for (let i = 0; i < 200; i++) {
          const s = b.pick(contextFor(i));
          ids.push(s?.id ?? 'null');
          if (s !== null && i % 3 === 0) b.onStart(s);
        }
        return ids;
      };
      expect(run()).to.deep.equal(run());
    }],
  ];

  describe(`${options.name}: balancer conformance`, () => {
    for (const [name, fn] of cases) {
      const reason = skipped.get(name);
      if (reason !== undefined) it.skip(`${name} (skipped: ${reason})`, fn);
      else it(name, fn);
    }
  });
}
