/**
 * Leader election decisions over a coordination.k8s.io Lease, as client-go's leaderelection
 * package takes them. Pure: the I/O loop is in `leader-election.ts`.
 *
 * A lease held by someone else counts as expired when its record has not changed for
 * `leaseDurationSeconds` *as measured by our own clock since we first saw that record*, never by
 * comparing the holder's renewTime with our clock: clocks of two nodes may disagree.
 */

export interface LeaseRecord {
  readonly holder: string;
  readonly renewTime: string;
  readonly acquireTime: string;
  readonly leaseDurationSeconds: number;
  readonly transitions: number;
}

export interface Observation {
  /** The last record we saw, to notice changes. */
  readonly record: LeaseRecord | null;
  /** Our monotonic time (ms) when that record was first seen. */
  readonly seenAt: number;
}

export type LeaseDecision =
  | { readonly action: 'create'; readonly record: LeaseRecord }
  | { readonly action: 'update'; readonly record: LeaseRecord }
  | { readonly action: 'wait'; readonly holder: string };

export interface DecideInput {
  readonly me: string;
  readonly current: LeaseRecord | null;
  readonly observed: Observation;
  readonly nowMs: number;
  readonly wallTime: string;
  readonly leaseDurationSeconds: number;
}

export function sameRecord(a: LeaseRecord | null, b: LeaseRecord | null): boolean {
  return a !== null && b !== null && a.holder === b.holder && a.renewTime === b.renewTime && a.transitions === b.transitions;
}

export function decide(i: DecideInput): LeaseDecision {
  if (i.current === null) {
    return { action: 'create', record: { holder: i.me, renewTime: i.wallTime, acquireTime: i.wallTime, leaseDurationSeconds: i.leaseDurationSeconds, transitions: 0 } };
  }
  const c = i.current;
  if (c.holder === i.me) {
    return { action: 'update', record: { ...c, renewTime: i.wallTime, leaseDurationSeconds: i.leaseDurationSeconds } };
  }
  const unchangedSince = sameRecord(c, i.observed.record) ? i.observed.seenAt : i.nowMs;
  const expired = c.holder === '' || i.nowMs - unchangedSince >= c.leaseDurationSeconds * 1000;
  if (!expired) return { action: 'wait', holder: c.holder };
  return {
    action: 'update',
    record: { holder: i.me, renewTime: i.wallTime, acquireTime: i.wallTime, leaseDurationSeconds: i.leaseDurationSeconds, transitions: c.transitions + 1 },
  };
}
