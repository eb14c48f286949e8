import { expect } from 'chai';
import type { ChangeRecord } from './change-record.ts';
import type { Subscriber } from './change-bus.ts';
import { F, WorkerCounters } from '../stats/counters.ts';
import { checkModelInvariants } from './invariants.ts';
import { Model } from './model.ts';
import { defaultProxySettings, Proxy } from './proxy.ts';
import { defaultServerSettings } from './server.ts';
import type { ServerSettings } from './server.ts';

function setup(): { model: Model; be: Proxy } {
  const model = new Model({ clock: () => 5_000 });
  const be = new Proxy('b', 'backend', defaultProxySettings());
  model.write(() => model.addProxy(be));
  return { model, be };
}

function settings(over: Partial<ServerSettings> = {}): ServerSettings {
  return { ...defaultServerSettings(), host: '127.0.0.1', port: 80, family: 4, ...over };
}

/** A subscriber that records everything and acks only when told. */
class Recorder implements Subscriber {
  readonly got: ChangeRecord[] = [];
  deliver(records: readonly ChangeRecord[]): void {
    this.got.push(...records);
  }
}

describe('the writer section', () => {
  it('refuses a mutation outside a writer section', () => {
    const { model, be } = setup();
    expect(() => model.addServer(be, 's', settings(), true)).to.throw('model mutation outside the writer section');
  });

  it('refuses nested writer sections', () => {
    const { model } = setup();
    expect(() => model.write(() => model.write(() => 1))).to.throw('writer sections cannot nest');
    expect(model.writing).to.equal(false);
  });

  it('refuses an asynchronous writer function and undoes what it did', () => {
    const { model, be } = setup();
    expect(() => model.write(() => { model.addServer(be, 's', settings(), true); return Promise.resolve(); })).to.throw('synchronous');
    expect(be.servers.size).to.equal(0);
  });

  it('undoes every mutation and publishes nothing when the section throws', () => {
    const { model, be } = setup();
    const rec = new Recorder();
    model.bus.subscribe(rec);
    expect(() => model.write(() => {
      model.addServer(be, 's1', settings({ guid: 'g1' }), true);
      model.addServer(be, 's2', settings({ guid: 'g2' }), true);
      throw new Error('boom');
    })).to.throw('boom');
    expect([be.servers.size, model.guids.count, rec.got.length]).to.deep.equal([0, 0, 0]);
    expect(checkModelInvariants(model)).to.deep.equal([]);
    model.write(() => model.addServer(be, 's1', settings({ guid: 'g1' }), true));
    expect(be.servers.get('s1')?.puid).to.equal(1);
  });

  it('publishes one batch of ordered records per section', () => {
    const { model, be } = setup();
    const rec = new Recorder();
    model.bus.subscribe(rec);
    model.write(() => {
      const s = model.addServer(be, 's1', settings(), true);
      model.updateServer(s, { admin: 0, op: 2 });
    });
    expect(rec.got.map((r) => [r.seq, r.kind])).to.deep.equal([[2, 'server.add'], [3, 'server.update']]);
    expect(structuredClone(rec.got)).to.deep.equal(rec.got);
  });
});

describe('the change bus', () => {
  it('makes a change visible at once without subscribers', () => {
    const { model } = setup();
    expect(model.whenVisible()).to.equal(null);
  });

  it('waits until every subscriber acked the seq', async () => {
    const { model, be } = setup();
    const a = new Recorder();
    const b = new Recorder();
    model.bus.subscribe(a);
    model.bus.subscribe(b);
    model.write(() => model.addServer(be, 's1', settings(), true));
    const seq = model.bus.seq;
    let done = false;
    const p = model.whenVisible()?.then(() => { done = true; });
    model.bus.ack(a, seq);
    await Promise.resolve();
    expect(done).to.equal(false);
    model.bus.ack(b, seq);
    await p;
    expect(done).to.equal(true);
  });

  it('stops waiting for a subscriber that leaves', async () => {
    const { model, be } = setup();
    const a = new Recorder();
    model.bus.subscribe(a);
    model.write(() => model.addServer(be, 's1', settings(), true));
    const p = model.whenVisible();
    model.bus.unsubscribe(a);
    await p;
  });

  it('never moves an ack backwards', () => {
    const { model, be } = setup();
    const a = new Recorder();
    model.bus.subscribe(a);
    model.write(() => model.addServer(be, 's1', settings(), true));
    model.bus.ack(a, 2);
    model.bus.ack(a, 1);
    expect(model.bus.visibleSeq).to.equal(2);
  });
});

