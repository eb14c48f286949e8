import { expect } from 'chai';
import pino from 'pino';
import { modelCommands } from '../commands/index.ts';
import { buildModel } from '../config/build-model.ts';
import { parseConfig } from '../config/parser.ts';
import type { CommandContext } from '../runtime/command.ts';
import { FIELDS, SharedCounters } from '../stats/counters.ts';
import { WorkerPool } from '../workers/pool.ts';
import { subscribePool } from './pool-subscriber.ts';

const plane = new URL('../workers/fixtures/recording-plane.ts', import.meta.url).href;

describe('the change bus with real worker threads', function () {
  this.timeout(20000);

  it('replies to a runtime command once its records are in the ring, and every worker then applies them', async () => {
    const r = parseConfig('backend b\n    balance roundrobin\n', 'h.cfg');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const counters = new SharedCounters(2);
    const model = buildModel(r.config, { counters });
    const pool = new WorkerPool({ size: 2, planeModule: plane, counters: counters.init(), snapshot: () => model.snapshot(), logger: pino({ level: 'silent' }) });
    await pool.start();
    const unsubscribe = subscribePool(model, pool);
    try {
      const cmds = modelCommands(model);
      const add = cmds.find((c) => c.words.join(' ') === 'add server');
      const ctx: CommandContext = { level: 'admin', payload: undefined, signal: new AbortController().signal };
      const reply = add?.run(['add', 'server', 'b/s1', '127.0.0.1:80'], ctx);
      expect(reply, 'the reply does not wait for the workers').to.equal('New server registered.\n');
      expect(model.bus.visibleSeq).to.equal(model.bus.seq);
      expect(pool.ring.frameCount(), 'frames: the command').to.equal(1);
      // The recording plane writes the highest applied seq into field 0 of each worker's block of slot 0.
      const view = new Float64Array(counters.buffer);
      const end = Date.now() + 3000;
      while (model.bus.appliedSeq < model.bus.seq && Date.now() < end) await new Promise((res) => setTimeout(res, 5));
      expect([view[0], view[FIELDS]]).to.deep.equal([model.bus.seq, model.bus.seq]);
    } finally {
      unsubscribe();
      await pool.stop(100);
    }
  });
});

describe('pool subscriber', () => {
  const setup = (): { model: ReturnType<typeof buildModel>; run: (...args: string[]) => string | Promise<string> } => {
    const r = parseConfig('backend b\n    balance roundrobin\n', 'h.cfg');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const model = buildModel(r.config);
    const cmds = modelCommands(model);
    const ctx: CommandContext = { level: 'admin', payload: undefined, signal: new AbortController().signal };
    const run = (...args: string[]): string | Promise<string> => {
      const spec = cmds.find((c) => args.join(' ').startsWith(c.words.join(' ')));
      if (spec === undefined) throw new Error(`no command ${args.join(' ')}`);
      return spec.run(args, ctx);
    };
    return { model, run };
  };

  it('posts each writer section as it is published and replies at once, without an ack', () => {
    const { model, run } = setup();
    const posted: number[][] = [];
    const unsubscribe = subscribePool(model, {
      post: (records) => {
        posted.push(records.map((x) => x.seq));
        return true;
      },
      publish: () => Promise.reject(new Error('no ack expected')),
      appliedSeq: () => 1,
    });
    const replies = [1, 2, 3].map((i) => run('add', 'server', `b/s${i}`, '127.0.0.1:80'));
    expect(replies).to.deep.equal(['New server registered.\n', 'New server registered.\n', 'New server registered.\n']);
    expect(posted).to.deep.equal([[2], [3], [4]]);
    expect([model.bus.visibleSeq, model.bus.appliedSeq]).to.deep.equal([4, 1]);
    unsubscribe();
  });

  it('replies once a batch held back by a full ring is in', async () => {
    const { model, run } = setup();
    let deliver = (): void => undefined;
    const unsubscribe = subscribePool(model, {
      post: () => new Promise<void>((resolve) => { deliver = resolve; }),
      publish: () => Promise.reject(new Error('no ack expected')),
      appliedSeq: () => 0,
    });
    const reply = run('add', 'server', 'b/s1', '127.0.0.1:80');
    expect(reply).to.be.instanceOf(Promise);
    deliver();
    expect(await reply).to.equal('New server registered.\n');
    unsubscribe();
  });

  it('does not count a batch as visible before an earlier one that waits for its ack', async () => {
    const { model, run } = setup();
    let release = (): void => undefined;
    const unsubscribe = subscribePool(model, {
      post: () => true,
      publish: () => new Promise<void>((resolve) => { release = resolve; }),
      appliedSeq: () => model.bus.seq,
    });
    model.write(() => model.emit({ kind: 'cert.set', name: 'c', cert: '', key: '', names: [] }));
    const certSeq = model.bus.seq;
    const reply = run('add', 'server', 'b/s1', '127.0.0.1:80');
    expect(reply).to.be.instanceOf(Promise);
    expect(model.bus.visibleSeq).to.be.below(certSeq);
    expect(model.bus.appliedSeq, 'applied is capped the same way').to.be.below(certSeq);
    release();
    expect(await reply).to.equal('New server registered.\n');
    expect(model.bus.visibleSeq).to.equal(model.bus.seq);
    unsubscribe();
  });

  it('waits for every worker to acknowledge a batch that binds listeners or loads certificates', async () => {
    const { model } = setup();
    let release = (): void => undefined;
    const unsubscribe = subscribePool(model, {
      post: () => { throw new Error('an ack was expected'); },
      publish: () => new Promise<void>((resolve) => { release = resolve; }),
      appliedSeq: () => 0,
    });
    model.write(() => model.emit({ kind: 'cert.set', name: 'c', cert: '', key: '', names: [] }));
    const visible = model.whenVisible();
    let done = false;
    void visible?.then(() => { done = true; });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(done).to.equal(false);
    release();
    await visible;
    expect(model.bus.visibleSeq).to.equal(model.bus.seq);
    unsubscribe();
  });
});
