import { expect } from 'chai';
import { Coalescer, type ChangeClass, type Timers } from './coalescer.ts';

/** A manual clock: timers fire only when the test advances time. */
function fakeTimers() {
  let now = 0;
  let id = 0;
  const queue = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      queue.set(++id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void queue.delete(h as number),
  };
  const advance = async (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...queue.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      queue.delete(due[0]);
      now = due[1].at;
      due[1].fn();
      await Promise.resolve();
      await Promise.resolve();
    }
    now = end;
  };
  return { timers, advance };
}

function harness() {
  const { timers, advance } = fakeTimers();
  const runs: { at: number; classes: ChangeClass[] }[] = [];
  const c = new Coalescer({ timers, run: async (cl) => void runs.push({ at: timers.now(), classes: [...cl].sort() }) });
  return { c, runs, advance };
}

describe('sync coalescer', () => {
  it('runs once, 100 ms after the last route change of a burst', async () => {
    const { c, runs, advance } = harness();
    c.notify('routes');
    await advance(50);
    c.notify('routes');
    await advance(300);
    expect(runs).to.deep.equal([{ at: 150, classes: ['routes'] }]);
  });

  it('never waits more than 500 ms after the first change of a steady stream', async () => {
    const { c, runs, advance } = harness();
    for (let i = 0; i < 20; i++) {
      c.notify('routes');
      await advance(60);
    }
    expect(runs[0]?.at).to.equal(500);
  });

  it('takes the fast lane for endpoint-only changes', async () => {
    const { c, runs, advance } = harness();
    c.notify('endpoints');
    await advance(50);
    expect(runs).to.deep.equal([{ at: 5, classes: ['endpoints'] }]);
  });

  it('waits the full holdoff when a route change joins endpoint changes', async () => {
    const { c, runs, advance } = harness();
    c.notify('endpoints');
    c.notify('routes');
    await advance(200);
    expect(runs).to.deep.equal([{ at: 100, classes: ['endpoints', 'routes'] }]);
  });
});
