/**
 * One sync run: cache snapshot → desired proxy state (pure model) → diff against what the proxy
 * holds → runtime commands. The applied state is read back from the proxy on the first run and
 * after any failure, so a controller restart reconciles without touching what is unchanged, and
 * a refused command never leaves the controller believing something the proxy does not hold.
 * Endpoint-only runs skip the model build and rebuild servers only (the fast lane).
 */
import type { Logger } from 'pino';
import { buildModel } from '../model/build.ts';
import { refreshServers } from '../model/fast-path.ts';
import type { ModelOptions } from '../model/types.ts';
import type { ProxyState } from '../model/proxy-state.ts';
import type { IngressStatus, ModelWarning } from '../model/warnings.ts';
import { diff } from '../diff/diff.ts';
import type { RuntimeClient } from '../runtime/client.ts';
import type { ClusterCache } from '../kube/cache.ts';
import type { ChangeClass } from './coalescer.ts';

export interface SyncReport {
  readonly lane: 'full' | 'endpoints';
  readonly commands: number;
  /** Why the run did not complete, or null. */
  readonly failure: string | null;
  /** A command the proxy will accept later (a server still has connections): run again soon. */
  readonly retry: boolean;
}

export interface SyncEngineOptions {
  readonly cache: ClusterCache;
  readonly client: RuntimeClient;
  readonly model: ModelOptions;
  readonly logger: Logger;
  /** Warnings of the last full build (Events, logs, metrics). */
  readonly onWarnings: (w: readonly ModelWarning[]) => void;
  readonly onStatuses: (s: readonly IngressStatus[]) => void;
}

export class SyncEngine {
  private readonly o: SyncEngineOptions;
  private applied: ProxyState | null = null;
  private lastDesired: ProxyState | null = null;

  constructor(o: SyncEngineOptions) {
    this.o = o;
  }

  /** The desired state of the last run, for status and tests. */
  get desired(): ProxyState | null {
    return this.lastDesired;
  }

  async run(classes: ReadonlySet<ChangeClass>): Promise<SyncReport> {
    const snap = this.o.cache.snapshot();
    let desired: ProxyState;
    let lane: SyncReport['lane'];
    if (classes.has('routes') || this.lastDesired === null) {
      const built = buildModel(snap, this.o.model);
      desired = built.desired;
      lane = 'full';
      this.o.onWarnings(built.warnings);
      this.o.onStatuses(built.statuses);
    } else {
      const refreshed = refreshServers(this.lastDesired, snap.services, snap.endpointSlices);
      desired = refreshed.desired;
      lane = 'endpoints';
      if (refreshed.warnings.length > 0) this.o.onWarnings(refreshed.warnings);
    }
    this.lastDesired = desired;
    try {
      if (this.applied === null) this.applied = await this.o.client.readState();
      const commands = diff(desired, this.applied, { routeMap: this.o.model.routeMap, crtList: this.o.model.crtList });
      if (commands.length === 0) return { lane, commands: 0, failure: null, retry: false };
      const result = await this.o.client.execute(commands);
      const failed = result.outcomes.find((x) => x.status === 'failed');
      const retry = result.outcomes.some((x) => x.status === 'retryable');
      if (failed !== undefined || retry || !result.completed) {
        // Whatever went through is in the proxy; read it back rather than guess.
        this.applied = null;
        const failure = failed !== undefined && failed.status !== 'ok' ? `${failed.code}: ${failed.reply.trim().slice(0, 200)}` : retry ? 'retry' : 'incomplete';
        if (failed !== undefined) this.o.logger.warn({ command: failed.command.op, failure }, 'the proxy refused a command; the next run starts from the state read back');
        return { lane, commands: commands.length, failure: failed !== undefined ? failure : null, retry };
      }
      this.applied = desired;
      return { lane, commands: commands.length, failure: null, retry: false };
    } catch (err) {
      this.applied = null;
      const failure = err instanceof Error ? err.message : String(err);
      this.o.logger.warn({ err: failure }, 'sync failed; the proxy keeps serving what it has');
      return { lane, commands: 0, failure, retry: true };
    }
  }
}
