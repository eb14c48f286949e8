/**
 * List+watch of one resource kind (in one namespace or cluster-wide), built on
 * @kubernetes/client-node's object API and `Watch`.
 *
 * client-node's `ListWatch` caches whole objects and stops for good on the first error; we want
 * neither. This reflector keeps no objects of its own: each one passes through `transform`
 * (which drops managedFields and converts to a slim record, or returns null for objects we do not
 * keep, such as Secrets no Ingress references) and reaches the sink. It re-lists on 410 Gone,
 * resumes from the last resourceVersion after an idle timeout, and retries every other failure
 * with backoff, forever. On re-list, objects that vanished meanwhile are reported removed.
 */
import { KubernetesObjectApi, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { exponentialBackoff, type Backoff } from './backoff.ts';

export interface ResourceKind {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
}

export interface ReflectorSink<T> {
  upsert(key: string, value: T): void;
  remove(key: string): void;
  /** After every complete list; the first call means "initial state known". */
  synced(): void;
}

export interface ReflectorOptions<T> {
  readonly kubeConfig: KubeConfig;
  readonly resource: ResourceKind;
  /** null: every namespace. */
  readonly namespace: string | null;
  readonly fieldSelector?: string;
  readonly transform: (raw: KubernetesObject) => T | null;
  readonly sink: ReflectorSink<T>;
  readonly logger: Logger;
  readonly backoff?: Backoff;
  /** Told about every failure, for metrics (`reason`: list, watch, gone, decode). */
  readonly onError?: (reason: string) => void;
}

const PAGE = 500;

export function objectKey(o: KubernetesObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

export function collectionPath(r: ResourceKind, namespace: string | null): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return namespace === null ? `${base}/${r.plural}` : `${base}/namespaces/${namespace}/${r.plural}`;
}

export class Reflector<T> {
  private readonly opts: ReflectorOptions<T>;
  private readonly api: KubernetesObjectApi;
  private readonly backoff: Backoff;
  private readonly known = new Set<string>();
  private resourceVersion = '';
  private abort: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(opts: ReflectorOptions<T>) {
    this.opts = opts;
    this.api = KubernetesObjectApi.makeApiClient(opts.kubeConfig);
    this.backoff = opts.backoff ?? exponentialBackoff();
  }

  start(): void {
    this.stopped = false;
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.abort?.abort();
  }

  private get apiVersion(): string {
    const r = this.opts.resource;
    return r.group === '' ? r.version : `${r.group}/${r.version}`;
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    const { resource, namespace, fieldSelector, logger } = this.opts;
    try {
      const seen = new Set<string>();
      let token: string | undefined;
      let rv = '';
      do {
        const page = await this.api.list(this.apiVersion, resource.kind, namespace ?? undefined, undefined, undefined, undefined, fieldSelector, undefined, PAGE, token);
        for (const item of page.items) {
          const key = objectKey(item);
          seen.add(key);
          this.deliver(key, item);
        }
        token = page.metadata?._continue || undefined;
        rv = page.metadata?.resourceVersion ?? rv;
      } while (token !== undefined && !this.stopped);
      for (const key of [...this.known]) {
        if (!seen.has(key)) this.forget(key);
      }
      this.resourceVersion = rv;
      this.backoff.reset();
      this.opts.sink.synced();
      void this.watch();
    } catch (err) {
      this.opts.onError?.('list');
      logger.warn({ kind: resource.kind, namespace, err: describe(err) }, 'list failed; retrying');
      this.retry(() => this.relist());
    }
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    const { resource, namespace, fieldSelector, logger } = this.opts;
    let gone = false;
    const w = new Watch(this.opts.kubeConfig);
    const query: Record<string, string | boolean> = { resourceVersion: this.resourceVersion, allowWatchBookmarks: true };
    if (fieldSelector !== undefined) query['fieldSelector'] = fieldSelector;
    try {
      this.abort = await this.startWatch(w, query, () => gone, (g) => { gone = g; });
    } catch (err) {
      this.opts.onError?.('watch');
      logger.warn({ kind: resource.kind, namespace, err: describe(err) }, 'watch could not start; re-listing after backoff');
      this.retry(() => this.relist());
    }
  }

  private startWatch(w: Watch, query: Record<string, string | boolean>, isGone: () => boolean, setGone: (g: boolean) => void): Promise<AbortController> {
    const { resource, namespace, logger } = this.opts;
    return w.watch(
      collectionPath(resource, namespace),
      query,
      (phase: string, obj: KubernetesObject & { code?: number }) => {
        if (phase === 'ERROR') {
          // 410 Gone: our resourceVersion is too old; anything else also warrants a fresh list.
          setGone(true);
          if (obj.code !== 410) this.opts.onError?.('watch');
          return;
        }
        const rv = obj.metadata?.resourceVersion;
        if (rv !== undefined) this.resourceVersion = rv;
        if (phase === 'BOOKMARK') return;
        const key = objectKey(obj);
        if (phase === 'DELETED') this.forget(key);
        else this.deliver(key, obj);
      },
      (err: unknown) => {
        if (this.stopped) return;
        if (isGone()) {
          this.opts.onError?.('gone');
          void this.relist();
        } else if (err === null || err === undefined || isTimeout(err)) {
          // The server or the client closed an idle watch: resume where we were.
          void this.watch();
        } else {
          this.opts.onError?.('watch');
          logger.warn({ kind: resource.kind, namespace, err: describe(err) }, 'watch failed; re-listing after backoff');
          this.retry(() => this.relist());
        }
      },
    );
  }

  private deliver(key: string, raw: KubernetesObject): void {
    let value: T | null;
    try {
      value = this.opts.transform(raw);
    } catch (err) {
      // A converter bug must not stop the stream: the object is reported and skipped.
      this.opts.onError?.('decode');
      this.opts.logger.error({ kind: this.opts.resource.kind, key, err: describe(err) }, 'could not convert object; ignoring it');
      value = null;
    }
    if (value === null) {
      this.forget(key);
      return;
    }
    this.known.add(key);
    this.opts.sink.upsert(key, value);
  }

  private forget(key: string): void {
    if (this.known.delete(key)) this.opts.sink.remove(key);
  }

  private retry(fn: () => Promise<void>): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void fn(), this.backoff.next());
  }
}

function isTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'TimeoutError';
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
