/**
 * Entry point of a traffic worker thread: applies the writer's record batches strictly in order,
 * each exactly once, as they come out of the shared record ring (record-ring.ts). Frames are read
 * from two places: `gate.sync()`, which the plane calls before it reads its tables, and a
 * background loop the writer wakes now and then. A frame may send the worker to its inbox port
 * for the batch (`receiveMessageOnPort`: the writer posted it before writing the frame). The plane
 * is loaded from `init.planeModule` so that the ordering machinery is tested apart from the
 * traffic code.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { FromWorker, Plane, PlaneContext, PlaneGate, RecordBatch, ToWorker, WorkerInit } from './protocol.ts';
import { RingReader } from './record-ring.ts';
import { collectGarbage } from '../memory/collect-garbage.ts';

const init = workerData as WorkerInit;
if (parentPort === null || init.inbox === undefined) throw new Error('worker-main.ts runs only as a worker thread of workers/pool.ts');
const port = parentPort;
const inbox = init.inbox;
const ring = new RingReader(init.ring, init.counters.workers, init.index);
const me = init.index;
const send = (m: FromWorker): void => port.postMessage(m);
/** How long the background loop sleeps when nobody wakes it (it also checks for a stop then). */
const IDLE_WAIT_MS = 1000;

/** Records whose apply() is still running (listener binds): an `ack` waits for them. */
let running: Promise<void>[] = [];
/** True while frames are being applied: a `sync()` from inside an apply must not nest. */
let applying = false;
let stopped = false;

function take(batch: RecordBatch): void {
  let last = -1;
  for (const r of batch.records) {
    try {
      const done = plane.apply(r);
      if (done instanceof Promise) running.push(done.catch((err: unknown) => fail(r.seq, err)));
    } catch (err) {
      fail(r.seq, err);
    }
    last = r.seq;
  }
  if (last >= 0) ring.setApplied(last);
  if (batch.ack && last >= 0) {
    const waits = running;
    running = [];
    if (waits.length === 0) send({ type: 'ack', seq: last });
    else void Promise.all(waits).then(() => send({ type: 'ack', seq: last }));
  }
}

function fail(seq: number, err: unknown): void {
  send({ type: 'error', seq, message: err instanceof Error ? err.message : String(err) });
}

/** Applies every frame written so far. A call from inside an apply returns (order comes first). */
function sync(): void {
  if (applying || !ring.pending()) return;
  applying = true;
  try {
    for (let f = ring.next(); f !== undefined; f = ring.next()) {
      if ('r' in f) {
        take({ records: f.r, ack: false });
      } else if (f.port.includes(me)) {
        const got = receiveMessageOnPort(inbox);
        if (got !== undefined) take(got.message as RecordBatch);
        else fail(-1, new Error('a ring frame announced a batch that is not on the inbox port'));
      }
    }
  } finally {
    applying = false;
    ring.commit();
  }
}

const gate: PlaneGate = {
  sync,
  beginPick() {
    ring.setPicking(true);
    sync();
  },
  endPick() {
    ring.setPicking(false);
  },
};

const mod = (await import(init.planeModule)) as { createPlane(ctx: PlaneContext): Plane | Promise<Plane> };
const plane = await mod.createPlane({ index: me, init, gate });

async function background(): Promise<void> {
  while (!stopped) {
    sync();
    await ring.waitForFrames(IDLE_WAIT_MS);
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') void stop(m.graceMs);
  else if (m.type === 'reclaim') {
    // apply what is waiting first: the deletions it holds are what there is to collect
    sync();
    collectGarbage();
  }
});

async function stop(graceMs: number): Promise<void> {
  await plane.stop(graceMs);
  stopped = true;
  ring.wake();
  send({ type: 'stopped' });
  inbox.close();
  port.close();
}

send({ type: 'ready' });
void background();
