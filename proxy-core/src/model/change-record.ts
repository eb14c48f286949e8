/**
 * Change records: what the writer tells every worker, in `seq` order. The shapes are the data
 * plane's contract (dataplane/records.ts): plain, structured-cloneable, full state per object.
 * A writer section produces bodies (records without `seq`); the bus stamps the seqs.
 */
import type { PlaneRecord } from '../dataplane/records.ts';

/** A record before the bus stamps its `seq`. */
export type ChangeBody = PlaneRecord extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

/**
 * A record of another kind that shares the writer section and the seq order (route maps and
 * certificates written through the runtime's WriterSection seam, or a kind the data plane adds):
 * any plain, structured-cloneable object with a `kind`.
 */
export interface ExternalChange {
  readonly kind: string;
  readonly [field: string]: unknown;
}

export type AnyChange = ChangeBody | ExternalChange;

export type ChangeRecord = AnyChange & { readonly seq: number };
