/**
 * The sync loop: one consumer that turns cache changes into runtime commands.
 *
 * - Route changes ('full') are coalesced: a run starts `holdoffMs` after the last event, but never
 *   later than `maxHoldoffMs` after the first one (Contour's 100 ms / 500 ms).
 * - Endpoint changes take the fast path: after `endpointHoldoffMs` (default 0: next tick), each
 *   backend's servers are rebuilt from the last full build; routes are not rebuilt.
 * - The applied state is read back from the proxy on the first run and after any failure;
 *   otherwise the last desired state that was applied in full is trusted.
 * - One run at a time; events during a run are kept and run next. A failed run is retried with
 *   backoff, forever, while the proxy keeps serving what it has.
 * Time comes from an injected clock, so tests drive it.
 */
import type { Snapshot, ModelOptions } from '../model/types.ts';
import type { ProxyState } from '../model/proxy-state.ts';
import type { BuildResult } from '../model/build.ts';
import type { DiffOptions } from '../diff/diff.ts';
import type { RuntimeClient, ExecuteResult } from '../runtime/client.ts';
import { ADVISORY } from '../runtime/client.ts';
import type { Change } from '../kube/cache.ts';
import { buildModel } from '../model/build.ts';
import { refreshServers } from '../model/fast-path.ts';
import { diff, diffServersOf } from '../diff/diff.ts';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface SyncReport {
  readonly kind: 'full' | 'endpoints';
  /** `noop` when nothing was sent: the `hawser_controller_updates_total{type}` label. */
  readonly type: 'noop' | 'dynamic';
  readonly commands: number;
  readonly execution?: ExecuteResult;
  /** Set on full runs: warnings and statuses for Events, status and metrics. */
  readonly build?: BuildResult;
  readonly durationMs: number;
}

export interface SyncDeps {
  readonly snapshot: () => Snapshot;
  readonly client: RuntimeClient;
  readonly modelOptions: ModelOptions;
  readonly diffOptions: DiffOptions;
  readonly clock?: Clock;
  readonly holdoffMs?: number;
  readonly maxHoldoffMs?: number;
  readonly endpointHoldoffMs?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  readonly build?: (s: Snapshot, o: ModelOptions) => BuildResult;
  /**
   * `<ns>/<name>` of the Services whose slices changed since the last call (and clears them): the
   * fast path then rebuilds and diffs those backends only. Without it, every backend is rebuilt.
   */
  readonly dirtyServices?: () => ReadonlySet<string>;
  /** The named Services and their slices (cache index), so the fast path skips the full snapshot. */
  readonly endpointInputs?: (services: ReadonlySet<string>) => Pick<Snapshot, 'services' | 'endpointSlices'>;
  readonly onReport?: (r: SyncReport) => void;
  readonly onError?: (e: unknown) => void;
}

export class SyncLoop {
  readonly #d: Required<Omit<SyncDeps, 'onReport' | 'onError' | 'dirtyServices' | 'endpointInputs'>> & Pick<SyncDeps, 'onReport' | 'onError' | 'dirtyServices' | 'endpointInputs'>;
  #pending: Change = 'none';
  #firstEventAt: number | undefined;
  #timer: unknown;
  #dueAt = Number.POSITIVE_INFINITY;
  #running: Promise<void> | undefined;
  #applied: ProxyState | undefined;
  #lastDesired: ProxyState | undefined;
  #failures = 0;
  /** After a failure, no run before this time, whatever the events say (backoff). */
  #notBefore = 0;
  #stopped = false;
  #ready = false;

