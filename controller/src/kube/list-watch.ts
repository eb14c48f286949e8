/**
 * List, then watch from the list's resourceVersion, forever. Our own loop rather than
 * client-node's ListWatch because that one keeps every full object (managedFields, and the data
 * of every Secret it lists) in a second cache; here each object is converted at once and only the
 * slim record reaches the cache.
 *
 * - 410 Gone (expired resourceVersion), in the reply or as a watch ERROR event: list again; keys
 *   that the new list lacks are reported as deleted.
 * - Any other failure (API server gone, timeouts): retry with backoff 1 s … 30 s, forever; the
 *   proxy keeps serving what it has meanwhile.
 */
export interface KubeObject {
  readonly metadata?: { readonly namespace?: string; readonly name?: string; readonly resourceVersion?: string };
}

export interface ListResult<T> {
  readonly items: readonly T[];
  readonly metadata?: { readonly resourceVersion?: string };
}

/** client-node's Watch, narrowed to what this loop uses (tests pass a fake). */
export interface Watcher {
  watch(
    path: string,
    query: Record<string, string | boolean | number>,
    onEvent: (phase: string, obj: unknown) => void,
    onDone: (err: unknown) => void,
  ): Promise<{ abort(): void }>;
}

export interface ListWatchHandlers<T> {
  upsert(obj: T): void;
  remove(key: string): void;
  /** Called after every complete list (the first one marks the kind as synced). */
  listed(): void;
  error(e: unknown): void;
}

export interface ListWatchOptions<T> {
  readonly path: string;
  readonly list: () => Promise<ListResult<T>>;
  readonly watcher: Watcher;
  readonly fieldSelector?: string;
  readonly labelSelector?: string;
  readonly delay?: (ms: number) => Promise<void>;
}

function keyOf(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function is410(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as { code?: unknown; statusCode?: unknown };
  return r.code === 410 || r.statusCode === 410;
}

export class ListWatchLoop<T extends KubeObject> {
  readonly #o: ListWatchOptions<T>;
  readonly #h: ListWatchHandlers<T>;
  readonly #keys = new Set<string>();
  #rv = '';
  #stopped = false;
  #request: { abort(): void } | undefined;
  #backoff = 0;

  constructor(options: ListWatchOptions<T>, handlers: ListWatchHandlers<T>) {
    this.#o = options;
    this.#h = handlers;
  }

  start(): void {
    void this.#cycle();
  }

  stop(): void {
    this.#stopped = true;
    this.#request?.abort();
  }

  async #cycle(): Promise<void> {
    while (!this.#stopped) {
      try {
        if (this.#rv === '') await this.#list();
        const ended = await this.#watch();
        if (ended !== undefined) throw ended;
        this.#backoff = 0;
      } catch (e) {
        if (is410(e)) {
          this.#rv = '';
          continue;
        }
        this.#h.error(e);
        this.#backoff = Math.min(30_000, this.#backoff === 0 ? 1000 : this.#backoff * 2);
        await (this.#o.delay ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(this.#backoff);
      }
    }
  }

  async #list(): Promise<void> {
    const result = await this.#o.list();
    const seen = new Set<string>();
    for (const item of result.items) {
      seen.add(keyOf(item));
      this.#h.upsert(item);
    }
    for (const key of this.#keys) if (!seen.has(key)) this.#h.remove(key);
    this.#keys.clear();
    for (const key of seen) this.#keys.add(key);
    this.#rv = result.metadata?.resourceVersion ?? '';
    this.#h.listed();
  }

  /** Resolves when the watch ends: undefined for a clean end (re-watch), else the error. */
  #watch(): Promise<unknown> {
    return new Promise((resolve) => {
      const query: Record<string, string | boolean> = { resourceVersion: this.#rv, allowWatchBookmarks: true };
      if (this.#o.fieldSelector !== undefined) query.fieldSelector = this.#o.fieldSelector;
      if (this.#o.labelSelector !== undefined) query.labelSelector = this.#o.labelSelector;
      let gone = false;
      const onEvent = (phase: string, raw: unknown): void => {
        const obj = raw as T & { code?: number };
        if (phase === 'ERROR') {
          if (obj.code === 410) gone = true;
          return;
        }
        const rv = obj.metadata?.resourceVersion;
        if (rv !== undefined) this.#rv = rv;
        if (phase === 'ADDED' || phase === 'MODIFIED') {
          this.#keys.add(keyOf(obj));
          this.#h.upsert(obj);
        } else if (phase === 'DELETED') {
          this.#keys.delete(keyOf(obj));
          this.#h.remove(keyOf(obj));
        }
      };
      const onDone = (err: unknown): void => {
        this.#request = undefined;
        if (gone) resolve({ code: 410 });
        else resolve(err ?? undefined);
      };
      this.#o.watcher.watch(this.#o.path, query, onEvent, onDone).then((r) => {
        this.#request = r;
        if (this.#stopped) r.abort();
      }, (e: unknown) => { resolve(e ?? new Error('watch failed')); });
    });
  }
}
