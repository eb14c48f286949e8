import { expect } from 'chai';
import { Worker } from 'node:worker_threads';
import { canCollectGarbage, collectGarbage } from './collect-garbage.ts';

describe('memory/collect-garbage', () => {
  it('collects on demand in the main thread without adding a global gc to it', () => {
    expect(canCollectGarbage()).to.equal(true);
    expect(collectGarbage()).to.be.at.least(0);
    expect((globalThis as { gc?: unknown }).gc).to.equal(undefined);
  });

  it('collects on demand in several worker threads started at once', async () => {
    const url = new URL('./collect-garbage.ts', import.meta.url).href;
    const code = `import { parentPort } from 'node:worker_threads';
      const { collectGarbage } = await import(${JSON.stringify(url)});
      parentPort.postMessage(collectGarbage());`;
    const one = async (): Promise<unknown> => {
      const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
      try {
        return await new Promise<unknown>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        });
      } finally {
        await w.terminate();
      }
    };
    const results = await Promise.all([one(), one(), one()]);
    for (const ms of results) expect(ms).to.be.a('number').and.at.least(0);
  });
});
