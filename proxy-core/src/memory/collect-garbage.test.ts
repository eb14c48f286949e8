import { expect } from 'chai';
import { Worker } from 'node:worker_threads';
import { canCollectGarbage, collectGarbage } from './collect-garbage.ts';

describe('memory/collect-garbage', () => {
  it('collects on demand in the main thread without leaving a global gc behind', () => {
    expect(canCollectGarbage()).to.equal(true);
    expect(collectGarbage()).to.be.at.least(0);
    expect((globalThis as { gc?: unknown }).gc).to.equal(undefined);
  });

  it('collects on demand in a worker thread', async () => {
    const url = new URL('./collect-garbage.ts', import.meta.url).href;
    const code = `import { parentPort } from 'node:worker_threads';
      const { collectGarbage } = await import(${JSON.stringify(url)});
      parentPort.postMessage(collectGarbage());`;
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
    const ms = await new Promise<unknown>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await w.terminate();
    expect(ms).to.be.a('number').and.at.least(0);
  });
});
