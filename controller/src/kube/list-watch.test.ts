import { expect } from 'chai';
import { ListWatchLoop } from './list-watch.ts';
import type { KubeObject, ListResult, Watcher } from './list-watch.ts';

const obj = (name: string, rv: string): KubeObject => ({ metadata: { namespace: 'ns', name, resourceVersion: rv } });

interface Script {
  lists: ListResult<KubeObject>[];
  /** Each watch: events to emit, then how it ends. */
  watches: { events: [string, unknown][]; end: unknown }[];
}

function run(script: Script): Promise<{ log: string[]; queries: Record<string, unknown>[] }> {
  const log: string[] = [];
  const queries: Record<string, unknown>[] = [];
  return new Promise((resolve) => {
    const holder: { loop?: ListWatchLoop<KubeObject> } = {};
    const finish = (): void => { holder.loop?.stop(); resolve({ log, queries }); };
    const watcher: Watcher = {
      watch(_path, query, onEvent, onDone) {
        queries.push(query);
        const w = script.watches.shift();
        if (w === undefined) { setImmediate(finish); return Promise.resolve({ abort: () => undefined }); }
        setImmediate(() => { for (const [p, o] of w.events) onEvent(p, o); onDone(w.end); });
        return Promise.resolve({ abort: () => undefined });
      },
    };
    const loop = new ListWatchLoop<KubeObject>({
      path: '/x',
      list: () => {
        const l = script.lists.shift();
        return l === undefined ? Promise.reject(new Error('no more lists')) : Promise.resolve(l);
      },
      watcher,
      delay: () => Promise.resolve(),
    }, {
      upsert: (o) => log.push(`upsert ${o.metadata?.name ?? ''}`),
      remove: (k) => log.push(`remove ${k}`),
      listed: () => log.push('listed'),
      error: (e) => log.push(`error ${e instanceof Error ? e.message : JSON.stringify(e)}`),
    });
    holder.loop = loop;
    loop.start();
  });
}

describe('kube: list then watch, forever', () => {
  it('lists, then watches from the list resourceVersion', async () => {
    const { log, queries } = await run({
      lists: [{ items: [obj('a', '1')], metadata: { resourceVersion: '5' } }],
      watches: [{ events: [['ADDED', obj('b', '6')], ['DELETED', obj('a', '7')]], end: undefined }],
    });
    expect(log).to.deep.equal(['upsert a', 'listed', 'upsert b', 'remove ns/a']);
    expect(queries.map((q) => q.resourceVersion)).to.deep.equal(['5', '7']);
  });

  it('lists again on 410 Gone and reports what vanished meanwhile', async () => {
    const { log, queries } = await run({
      lists: [
        { items: [obj('a', '1'), obj('b', '2')], metadata: { resourceVersion: '5' } },
        { items: [obj('b', '9')], metadata: { resourceVersion: '10' } },
      ],
      watches: [{ events: [['ERROR', { code: 410 }]], end: undefined }, { events: [], end: undefined }],
    });
    expect(log).to.deep.equal(['upsert a', 'upsert b', 'listed', 'upsert b', 'remove ns/a', 'listed']);
    expect(queries.map((q) => q.resourceVersion)).to.deep.equal(['5', '10', '10']);
  });

  it('treats a 410 reply to the watch request like the event', async () => {
    const { log } = await run({
      lists: [{ items: [], metadata: { resourceVersion: '1' } }, { items: [], metadata: { resourceVersion: '2' } }],
      watches: [{ events: [], end: { statusCode: 410 } }],
    });
    expect(log).to.deep.equal(['listed', 'listed']);
  });

  it('reports other errors and keeps going from the last resourceVersion', async () => {
    const { log, queries } = await run({
      lists: [{ items: [], metadata: { resourceVersion: '1' } }],
      watches: [{ events: [['ADDED', obj('a', '3')]], end: new Error('ECONNRESET') }, { events: [], end: undefined }],
    });
    expect(log).to.deep.equal(['listed', 'upsert a', 'error ECONNRESET']);
    expect(queries.map((q) => q.resourceVersion)).to.deep.equal(['1', '3', '3']);
  });
});
