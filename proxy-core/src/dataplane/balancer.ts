/**
 * The plane's side of `balancing/`: keeps each server's view fields (`usable`, `connections`) in
 * step with the records, and adds what the request path needs on top of an algorithm's `pick`:
 * avoiding a server that just failed (`option redispatch`) and honouring `maxconn` per worker.
 */
import type { Balancer, PickContext } from '../balancing/balancer.ts';
import { createBalancer, type BalanceSpec } from '../balancing/create-balancer.ts';
import type { Balance } from './records.ts';
import type { ServerEntry } from './tables.ts';

export type { PickContext };

/** Whether a server may take new requests by its state (weight and maxconn are checked apart). */
export function stateUsable(s: ServerEntry): boolean {
  return s.live && s.admin === 'ready' && s.health === 'up';
}

function spec(b: Balance): BalanceSpec {
  switch (b.algo) {
    case 'leastconn': return { kind: 'leastconn' };
    case 'first': return { kind: 'first' };
    case 'source': return { kind: 'source' };
    case 'random': return { kind: 'random', draws: b.draws };
    case 'hdr': return b.hdrName === null ? { kind: 'roundrobin' } : { kind: 'hdr', name: b.hdrName };
    default: return { kind: 'roundrobin' }; // static-rr and roundrobin: smooth weighted round robin
  }
}

export class PlaneBalancer {
  private readonly algo: Balancer<ServerEntry>;
  private eligible = 0;
  /** Servers to rebuild from at the next pick; null when up to date. */
  private stale: readonly ServerEntry[] | null = null;
  /** How many servers the last rebuild saw. */
  private built = 0;

  constructor(balance: Balance) {
    this.algo = createBalancer<ServerEntry>(spec(balance));
  }

  /** The algorithm as configured (`random(3)`, `hdr(x-user)`, …), for tests and diagnostics. */
  get algorithm(): string {
    return this.algo.algorithm;
  }

  /** Change time: the backend's servers, in order, after any add, delete or state change. */
  rebuild(servers: readonly ServerEntry[]): void {
    this.built = servers.length;
    let n = 0;
    for (const s of servers) {
      s.usable = stateUsable(s);
      if (s.usable && s.weight > 0) n++;
    }
    this.eligible = n;
    this.algo.update(servers);
  }

  /**
   * Change time, lazily: the rebuild happens at the next pick, so a burst of changes applied
   * together (thousands of `add server` in one ring read) costs one rebuild, not one each.
   */
  invalidate(servers: readonly ServerEntry[]): void {
    // Except when the backend shrank to under half of what the algorithm holds: its schedule
    // still references the deleted servers, which no pick may come to release (O(n) in all for
    // deleting n servers one by one).
    if (servers.length * 2 < this.built) {
      this.stale = null;
      this.rebuild(servers);
      return;
    }
    this.stale = servers;
  }

  /**
   * A server for a new request, or null. `avoid` (a server that just failed) is returned only when
   * no other eligible server can be found; a server at its `maxconn` is skipped the same way.
   */
  pick(ctx: PickContext, avoid: ServerEntry | null): ServerEntry | null {
    if (this.stale !== null) {
      this.rebuild(this.stale);
      this.stale = null;
    }
    const first = this.algo.pick(ctx);
    if (first === null || (first !== avoid && (first.maxconn === 0 || first.active < first.maxconn))) return first;
    // Hashing algorithms answer the same server for the same key: a few draws, then give up.
    for (let i = 0; i < this.eligible; i++) {
      const s = this.algo.pick(ctx);
      if (s !== null && s !== avoid && (s.maxconn === 0 || s.active < s.maxconn)) return s;
    }
    return first.maxconn === 0 || first.active < first.maxconn ? first : null;
  }

  onStart(s: ServerEntry): void {
    s.active++;
    this.algo.onStart(s);
  }

  onEnd(s: ServerEntry): void {
    s.active--;
    this.algo.onEnd(s);
  }
}
