import { expect } from 'chai';
import { F, WorkerCounters } from '../stats/counters.ts';
import type { Fixture } from './fixture.ts';
import { A, fixture } from './fixture.ts';

const cfg = 'backend b\n    balance roundrobin\n';

/** What a worker does when a connection to server b/s opens (+1) or closes (-1). */
function conn(fx: Fixture, delta: number): void {
  const slot = fx.model.backend('b')?.servers.get('s')?.slot ?? -1;
  const w = new WorkerCounters(fx.model.counters.init(), 0);
  w.add(w.base(slot), F.CONN_CUR, delta);
}

describe('wait srv-removable', () => {
  const cases: [string, string[], string, string][] = [
    ['is done at once for a server in maintenance', [`add server b/s ${A}`], 'wait 1s srv-removable b/s', 'Done.\n'],
    ['fails for a live server', [`add server b/s ${A}`, 'enable server b/s'], 'wait 1s srv-removable b/s', 'Failed. Only servers in maintenance mode can be deleted.\n'],
    ['fails for an unknown server', [], 'wait 1s srv-removable b/s', 'Failed. No such server.\n'],
    ['requires a server name', [], 'wait 1s srv-removable', 'Missing server name (<backend>/<server>).\n'],
    ['requires backend/server', [], 'wait 1s srv-removable b', "Require 'backend/server'.\n"],
    ['rejects a bad duration', [], 'wait 1x srv-removable b/s', 'Invalid duration.\n'],
    ['waits a bare delay and replies nothing', [], 'wait 5ms', ''],
    ['fails for a published backend', [], 'wait 1s be-removable b', 'Failed. Backend must be unpublished prior to its deletion.\n'],
  ];
  for (const [name, setup, cmd, want] of cases) {
    it(name, async () => {
      const fx = fixture(cfg);
      for (const c of setup) await fx.send(c);
      expect(await fx.send(cmd)).to.equal(want);
    });
  }

  it('waits for the connections to go, then is done', async () => {
    const fx = fixture(cfg);
    await fx.send(`add server b/s ${A}`);
    conn(fx, 1);
    expect(await fx.send('del server b/s')).to.equal('Server still has connections attached to it, cannot remove it.\n');
    setTimeout(() => conn(fx, -1), 30);
    expect(await fx.send('wait 2s srv-removable b/s')).to.equal('Done.\n');
    expect(await fx.send('del server b/s')).to.equal('Server deleted.\n');
  });

  it('expires with the last reason', async () => {
    const fx = fixture(cfg);
    await fx.send(`add server b/s ${A}`);
    conn(fx, 1);
    expect(await fx.send('wait 30ms srv-removable b/s')).to.equal('Wait delay expired. Server still has connections attached to it, cannot remove it.\n');
  });

  it('stops early when the client goes away', async () => {
    const fx = fixture(cfg);
    await fx.send(`add server b/s ${A}`);
    conn(fx, 1);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    expect(await fx.send('wait 10s srv-removable b/s', 'admin', ac.signal)).to.equal('Interrupted. Server still has connections attached to it, cannot remove it.\n');
  });

  it('prints its usage for -h and unknown conditions', async () => {
    const fx = fixture(cfg);
    const usage = await fx.send('wait -h');
    expect(usage.startsWith('Usage: wait {-h|<duration>} [condition [args...]]\n')).to.equal(true);
    expect(await fx.send('wait 1s bogus-condition x')).to.equal(usage);
  });
});
