import { expect } from 'chai';
import type { ServerDelRecord, ServerUpdateRecord } from '../dataplane/records.ts';
import type { ChangeRecord } from './protocol.ts';
import { compactBound, decodeCompact, encodeCompact } from './record-codec.ts';

function update(o: Partial<ServerUpdateRecord> = {}): ServerUpdateRecord {
  return { seq: 7, kind: 'server.update', key: 42, host: '10.0.0.1', port: 8080, weight: 1, admin: 'ready', health: 'up', maxconn: 0, ...o };
}

const del = (seq: number, key: number): ServerDelRecord => ({ seq, kind: 'server.del', key });

function roundTrip(records: readonly ChangeRecord[]): ChangeRecord[] {
  const bound = compactBound(records);
  expect(bound).to.be.at.least(4);
  const buf = Buffer.alloc(bound + 16);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // an odd offset: frames start on 4-byte boundaries, the fields inside them do not
  const n = encodeCompact(records, buf, view, 3);
  expect(n).to.be.at.most(bound);
  return decodeCompact(buf, view, 3);
}

describe('record codec (compact ring frames)', () => {
  const same: [string, ChangeRecord[]][] = [
    ['carries a ready, up server update', [update()]],
    ['carries drain and down', [update({ admin: 'drain', health: 'down' })]],
    ['carries maintenance', [update({ admin: 'maint' })]],
    ['carries an IPv6 host, the largest weight and a port at the top of its range', [update({ host: '::1', weight: 256, port: 65535 })]],
    ['carries an empty host and port 0', [update({ host: '', port: 0 })]],
    ['carries a host that is not ASCII', [update({ host: 'bücher.example' })]],
    ['carries a large maxconn and large seq and key values', [update({ maxconn: 1_000_000, seq: 2 ** 40, key: 2 ** 35 })]],
    ['carries a deletion', [del(9, 42)]],
    ['carries a batch of both kinds in order', [update({ seq: 1 }), del(2, 42), update({ seq: 3, key: 43, admin: 'maint' })]],
    ['carries an empty batch', []],
  ];
  for (const [name, records] of same) it(name, () => expect(roundTrip(records)).to.deep.equal(records));

  const refused: [string, ChangeRecord[]][] = [
    ['leaves other record kinds to JSON', [{ seq: 1, kind: 'server.add', key: 1 }]],
    ['leaves a batch with one other kind to JSON', [update(), { seq: 2, kind: 'map.add', map: 'm', key: 'k', value: 'v' }]],
    ['leaves a port out of range to JSON', [update({ port: 70000 })]],
    ['leaves a fractional weight to JSON', [update({ weight: 1.5 })]],
    ['leaves an unknown admin state to JSON', [update({ admin: 'gone' as ServerUpdateRecord['admin'] })]],
  ];
  for (const [name, records] of refused) it(name, () => expect(compactBound(records)).to.equal(-1));
});
