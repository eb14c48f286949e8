/**
 * A compact binary form for the two records almost every runtime server command sends,
 * `server.update` (`enable`/`disable server`, `set server … state|weight`) and `server.del`,
 * carried in the record ring instead of JSON.
 *
 * Why: every worker decodes every frame. In a batched `disable server` + `del server` run each
 * worker spent about 28% of the time decoding and applying frames, most of it `JSON.parse` of
 * ~150-byte texts, on the same 2 cores the writer and the client need. Fixed-offset binary
 * fields read through a DataView cost a fraction of that, and the writer skips `JSON.stringify`.
 * Every other record kind (rare, larger, with nested values) stays JSON.
 *
 * Layout (little-endian), after a u32 record count:
 * - `server.del`:    u8 kind=2 · f64 seq · f64 key
 * - `server.update`: u8 kind=1 · u8 admin | health << 2 · f64 seq · f64 key · u16 port · u16 weight
 *                    · f64 maxconn · u16 host length · host (UTF-8)
 * Pure: encodes into and decodes from a byte range it is given.
 */
import type { ServerAdmin, ServerDelRecord, ServerHealth, ServerUpdateRecord } from '../dataplane/records.ts';
import type { ChangeRecord } from './protocol.ts';

const K_UPDATE = 1;
const K_DEL = 2;
const ADMIN: readonly ServerAdmin[] = ['ready', 'drain', 'maint'];
const HEALTH: readonly ServerHealth[] = ['up', 'down'];
const DEL_BYTES = 17;
const UPDATE_FIXED = 32;
const MAX_HOST_BYTES = 0xffff;

/**
 * An upper bound of the compact size of `records`, or -1 when one of them has no compact form
 * (another kind, or a value out of the fields' ranges).
 */
export function compactBound(records: readonly ChangeRecord[]): number {
  let n = 4;
  for (const r of records) {
    if (r.kind === 'server.del') n += DEL_BYTES;
    else if (r.kind === 'server.update') {
      const u = r as unknown as ServerUpdateRecord;
      // UTF-8 takes at most 3 bytes per UTF-16 unit
      if (u.host.length * 3 > MAX_HOST_BYTES || !fitsU16(u.port) || !fitsU16(u.weight) || ADMIN.indexOf(u.admin) < 0 || HEALTH.indexOf(u.health) < 0) return -1;
      n += UPDATE_FIXED + u.host.length * 3;
    } else return -1;
  }
  return n;
}

function fitsU16(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xffff;
}

/** Writes `records` at `at`; returns the bytes written. Precondition: `compactBound` >= 0 and room for it. */
export function encodeCompact(records: readonly ChangeRecord[], bytes: Buffer, view: DataView, at: number): number {
  let p = at;
  view.setUint32(p, records.length, true);
  p += 4;
  for (const r of records) {
    if (r.kind === 'server.del') {
      view.setUint8(p, K_DEL);
      view.setFloat64(p + 1, r.seq, true);
      view.setFloat64(p + 9, (r as unknown as ServerDelRecord).key, true);
      p += DEL_BYTES;
      continue;
    }
    const u = r as unknown as ServerUpdateRecord;
    view.setUint8(p, K_UPDATE);
    view.setUint8(p + 1, ADMIN.indexOf(u.admin) | (HEALTH.indexOf(u.health) << 2));
    view.setFloat64(p + 2, u.seq, true);
    view.setFloat64(p + 10, u.key, true);
    view.setUint16(p + 18, u.port, true);
    view.setUint16(p + 20, u.weight, true);
    view.setFloat64(p + 22, u.maxconn, true);
    const n = u.host.length === 0 ? 0 : bytes.write(u.host, p + UPDATE_FIXED, 'utf8');
    view.setUint16(p + 30, n, true);
    p += UPDATE_FIXED + n;
  }
  return p - at;
}

/** The records of a compact frame of `len` bytes at `at`. Precondition: written by `encodeCompact`. */
export function decodeCompact(bytes: Buffer, view: DataView, at: number): ChangeRecord[] {
  const count = view.getUint32(at, true);
  const out: ChangeRecord[] = [];
  let p = at + 4;
  for (let i = 0; i < count; i++) {
    const kind = view.getUint8(p);
    if (kind === K_DEL) {
      const del: ServerDelRecord = { seq: view.getFloat64(p + 1, true), kind: 'server.del', key: view.getFloat64(p + 9, true) };
      out.push(del);
      p += DEL_BYTES;
      continue;
    }
    const flags = view.getUint8(p + 1);
    const n = view.getUint16(p + 30, true);
    const update: ServerUpdateRecord = {
      seq: view.getFloat64(p + 2, true), kind: 'server.update', key: view.getFloat64(p + 10, true),
      host: n === 0 ? '' : bytes.toString('utf8', p + UPDATE_FIXED, p + UPDATE_FIXED + n),
      port: view.getUint16(p + 18, true), weight: view.getUint16(p + 20, true),
      admin: ADMIN[flags & 3] as ServerAdmin, health: HEALTH[(flags >> 2) & 1] as ServerHealth,
      maxconn: view.getFloat64(p + 22, true),
    };
    out.push(update);
    p += UPDATE_FIXED + n;
  }
  return out;
}
