/**
 * Entry point of a traffic worker thread: applies the writer's records strictly in order and
 * acknowledges them. The plane (listeners, routing, balancing, pools) is loaded from
 * `init.planeModule` so that the ordering machinery is tested apart from the traffic code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, Plane, PlaneContext, ToWorker, WorkerInit } from './protocol.ts';
import { collectGarbage } from '../memory/collect-garbage.ts';

const init = workerData as WorkerInit;
if (parentPort === null) throw new Error('worker-main.ts runs only as a worker thread');
const port = parentPort;

const mod = (await import(init.planeModule)) as { createPlane(ctx: PlaneContext): Plane | Promise<Plane> };
const plane = await mod.createPlane({ index: init.index, init });
const send = (m: FromWorker): void => port.postMessage(m);

// Messages are handled one at a time, in arrival order, even when apply() is async: a chain of
// promises keeps record N+1 from starting before record N finished.
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: ToWorker) => {
  chain = chain.then(() => handle(m));
});

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'records') {
    let last = -1;
    for (const r of m.records) {
      try {
        await plane.apply(r);
      } catch (err) {
        send({ type: 'error', seq: r.seq, message: err instanceof Error ? err.message : String(err) });
      }
      last = r.seq;
    }
    if (last >= 0) send({ type: 'ack', seq: last });
  } else if (m.type === 'reclaim') {
    collectGarbage();
  } else {
    await plane.stop(m.graceMs);
    send({ type: 'stopped' });
    port.close();
  }
}

send({ type: 'ready' });
