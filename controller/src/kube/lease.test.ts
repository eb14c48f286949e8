import { expect } from 'chai';
import { decide, type LeaseRecord } from './lease.ts';
import { microTime } from './leader-election.ts';

const rec = (holder: string, renewTime = 't0', transitions = 0): LeaseRecord => ({ holder, renewTime, acquireTime: 't0', leaseDurationSeconds: 15, transitions });

describe('lease decisions', () => {
  const cases: { name: string; current: LeaseRecord | null; observed: LeaseRecord | null; seenAt: number; now: number; want: string; holder?: string; transitions?: number }[] = [
    { name: 'creates the lease when there is none', current: null, observed: null, seenAt: 0, now: 0, want: 'create', holder: 'me', transitions: 0 },
    { name: 'renews a lease it holds', current: rec('me'), observed: rec('me'), seenAt: 0, now: 1000, want: 'update', holder: 'me', transitions: 0 },
    { name: 'waits while another holder renews within the duration', current: rec('other'), observed: rec('other'), seenAt: 1000, now: 10000, want: 'wait' },
    { name: 'takes over a lease unchanged for the whole duration by our clock', current: rec('other'), observed: rec('other'), seenAt: 1000, now: 16000, want: 'update', holder: 'me', transitions: 1 },
    { name: 'restarts the clock when the record changed since last seen', current: rec('other', 't1'), observed: rec('other', 't0'), seenAt: 0, now: 60000, want: 'wait' },
    { name: 'takes a released lease at once', current: rec(''), observed: null, seenAt: 0, now: 0, want: 'update', holder: 'me', transitions: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decide({ me: 'me', current: c.current, observed: { record: c.observed, seenAt: c.seenAt }, nowMs: c.now, wallTime: 'now', leaseDurationSeconds: 15 });
      expect(d.action).to.equal(c.want);
      if (d.action !== 'wait') {
        expect(d.record.holder).to.equal(c.holder);
        expect(d.record.transitions).to.equal(c.transitions);
      }
    });
  }
});

describe('Lease times on the wire', () => {
  const cases: Array<[string, string, string]> = [
    ['writes six fractional digits, as the API server\'s MicroTime requires', '2026-11-24T10:30:06.617Z', '2026-11-24T10:30:06.617000Z'],
    ['keeps a time read back from the API server with six digits', '2026-11-24T10:30:06.617000Z', '2026-11-24T10:30:06.617000Z'],
  ];
  for (const [name, input, wire] of cases) {
    it(name, () => {
      expect(JSON.stringify({ t: microTime(input) })).to.equal(JSON.stringify({ t: wire }));
    });
  }
});
