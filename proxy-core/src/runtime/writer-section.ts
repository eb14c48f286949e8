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
  let tail: Promise<unknown> = Promise.resolve();
  const section: LocalWriterSection = {
    get lastSeq() {
      return seq;
    },
    write<T>(fn: (emit: Emit) => T): Promise<T> {
      const run = async (): Promise<T> => {
        const emitted: ChangeInput[] = [];
        const result = fn((change) => {
          emitted.push(change);
        });
        // seqs are stamped only for a write that succeeded, so they never have gaps
        const records = emitted.map((change): ChangeRecord => ({ ...change, seq: ++seq }));
        if (records.length > 0) await publish(records);
        return result;
      };
      const next = tail.then(run, run);
      tail = next.catch(() => undefined);
      return next;
    },
  };
  return section;
}
