/**
 * The seam between runtime commands that mutate state and the model's writer section.
 *
 * docs/design.md: every mutation runs inside one writer section, validate first then mutate,
 * and produces ordered change records `{ seq, kind, … }` (structured-cloneable) that every
 * worker applies in `seq` order; a runtime reply is written only once every worker has
 * acknowledged. core-model owns the real section (`model.write(fn)`); until it is on main the
 * maps and certificate stores use this small interface, and `createLocalWriterSection` is the
 * stand-in (and the test double). On merge, an adapter maps this interface onto the model's.
 */

/** A change as a mutation emits it; the section stamps the `seq`. Plain data only. */
export interface ChangeInput {
  readonly kind: string;
  readonly [field: string]: unknown;
}

export interface ChangeRecord extends ChangeInput {
  readonly seq: number;
}

/** Emits one change record from inside a write section. */
export type Emit = (change: ChangeInput) => void;

export interface WriterSection {
  /**
   * Runs `fn` alone (no other mutation interleaves), then publishes the records it emitted, in
   * order, and resolves once they are visible everywhere. `fn` must validate before mutating:
   * when it throws nothing is published and the error is rethrown.
   */
  write<T>(fn: (emit: Emit) => T): Promise<T>;
}

/** Receives published records in seq order, e.g. the worker fan-out; resolves when acknowledged. */
export type Publish = (records: readonly ChangeRecord[]) => void | Promise<void>;

export interface LocalWriterSection extends WriterSection {
  /** The last seq handed out. */
  readonly lastSeq: number;
}

export function createLocalWriterSection(publish: Publish = () => undefined): LocalWriterSection {
  let seq = 0;
  return {
    get lastSeq() {
      return seq;
    },
    // `fn` runs at once (JS runs one section at a time), so a command's change happens inside
    // its synchronous part, as with the model's section; only the publication is awaited.
    write<T>(fn: (emit: Emit) => T): Promise<T> {
      const emitted: ChangeInput[] = [];
      let result: T;
      try {
        result = fn((change) => {
          emitted.push(change);
        });
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      // seqs are stamped only for a write that succeeded, so they never have gaps
      const records = emitted.map((change): ChangeRecord => ({ ...change, seq: ++seq }));
      if (records.length === 0) return Promise.resolve(result);
      return Promise.resolve(publish(records)).then(() => result);
    },
  };
}
