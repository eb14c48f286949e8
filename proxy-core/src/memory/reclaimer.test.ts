import { expect } from 'chai';
import { Registry } from 'prom-client';
import type { ToWorker } from '../workers/protocol.ts';
import { DEFAULT_RECLAIM_POLICY } from './reclaim.ts';
import { RECLAIM_METRIC, Reclaimer, type ReclaimSource } from './reclaimer.ts';

interface Rig {
  readonly src: { serverCount: number; zombieCount: number; changeSeq: number };
  readonly sent: ToWorker[];
  readonly collected: number[];
  readonly registry: Registry;
  readonly r: Reclaimer;
  now: number;
}

function rig(): Rig {
  const src: ReclaimSource & Rig['src'] = { serverCount: 0, zombieCount: 0, changeSeq: 0 };
  const rg = { src, sent: [] as ToWorker[], collected: [] as number[], registry: new Registry(), now: 0 } as Omit<Rig, 'r'> & { r?: Reclaimer };
  rg.r = new Reclaimer({
    source: src, registry: rg.registry, policy: DEFAULT_RECLAIM_POLICY, clock: () => rg.now,
    workers: { broadcast: (m) => rg.sent.push(m) },
    collect: () => { rg.collected.push(rg.now); return 1; },
  });
  return rg as Rig;
}

/** Servers added (or deleted) through `changes` published changes, then the clock moves on. */
function change(rg: Rig, servers: number, changes: number, afterMs: number): void {
  rg.src.serverCount = servers;
  rg.src.changeSeq += changes;
  rg.r.tick();
  rg.now += afterMs;
}

async function reclaims(rg: Rig): Promise<string> {
  const m = await rg.registry.getSingleMetricAsString(RECLAIM_METRIC);
  return m.split('\n').filter((l) => l.startsWith(RECLAIM_METRIC)).join('\n');
}

describe('memory/reclaimer Reclaimer', () => {
  it('collects in the writer and asks every worker once the servers are deleted and things are quiet', async () => {
    const rg = rig();
    change(rg, 10_000, 20_000, 1000);
    change(rg, 0, 20_000, 1000);
    expect(rg.r.tick()).to.equal(null);
    rg.now += 1000;
    expect(rg.r.tick()).to.equal('servers-dropped');
    expect(rg.sent).to.deep.equal([{ type: 'reclaim' }]);
    expect(rg.collected).to.deep.equal([3000]);
    expect(await reclaims(rg)).to.equal(`${RECLAIM_METRIC}{reason="servers-dropped"} 1`);
  });

  it('measures the next drop from the table size at the last reclaim, not from the old peak', () => {
    const rg = rig();
    change(rg, 10_000, 10_000, 5000);
    change(rg, 4000, 6000, 5000);
    expect(rg.r.tick()).to.equal('servers-dropped');
    rg.now += 60_000;
    change(rg, 3000, 1000, 5000);
    expect(rg.r.tick()).to.equal(null);
    expect(rg.collected).to.have.length(1);
  });

  it('does nothing for a small table', () => {
    const rg = rig();
    change(rg, 1000, 1000, 5000);
    change(rg, 0, 1000, 5000);
    expect(rg.r.tick()).to.equal(null);
    expect(rg.sent).to.deep.equal([]);
  });

  it('counts a reclaim after a long burst of changes as churn', async () => {
    const rg = rig();
    change(rg, 5000, 100_000, 5000);
    expect(rg.r.tick()).to.equal('churn');
    expect(await reclaims(rg)).to.equal(`${RECLAIM_METRIC}{reason="churn"} 1`);
  });

  it('works without workers', () => {
    const src = { serverCount: 10_000, zombieCount: 0, changeSeq: 0 };
    let now = 0;
    const r = new Reclaimer({ source: src, workers: null, clock: () => now, collect: () => 0 });
    src.serverCount = 0;
    src.changeSeq = 1;
    r.tick();
    now = 5000;
    expect(r.tick()).to.equal('servers-dropped');
  });
});
