import { expect } from 'chai';
import { SharedCounters } from '../stats/counters.ts';
import type { ChangeRecord } from '../workers/protocol.ts';
import { PlaneHarness, freePort, get, upstream } from './fixtures/harness.ts';
import { createPlane, type TrafficPlane } from './plane.ts';
import type { PlaneReport } from './records.ts';

describe('dataplane: passive health reports and record errors (plane in process)', function () {
  this.timeout(20000);

  it('reports every failed connect, then one success after a failure', async () => {
    const counters = new SharedCounters(1, 64);
    const plane = createPlane({ index: 0, init: { index: 0, planeModule: '', counters: counters.init(), ring: new SharedArrayBuffer(256), options: { logFile: '/dev/null' } } }) as TrafficPlane;
    const reports: PlaneReport[] = [];
    plane.rt.report = (r) => reports.push(r);
    const h = new PlaneHarness(1); // used here only for its record builders and counter slots
    const port = await freePort();
    const dead = await freePort();
    const live = await upstream('live');
    let seq = 0;
    const apply = async (...rs: object[]): Promise<void> => {
      for (const r of rs) await plane.apply({ ...r, seq: ++seq } as unknown as ChangeRecord);
    };
    try {
      await apply(h.backend('b', { retries: 1, redispatch: false }), h.server(7, 'b', 's', dead), h.frontend('fe', port, { defaultBackend: 'b' }));
      expect((await get(port)).status).to.equal(503);
      expect(reports.map((r) => [r.key, r.event])).to.deep.equal([[7, 'connect-failed'], [7, 'connect-failed']]);
      expect(reports[0]!.reason).to.equal('connect refused');
      await apply(h.update(7, live.port));
      expect((await get(port)).status).to.equal(200);
      expect((await get(port)).status).to.equal(200);
      expect(reports.slice(2).map((r) => r.event)).to.deep.equal(['connect-ok']);
    } finally {
      await plane.stop(100);
      await live.close();
      await h.stop(10);
    }
  });

  it('throws on a record naming an unknown object, leaving the tables as they were', async () => {
    const counters = new SharedCounters(1, 64);
    const plane = createPlane({ index: 0, init: { index: 0, planeModule: '', counters: counters.init(), ring: new SharedArrayBuffer(256), options: { logFile: '/dev/null' } } }) as TrafficPlane;
    try {
      expect(() => plane.apply({ seq: 1, kind: 'server.del', key: 42 })).to.throw('no server key 42');
      expect(() => plane.apply({ seq: 2, kind: 'nope' })).to.throw('unknown record kind "nope"');
      expect(() => plane.apply({ seq: 3, kind: 'map.add', map: 'm', key: 'bogus', value: 'b' })).to.throw(/invalid route-map entry/);
    } finally {
      await plane.stop(10);
    }
  });
});
