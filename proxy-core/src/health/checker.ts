/**
 * Active health checks, run by the writer thread (where the rise/fall state lives): every server
 * whose checks are enabled (`check` in the configuration or `add server … check` then
 * `enable health`) and not in maintenance is probed every `inter`; each result goes through the
 * model's rise/fall logic, and a state change is published to every worker like any other
 * change. Probes of different servers run concurrently; one server has at most one in flight.
 *
 * Which servers to check follows the change records (a server added, updated or deleted is looked
 * at again), not a periodic walk of every server: at 100 000 servers that walk held the writer,
 * and with it every runtime reply, for milliseconds each second. A full reconciliation still runs
 * now and then (`scanMs`) as a safety net.
 */
import type { Model } from '../model/model.ts';
import type { Server } from '../model/server.ts';
import { ADMF_MAINT, CHK_ST_ENABLED, CHK_ST_PAUSED } from '../model/server.ts';
import { checkResultPatch } from '../model/server-transitions.ts';
import { probe, type ProbeResult, type ProbeTarget } from './probe.ts';

export interface CheckerOptions {
  readonly model: Model;
  /** How often the whole set of checked servers is reconciled with the model (default 60 s). */
  readonly scanMs?: number;
  /** Injected for tests. */
  readonly probe?: (t: ProbeTarget) => Promise<ProbeResult>;
  readonly onResult?: (srv: Server, r: ProbeResult) => void;
}

interface Slot {
  readonly srv: Server;
  timer: NodeJS.Timeout | null;
  running: boolean;
}

export function checksWanted(srv: Server): boolean {
  return (srv.checkState & CHK_ST_ENABLED) !== 0 && (srv.checkState & CHK_ST_PAUSED) === 0 && (srv.admin & ADMF_MAINT) === 0;
}

export function probeTarget(srv: Server): ProbeTarget {
  const s = srv.backend.settings;
  const timeoutMs = s.timeouts.check ?? s.timeouts.connect ?? Math.max(1000, Math.min(srv.inter, 10_000));
  const http = s.httpchk === null || s.mode !== 'http' ? null : { method: s.httpchk.method, uri: s.httpchk.uri, host: srv.host };
  return { host: srv.host, port: srv.port, http, timeoutMs };
}

export class HealthChecker {
  private readonly o: CheckerOptions;
  private readonly slots = new Map<number, Slot>();
  private scanTimer: NodeJS.Timeout | null = null;
  private unobserve: (() => void) | null = null;
  private stopped = false;

  constructor(o: CheckerOptions) {
    this.o = o;
  }

  start(): void {
    this.scan();
    this.unobserve = this.o.model.bus.observe((records) => {
      for (const r of records) {
        // a deleted server is only unwatched: no lookup in the model's server table
        if (r.kind === 'server.del') this.unwatch(Number((r as { key?: unknown }).key));
        else if (r.kind === 'server.add' || r.kind === 'server.update') this.follow(Number((r as { key?: unknown }).key));
      }
    });
    this.scanTimer = setInterval(() => this.scan(), this.o.scanMs ?? 60_000);
    this.scanTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    this.unobserve?.();
    if (this.scanTimer !== null) clearInterval(this.scanTimer);
    for (const s of this.slots.values()) if (s.timer !== null) clearTimeout(s.timer);
    this.slots.clear();
  }

  /** Servers being checked now (for tests and `show` commands). */
  get checking(): number {
    return this.slots.size;
  }

  /** Starts checks for servers that want them and stops those that no longer do. */
  scan(): void {
    const seen = new Set<number>();
    for (const p of this.o.model.proxies()) {
      if (!p.isBackend) continue;
      for (const srv of p.servers.values()) {
        if (!checksWanted(srv)) continue;
        seen.add(srv.key);
        this.watch(srv);
      }
    }
    for (const key of [...this.slots.keys()]) if (!seen.has(key)) this.unwatch(key);
  }

  /** Starts or stops checking one server after a change of it (deleted: no longer found). */
  private follow(key: number): void {
    const srv = this.o.model.serverByKey(key);
    if (srv !== undefined && checksWanted(srv)) this.watch(srv);
    else this.unwatch(key);
  }

  /** Starts probing `srv` at once, unless it is probed already. */
  private watch(srv: Server): void {
    if (this.slots.has(srv.key)) return;
    const slot: Slot = { srv, timer: null, running: false };
    this.slots.set(srv.key, slot);
    this.schedule(slot, 0);
  }

  private unwatch(key: number): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    if (slot.timer !== null) clearTimeout(slot.timer);
    this.slots.delete(key);
  }

  private schedule(slot: Slot, ms: number): void {
    slot.timer = setTimeout(() => void this.run(slot), ms);
    slot.timer.unref();
  }

  private async run(slot: Slot): Promise<void> {
    slot.timer = null;
    if (this.stopped || this.slots.get(slot.srv.key) !== slot || slot.running) return;
    slot.running = true;
    const result = await (this.o.probe ?? probe)(probeTarget(slot.srv));
    slot.running = false;
    // The server may have been deleted, disabled or put in maintenance meanwhile.
    if (this.stopped || this.slots.get(slot.srv.key) !== slot || !checksWanted(slot.srv)) return;
    this.o.onResult?.(slot.srv, result);
    const patch = checkResultPatch(slot.srv, result.passed);
    if (patch !== null) this.o.model.write(() => this.o.model.updateServer(slot.srv, patch));
    this.schedule(slot, slot.srv.inter);
  }
}
