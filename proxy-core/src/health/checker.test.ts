import { expect } from 'chai';
import { buildModel } from '../config/build-model.ts';
import { parseConfig } from '../config/parser.ts';
import type { Server } from '../model/server.ts';
import { SRV_ST_RUNNING, SRV_ST_STOPPED } from '../model/server.ts';
import { HealthChecker } from './checker.ts';
import type { ProbeResult } from './probe.ts';

function setup(results: boolean[], scanMs = 5) {
  const r = parseConfig('backend be\n  mode http\n  option httpchk GET /healthz\n  server s1 127.0.0.1:1 check inter 10 rise 2 fall 2\n  server s2 127.0.0.1:2\n', 'c.cfg');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const model = buildModel(r.config);
  const probes: string[] = [];
  let i = 0;
  const checker = new HealthChecker({
    model, scanMs,
    probe: async (t): Promise<ProbeResult> => {
      probes.push(`${t.http?.method ?? 'TCP'} ${t.http?.uri ?? ''} ${String(t.port)}`);
      const passed = results[Math.min(i++, results.length - 1)] ?? true;
      return { passed, status: passed ? 'L7OK' : 'L7STS' };
    },
  });
  const srv = (name: string): Server => {
    const s = model.backend('be')?.servers.get(name);
    if (s === undefined) throw new Error(name);
    return s;
  };
  return { model, checker, probes, srv };
}

const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('active health checks', () => {
  it('probes only servers with checks, with the backend\'s httpchk request', async () => {
    const { checker, probes } = setup([true]);
    checker.start();
    await until(() => probes.length >= 2);
    checker.stop();
    expect(new Set(probes)).to.deep.equal(new Set(['GET /healthz 1']));
  });

  it('marks a server down after `fall` failures and up again after `rise` successes', async () => {
    const { checker, srv } = setup([false, false, false, true, true, true]);
    expect(srv('s1').op).to.equal(SRV_ST_RUNNING);
    checker.start();
    await until(() => srv('s1').op === SRV_ST_STOPPED);
    await until(() => srv('s1').op === SRV_ST_RUNNING);
    checker.stop();
  });

  it('stops probing a server put in maintenance, at the change, without waiting for a scan', async () => {
    const { model, checker, probes, srv } = setup([true], 3_600_000);
    checker.start();
    await until(() => probes.length >= 1);
    model.write(() => model.updateServer(srv('s1'), { admin: srv('s1').admin | 0x01 }));
    expect(checker.checking).to.equal(0);
    const n = probes.length;
    await new Promise((r) => setTimeout(r, 60));
    checker.stop();
    expect(probes.length - n).to.be.at.most(1);
    expect(checker.checking).to.equal(0);
  });

  it('starts probing a server as soon as its checks are enabled, and forgets a deleted one', async () => {
    const { model, checker, probes, srv } = setup([true], 3_600_000);
    checker.start();
    expect(checker.checking).to.equal(1);
    model.write(() => model.updateServer(srv('s2'), { checkState: srv('s1').checkState }));
    expect(checker.checking).to.equal(2);
    await until(() => probes.some((p) => p.endsWith(' 2')));
    const s2 = srv('s2');
    model.write(() => model.updateServer(s2, { admin: s2.admin | 0x01 }));
    model.write(() => model.deleteServer(s2));
    expect(checker.checking).to.equal(1);
    checker.stop();
  });
});