  constructor(deps: SyncDeps) {
    this.#d = {
      clock: SYSTEM_CLOCK, holdoffMs: 100, maxHoldoffMs: 500, endpointHoldoffMs: 0, retryMinMs: 1000, retryMaxMs: 30_000, build: buildModel,
      ...deps,
    };
  }

  /** True once a full sync has been applied to the proxy: the readiness probe. */
  get ready(): boolean { return this.#ready; }

  /** Call once the caches hold a complete first list: runs a full sync at once. */
  start(): void {
    this.#pending = 'full';
    this.#arm(0);
  }

  stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#d.clock.clearTimeout(this.#timer);
    return this.#running ?? Promise.resolve();
  }

  /** Resolves when no run is in progress (tests). */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  notify(change: Change): void {
    if (change === 'none' || this.#stopped) return;
    const now = this.#d.clock.now();
    if (change === 'full') {
      this.#pending = 'full';
      this.#firstEventAt ??= now;
      this.#arm(Math.min(this.#d.holdoffMs, this.#firstEventAt + this.#d.maxHoldoffMs - now), true);
    } else {
      if (this.#pending === 'none') this.#pending = 'endpoints';
      this.#arm(this.#d.endpointHoldoffMs);
    }
  }

  /** (Re)schedules the next run in `ms`; only moves it later when `replace` (holdoff) is set. */
  #arm(ms: number, replace = false): void {
    if (this.#running !== undefined || this.#stopped) return;
    const now = this.#d.clock.now();
    const due = Math.max(now + Math.max(0, ms), this.#notBefore);
    if (!replace && due >= this.#dueAt) return;
    if (this.#timer !== undefined) this.#d.clock.clearTimeout(this.#timer);
    this.#dueAt = due;
    this.#timer = this.#d.clock.setTimeout(() => { this.#fire(); }, due - now);
  }

  #fire(): void {
    this.#timer = undefined;
    this.#dueAt = Number.POSITIVE_INFINITY;
    const kind = this.#pending;
    this.#pending = 'none';
    this.#firstEventAt = undefined;
    if (kind === 'none') return;
    this.#running = this.#run(kind === 'full' || this.#lastDesired === undefined ? 'full' : 'endpoints').finally(() => {
      this.#running = undefined;
      if (this.#pending === 'full') this.#arm(this.#d.holdoffMs);
      else if (this.#pending === 'endpoints') this.#arm(this.#d.endpointHoldoffMs);
    });
  }

  async #run(kind: 'full' | 'endpoints'): Promise<void> {
    const started = this.#d.clock.now();
    try {
      const dirty = this.#d.dirtyServices?.();
      let build: BuildResult | undefined;
      let desired: ProxyState;
      let only: ReadonlySet<string> | undefined;
      if (kind === 'full' || this.#lastDesired === undefined) {
        build = this.#d.build(this.#d.snapshot(), this.#d.modelOptions);
        desired = build.desired;
      } else if (dirty === undefined) {
        const snapshot = this.#d.snapshot();
        desired = refreshServers(this.#lastDesired, snapshot.services, snapshot.endpointSlices).desired;
      } else {
        const inputs = this.#d.endpointInputs?.(dirty) ?? (() => {
          const snapshot = this.#d.snapshot();
          const inScope = (ns: string, name: string): boolean => dirty.has(`${ns}/${name}`);
          return {
            services: snapshot.services.filter((s) => inScope(s.meta.namespace, s.meta.name)),
            endpointSlices: snapshot.endpointSlices.filter((s) => inScope(s.meta.namespace, s.serviceName)),
          };
        })();
        const refreshed = refreshServers(this.#lastDesired, inputs.services, inputs.endpointSlices);
        desired = refreshed.desired;
        only = refreshed.changed;
      }
      // Only a trusted applied state (the last desired, applied in full) allows a partial diff.
      const trusted = this.#applied !== undefined;
      this.#applied ??= await this.#d.client.readState();
      const commands = only !== undefined && trusted
        ? diffServersOf(desired, this.#applied, only)
        : diff(desired, this.#applied, this.#d.diffOptions);
      let execution: ExecuteResult | undefined;
      let clean = true;
      if (commands.length > 0) {
        execution = await this.#d.client.execute(commands);
        clean = execution.completed && execution.outcomes.every((o) => o.status === 'ok' || (o.status === 'failed' && ADVISORY.has(o.command.op)));
      }
      this.#lastDesired = desired;
      if (clean) {
        this.#applied = desired;
        this.#failures = 0;
        this.#notBefore = 0;
        if (kind === 'full') this.#ready = true;
      } else {
        this.#retry(kind);
      }
      this.#d.onReport?.({
        kind, type: commands.length > 0 ? 'dynamic' : 'noop', commands: commands.length,
        ...(execution === undefined ? {} : { execution }), ...(build === undefined ? {} : { build }),
        durationMs: this.#d.clock.now() - started,
      });
    } catch (e) {
      this.#d.onError?.(e);
      this.#retry(kind);
    }
  }

  /** Forget what the proxy holds (read it back next time) and try again later. */
  #retry(kind: 'full' | 'endpoints'): void {
    this.#applied = undefined;
    this.#failures++;
    const delay = Math.min(this.#d.retryMaxMs, this.#d.retryMinMs * 2 ** Math.min(this.#failures - 1, 16));
    if (this.#pending === 'none' || kind === 'full') this.#pending = kind;
    this.#notBefore = this.#d.clock.now() + delay;
  }
}
