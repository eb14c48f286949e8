/**
 * What every session of a worker shares: the tables, counters, clocks, logs, the upstream context,
 * and the channel for passive health reports. One instance per worker.
 */
import { parentPort } from 'node:worker_threads';
import type { PlaneCounters } from './plane-counters.ts';
import type { PlaneLog } from './access-log.ts';
import { Sweeper } from './clock.ts';
import type { PlaneReport } from './records.ts';
import { NO_GATE, type PlaneGate } from '../workers/protocol.ts';
import type { ServerEntry, Tables } from './tables.ts';
import { UpstreamContext } from './upstream.ts';

/** A client-side session as soft stop sees it. */
export interface Session {
  deadline: number;
  expire(now: number): void;
  /** Finish the current request, then close (idle ones close at once). */
  softStop(): void;
  close(reason: string): void;
}

export class PlaneRuntime {
  readonly worker: number;
  readonly tables: Tables;
  readonly counters: PlaneCounters;
  /** Client sessions (HTTP and TCP): their timeouts, and the set soft stop walks. */
  readonly sessions = new Sweeper();
  /** Pooled upstream connections' idle expiry. */
  readonly sweeper = new Sweeper();
  readonly upstream: UpstreamContext;
  /** Where plain TCP client sockets read (client-socket.ts); consumed within each read callback. */
  readonly clientReadBuffer = Buffer.allocUnsafe(64 * 1024);
  readonly log: PlaneLog;
  /** Keeps the tables current before every read that decides where traffic goes. */
  readonly gate: PlaneGate;
  stopping = false;
  /** Where passive health reports go (the worker's parentPort; a stub in unit tests). */
  report: (r: PlaneReport) => void;

  constructor(worker: number, tables: Tables, log: PlaneLog, gate: PlaneGate = NO_GATE) {
    this.worker = worker;
    this.gate = gate;
    this.tables = tables;
    this.counters = tables.counters;
    this.log = log;
    this.upstream = new UpstreamContext(tables.counters, this.sweeper);
    const port = parentPort;
    this.report = port === null ? () => undefined : (r) => port.postMessage(r);
  }

  /**
   * Passive health: a failed connect is reported every time (the writer counts `fall`); a success
   * only when this worker reported a failure before (the writer counts `rise`).
   */
  observeConnect(s: ServerEntry, ok: boolean, reason: string): void {
    if (ok) {
      if (!s.failing) return;
      s.failing = false;
      this.report({ type: 'plane.observe', worker: this.worker, key: s.key, event: 'connect-ok', reason: '' });
    } else {
      s.failing = true;
      this.report({ type: 'plane.observe', worker: this.worker, key: s.key, event: 'connect-failed', reason });
    }
  }
}