describe('server destruction', () => {
  it('frees a deleted server\'s GUID at once and keeps its counter slot until every worker applied the deletion', () => {
    const { model, be } = setup();
    const w = new Recorder();
    model.bus.subscribe(w);
    const s = model.write(() => model.addServer(be, 's1', settings({ guid: 'g' }), true));
    model.bus.ack(w, model.bus.seq);
    model.write(() => model.deleteServer(s));
    expect(model.guids.lookup('g')).to.equal(undefined);
    expect(model.reap()).to.equal(0);
    expect([model.zombies.size, s.slot >= 0]).to.deep.equal([1, true]);
    expect(be.servers.has('s1')).to.equal(false);
    expect(checkModelInvariants(model)).to.deep.equal([]);
    model.bus.markVisible(w, model.bus.seq);
    expect(model.reap(), 'visible is not applied').to.equal(0);
    model.bus.ack(w, model.bus.seq);
    expect(model.reap()).to.equal(1);
    expect([model.guids.count, model.zombies.size, s.slot]).to.deep.equal([0, 0, -1]);
    expect(checkModelInvariants(model)).to.deep.equal([]);
  });

  it('keeps the counter slot while a connection is still attached, then releases it', () => {
    const { model, be } = setup();
    const s = model.write(() => model.addServer(be, 's1', settings({ guid: 'g' }), true));
    const w = new WorkerCounters(model.counters.init(), 0);
    w.add(w.base(s.slot), F.REQ_CUR, 1);
    model.write(() => model.deleteServer(s));
    expect(model.reap()).to.equal(0);
    w.add(w.base(s.slot), F.REQ_CUR, -1);
    expect(model.reap()).to.equal(1);
    expect([model.guids.count, model.zombies.size, s.slot]).to.deep.equal([0, 0, -1]);
  });

  it('destroys at most the given number of servers in one pass, oldest deletions first', () => {
    const { model, be } = setup();
    const servers = [1, 2, 3, 4, 5].map((i) => model.write(() => model.addServer(be, `s${i}`, settings(), true)));
    for (const s of servers) model.write(() => model.deleteServer(s));
    expect(model.reap(2)).to.equal(2);
    expect(servers.map((s) => s.slot >= 0)).to.deep.equal([false, false, true, true, true]);
    expect(model.reap(2)).to.equal(2);
    expect(model.reap(2)).to.equal(1);
    expect(model.zombies.size).to.equal(0);
  });

  it('restores the GUID when the writer section that deleted the server fails', () => {
    const { model, be } = setup();
    const s = model.write(() => model.addServer(be, 's1', settings({ guid: 'g' }), true));
    expect(() => model.write(() => {
      model.deleteServer(s);
      throw new Error('later step failed');
    })).to.throw('later step failed');
    expect([model.guids.lookup('g'), be.servers.get('s1')]).to.deep.equal([s, s]);
    expect(checkModelInvariants(model)).to.deep.equal([]);
  });

  it('frees the name and ID at once and bumps the deletion counter', () => {
    const { model, be } = setup();
    const s = model.write(() => model.addServer(be, 's1', settings(), true));
    model.write(() => model.deleteServer(s));
    const t = model.write(() => model.addServer(be, 's1', settings(), true));
    expect([t.puid, t.rid, be.deletions]).to.deep.equal([1, 1, 1]);
  });
});

describe('snapshot', () => {
  it('gives a worker everything it needs to start at the current seq', () => {
    const { model, be } = setup();
    model.write(() => model.addServer(be, 's1', settings(), true));
    const snap = model.snapshot();
    expect(snap.map((r) => [r.seq, r.kind])).to.deep.equal([[2, 'reset'], [2, 'backend.add'], [2, 'server.add']]);
    expect(structuredClone(snap)).to.deep.equal(snap);
  });
});

describe('model invariants', () => {
  it('detects a GUID the model no longer knows (a leak)', () => {
    const { model } = setup();
    model.guids.insert({ guid: null, guidName: 'server ghost/x' }, 'leaked');
    expect(checkModelInvariants(model)).to.deep.equal([
      "tree key 'leaked' is held by server ghost/x, which is not in the model (leaked)",
      'tree holds 1 GUIDs for 0 owners',
    ]);
  });

  it('detects an owner claiming a GUID the tree does not give it', () => {
    const { model, be } = setup();
    be.guid = 'claimed';
    expect(checkModelInvariants(model)).to.deep.equal([
      "backend b claims GUID 'claimed' but the tree gives it to nobody",
      'tree holds 0 GUIDs for 1 owners',
    ]);
  });
});

describe('proxy removal', () => {
  it('frees the counter slots of a removed backend only after every worker acked it', () => {
    const { model, be } = setup();
    const w = new Recorder();
    model.bus.subscribe(w);
    const slot = be.beSlot;
    model.write(() => model.removeProxy(be));
    model.reap();
    const other = new Proxy('c', 'backend', defaultProxySettings());
    model.write(() => model.addProxy(other));
    expect(other.beSlot).to.not.equal(slot);
    model.bus.ack(w, model.bus.seq);
    model.reap();
    const third = new Proxy('d', 'backend', defaultProxySettings());
    model.write(() => model.addProxy(third));
    expect(third.beSlot).to.equal(slot);
  });
});
