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

  it('replies to a runtime command only after every worker applied its records', async () => {
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
      const pending = add?.run(['add', 'server', 'b/s1', '127.0.0.1:80'], ctx);
      expect(pending).to.be.instanceOf(Promise);
      expect(await pending).to.equal('New server registered.\n');
      // The recording plane writes the last applied seq into field 0 of each worker's block of slot 0.
      const view = new Float64Array(counters.buffer);
      expect([view[0], view[FIELDS]]).to.deep.equal([model.bus.seq, model.bus.seq]);
      expect(model.bus.visibleSeq).to.equal(model.bus.seq);
    } finally {
      unsubscribe();
      await pool.stop(100);
    }
  });
});

describe('pool subscriber', () => {
  it('sends the batches of one event-loop turn as one message and acks the last seq', async () => {
    const r = parseConfig('backend b\n    balance roundrobin\n', 'h.cfg');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const model = buildModel(r.config);
    const sent: number[][] = [];
    const unsubscribe = subscribePool(model, { publish: async (records) => { sent.push(records.map((x) => x.seq)); } });
    const cmds = modelCommands(model);
    const add = cmds.find((c) => c.words.join(' ') === 'add server');
    const ctx: CommandContext = { level: 'admin', payload: undefined, signal: new AbortController().signal };
    const replies = await Promise.all([1, 2, 3].map((i) => add?.run(['add', 'server', `b/s${i}`, '127.0.0.1:80'], ctx)));
    expect(replies).to.deep.equal(['New server registered.\n', 'New server registered.\n', 'New server registered.\n']);
    expect(sent).to.deep.equal([[2, 3, 4]]);
    expect(model.bus.visibleSeq).to.equal(4);
    unsubscribe();
  });
});
