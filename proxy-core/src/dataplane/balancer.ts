/**
 * The seam between the plane and the balancers of `proxy-core/src/balancing/` (branch
 * `routing-lb`). The plane calls `rebuild()` at change time (server added, removed, state or weight
 * changed) and `pick()` per request.
 *
 * PLACEHOLDER: until `balancing/` lands, `createBalancer` returns a plain rotation over the usable
 * servers for every algorithm (weights and hashing are ignored). It is replaced, not extended.
 */
import type { Balance } from './records.ts';
import { serverUsable, type ServerEntry } from './tables.ts';

export interface Balancer {
  /** Recomputes the balancer's state from the backend's servers, in order. */
  rebuild(servers: readonly ServerEntry[]): void;
  /**
   * A usable server for a new request, or null. `hashKey` is the source address or the header
   * value for `source`/`hdr`; `avoid` is a server that just failed (redispatch), picked only when
   * it is the last usable one.
   */
  pick(hashKey: string | null, avoid: ServerEntry | null): ServerEntry | null;
}

class RotationBalancer implements Balancer {
  private servers: readonly ServerEntry[] = [];
  private next = 0;

  rebuild(servers: readonly ServerEntry[]): void {
    this.servers = servers;
  }

  pick(_hashKey: string | null, avoid: ServerEntry | null): ServerEntry | null {
    const list = this.servers;
    const n = list.length;
    let fallback: ServerEntry | null = null;
    for (let i = 0; i < n; i++) {
      const s = list[(this.next + i) % n]!;
      if (!serverUsable(s)) continue;
      if (s === avoid) {
        fallback = s;
        continue;
      }
      this.next = (this.next + i + 1) % n;
      return s;
    }
    return fallback;
  }
}

export function createBalancer(_balance: Balance): Balancer {
  return new RotationBalancer();
}
