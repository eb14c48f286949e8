import { expect } from 'chai';
import { BusyPoll } from './busy-poll.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Event-loop turns counted by a chain of immediates, for `ms`. */
async function turnsDuring(ms: number, during: () => void): Promise<number> {
  let turns = 0;
  let counting = true;
  const tick = (): void => {
    turns++;
    if (counting) setTimeout(tick, 0);
  };
  during();
  setTimeout(tick, 0);
  await sleep(ms);
  counting = false;
  return turns;
}

describe('runtime busy poll', () => {
  it('polls for at least its window after a read and counts the time', async () => {
    const p = new BusyPoll(20_000);
    p.touch();
    await sleep(40);
    expect(p.spentSeconds()).to.be.at.least(0.019).and.below(0.5);
  });

  it('extends the window with every read rather than stacking polls', async () => {
    const p = new BusyPoll(10_000);
    p.touch();
    await sleep(5);
    p.touch();
    await sleep(30);
    // one window from the first read to 10 ms after the second: not two of 10 ms each
    expect(p.spentSeconds()).to.be.at.least(0.014).and.below(0.5);
  });

  it('does nothing when the window is zero', async () => {
    const p = new BusyPoll(0);
    p.touch();
    await sleep(5);
    expect(p.spentSeconds()).to.equal(0);
  });

  it('ends the window at the next turn once stopped', async () => {
    const p = new BusyPoll(1_000_000);
    p.touch();
    await sleep(5);
    p.stop();
    await sleep(5);
    const spent = p.spentSeconds();
    await sleep(20);
    expect(p.spentSeconds()).to.equal(spent);
    expect(spent).to.be.below(0.5);
  });

  it('lets timers run while it polls', async () => {
    const p = new BusyPoll(30_000);
    const turns = await turnsDuring(25, () => p.touch());
    expect(turns).to.be.at.least(2);
  });
});
