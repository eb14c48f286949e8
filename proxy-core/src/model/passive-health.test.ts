import { expect } from 'chai';
import { Model } from './model.ts';
import { applyPlaneReport } from './passive-health.ts';
import { defaultProxySettings, Proxy } from './proxy.ts';
import { defaultServerSettings, SRV_ST_RUNNING, SRV_ST_STOPPED } from './server.ts';
import type { Server } from './server.ts';
import { checkResultPatch, maintPatch } from './server-transitions.ts';

function setup(check: boolean): { model: Model; srv: Server } {
  const model = new Model();
  const be = new Proxy('b', 'backend', defaultProxySettings());
  const srv = model.write(() => {
    model.addProxy(be);
    return model.addServer(be, 's', { ...defaultServerSettings(), host: '127.0.0.1', port: 1, family: 4, check, rise: 2, fall: 3 }, false);
  });
  return { model, srv };
}

const report = (key: number, ok: boolean): unknown => ({ type: 'plane.observe', worker: 0, key, event: ok ? 'connect-ok' : 'connect-failed', reason: ok ? '' : 'refused' });

describe('check results (rise and fall)', () => {
  it('takes a fully healthy server down after fall failures, then up after rise successes', () => {
    const { model, srv } = setup(true);
    model.write(() => model.updateServer(srv, { checkHealth: 4 }));
    const trace: string[] = [];
    for (const ok of [false, false, false, true, true]) {
      const p = checkResultPatch(srv, ok);
      if (p !== null) model.write(() => model.updateServer(srv, p));
      trace.push(`${srv.checkHealth}/${srv.op}`);
    }
    expect(trace).to.deep.equal([`3/${SRV_ST_RUNNING}`, `2/${SRV_ST_RUNNING}`, `0/${SRV_ST_STOPPED}`, `1/${SRV_ST_STOPPED}`, `4/${SRV_ST_RUNNING}`]);
  });

  it('changes nothing for a success at full health or a failure when already down at 0', () => {
    const { model, srv } = setup(true);
    model.write(() => model.updateServer(srv, { checkHealth: 4 }));
    expect(checkResultPatch(srv, true)).to.equal(null);
    model.write(() => model.updateServer(srv, { checkHealth: 0, op: SRV_ST_STOPPED }));
    expect(checkResultPatch(srv, false)).to.equal(null);
  });

  it('keeps a server in maintenance stopped while its health moves', () => {
    const { model, srv } = setup(true);
    model.write(() => model.updateServer(srv, maintPatch(srv)));
    expect(checkResultPatch(srv, true)).to.deep.equal({ checkHealth: 1 });
  });
});

describe('passive health reports', () => {
  const cases: [string, boolean, (key: number) => unknown, string][] = [
    ['ignores a message that is not a report', true, () => ({ type: 'other' }), 'not-a-report'],
    ['ignores garbage', true, () => 'garbage', 'not-a-report'],
    ['ignores a report about an unknown server', true, () => report(999, false), 'unknown-server'],
    ['ignores reports for servers without enabled checks', false, (k) => report(k, false), 'checks-disabled'],
    ['applies a failure to a checked server', true, (k) => report(k, false), 'applied'],
  ];
  for (const [name, check, msg, want] of cases) {
    it(name, () => {
      const { model, srv } = setup(check);
      expect(applyPlaneReport(model, msg(srv.key))).to.equal(want);
    });
  }

  it('forgets a deleted server at once', () => {
    const { model, srv } = setup(true);
    model.write(() => model.updateServer(srv, maintPatch(srv)));
    model.write(() => model.deleteServer(srv));
    expect(applyPlaneReport(model, report(srv.key, false))).to.equal('unknown-server');
  });
});
