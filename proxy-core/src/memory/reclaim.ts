/**
 * When to give memory back: the decision only (no clock, no I/O), so it is tested as a table.
 *
 * V8 keeps a heap (and a young generation) grown for a peak long after the objects are gone, and
 * each traffic worker is an isolate of its own, so a table emptied after a peak of 100 000 servers
 * keeps its peak's RSS in every thread. A reclaim runs V8's most thorough collection (compacting,
 * shrinking, young generation included) in the writer and in each worker. It stops the thread
 * for tens of milliseconds, so it runs only when it pays: the table shrank well below its peak,
 * or a long burst of changes ended, and no change came for a while; never twice within
 * `minIntervalMs`.
 */

export type ReclaimReason = 'servers-dropped' | 'churn';

export interface ReclaimPolicy {
  /** Reclaim once the live servers fell to this fraction of their peak (0..1)… */
  readonly dropFraction: number;
  /** …and by at least this many servers: small tables are not worth a pause. */
  readonly minDrop: number;
  /** Or once this many changes were published since the last reclaim (a long burst). */
  readonly churnChanges: number;
  /** Only after this long without any published change. */
  readonly quietMs: number;
  /** And never twice within this long. */
  readonly minIntervalMs: number;
  /**
   * Deleted servers wait for their last connection before they are destroyed; a reclaim waits
   * for them too, but not longer than this after the last change.
   */
  readonly zombieWaitMs: number;
}

export const DEFAULT_RECLAIM_POLICY: ReclaimPolicy = {
  dropFraction: 0.5,
  minDrop: 2000,
  churnChanges: 100_000,
  quietMs: 2000,
  minIntervalMs: 30_000,
  zombieWaitMs: 30_000,
};

/** What the writer knows at one tick. Times are milliseconds on one clock. */
export interface ReclaimObservation {
  readonly now: number;
  /** Live servers now. */
  readonly servers: number;
  /** The most live servers seen since the last reclaim (or since start). */
  readonly peak: number;
  /** Deleted servers not destroyed yet (still holding a connection, or not acked). */
  readonly zombies: number;
  /** Changes published since the last reclaim. */
  readonly changes: number;
  /** When the last change was published; -Infinity when none yet. */
  readonly lastChangeAt: number;
  /** When the last reclaim ran; -Infinity when none yet. */
  readonly lastReclaimAt: number;
}

/** The reason to reclaim now, or null to wait. */
export function decideReclaim(o: ReclaimObservation, p: ReclaimPolicy = DEFAULT_RECLAIM_POLICY): ReclaimReason | null {
  if (o.now - o.lastReclaimAt < p.minIntervalMs) return null;
  const quietFor = o.now - o.lastChangeAt;
  if (quietFor < p.quietMs) return null;
  if (o.zombies > 0 && quietFor < p.zombieWaitMs) return null;
  const drop = o.peak - o.servers;
  if (drop >= p.minDrop && o.servers <= o.peak * p.dropFraction) return 'servers-dropped';
  if (o.changes >= p.churnChanges) return 'churn';
  return null;
}
