/**
 * Starts the traffic workers and connects them to the writer: every worker is brought up with the
 * whole current state, then follows the change bus. From then on a runtime command's reply waits
 * until its change is visible in every worker (model/pool-subscriber.ts).
 */
import type { CertStore } from '../certs/cert-store.ts';
import type { Logger } from '../log.ts';
import type { MapStore } from '../maps/map-store.ts';
import type { Model } from '../model/model.ts';
import { subscribePool } from '../model/pool-subscriber.ts';
import type { SharedCounters } from '../stats/counters.ts';
import { WorkerPool, type WorkerEvent } from '../workers/pool.ts';
import { fullSnapshot } from './snapshot.ts';

export interface TrafficOptions {
  readonly model: Model;
  readonly maps: MapStore;
  readonly certs: CertStore;
  readonly counters: SharedCounters;
  readonly workers: number;
  readonly logger: Logger;
  readonly onWorkerEvent?: (event: WorkerEvent, reason: string) => void;
  /** Messages a worker posts of its own (passive health observations). */
  readonly onReport?: (message: unknown) => void;
  /** Extra options for the plane module (e.g. `logFile` in tests). */
  readonly planeOptions?: Readonly<Record<string, unknown>>;
}

export interface Traffic {
  readonly pool: WorkerPool;
  /** Soft stop: listeners close, in-flight work finishes within `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

export const PLANE_MODULE = new URL('../dataplane/plane.ts', import.meta.url).href;

export async function startTraffic(o: TrafficOptions): Promise<Traffic> {
  const pool = new WorkerPool({
    size: o.workers,
    planeModule: PLANE_MODULE,
    counters: o.counters.init(),
    snapshot: () => fullSnapshot(o.model, o.maps, o.certs),
    logger: o.logger.child({ module: 'workers' }),
    ...(o.onWorkerEvent !== undefined ? { onEvent: o.onWorkerEvent } : {}),
    ...(o.onReport !== undefined ? { onReport: o.onReport } : {}),
    ...(o.planeOptions !== undefined ? { options: o.planeOptions } : {}),
  });
  await pool.start();
  // Nothing can change the model between the snapshot and the subscription: both happen in
  // this turn of the event loop, before the runtime sockets open.
  const initial = pool.publish(fullSnapshot(o.model, o.maps, o.certs));
  const unsubscribe = subscribePool(o.model, pool);
  o.model.settleWorkers = () => void pool.quiesce();
  await initial;
  return {
    pool,
    stop: async (graceMs) => {
      await pool.stop(graceMs);
      o.model.settleWorkers = () => undefined;
      unsubscribe();
    },
  };
}
