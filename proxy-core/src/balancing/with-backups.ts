/**
 * HAProxy's backup servers: two instances of one algorithm, one over the active servers and one
 * over the backups; backups get traffic only while no active server is eligible. All backups share
 * that traffic (HAProxy's `option allbackups`; without it HAProxy uses only the first backup).
 */
import type { Balancer, PickContext, ServerView } from './balancer.ts';

export class WithBackups<S extends ServerView> implements Balancer<S> {
  readonly algorithm: string;
  private readonly active: Balancer<S>;
  private readonly backup: Balancer<S>;

  constructor(create: () => Balancer<S>) {
    this.active = create();
    this.backup = create();
    this.algorithm = this.active.algorithm;
  }

  update(servers: readonly S[]): void {
    this.active.update(servers.filter((s) => s.backup !== true));
    this.backup.update(servers.filter((s) => s.backup === true));
  }

  pick(ctx: PickContext, avoid: S | null = null): S | null {
    return this.active.pick(ctx, avoid) ?? this.backup.pick(ctx, avoid);
  }

  onStart(server: S): void {
    (server.backup === true ? this.backup : this.active).onStart(server);
  }

  onEnd(server: S): void {
    (server.backup === true ? this.backup : this.active).onEnd(server);
  }
}
