import { expect } from 'chai';
import fc from 'fast-check';
import { getFolded, getPrefix, hashFolded, hashString, StringTable } from './string-table.ts';

describe('string table', () => {
  it('behaves like a Map under generated sets and deletes, through growth and backward-shift deletion', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'ab', 'ba', '')), { maxLength: 60 }),
      (ops) => {
        const t = new StringTable<number>();
        const m = new Map<string, number>();
        ops.forEach(([del, k], i) => {
          if (del) expect(t.delete(k)).to.equal(m.delete(k));
          else { t.set(k, i); m.set(k, i); }
          expect(t.size).to.equal(m.size);
          for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'ab', 'ba', '', 'zz']) expect(t.get(key)).to.equal(m.get(key));
        });
        expect(new Map(t.entries())).to.deep.equal(m);
      }), { numRuns: 500, seed: 1 });
  });

  it('leaves the original untouched when a clone is edited', () => {
    const t = new StringTable<number>([['a', 1]]);
    const c = t.clone();
    c.set('a', 2);
    c.set('b', 3);
    c.delete('a');
    expect(t.get('a')).to.equal(1);
    expect(t.get('b')).to.equal(undefined);
    expect(c.get('b')).to.equal(3);
  });

  it('finds a key by a prefix of a longer string', () => {
    const { slots, mask } = new StringTable<number>([['/foo', 1]]).raw;
    expect(getPrefix(slots, mask, '/foo/bar', 4, hashString('/foo'))).to.equal(1);
    expect(getPrefix(slots, mask, '/fox/bar', 4, hashString('/foo'))).to.equal(undefined);
  });

  it('finds a lower-case key by a mixed-case range of a longer string', () => {
    const { slots, mask } = new StringTable<number>([['example.com', 1]]).raw;
    const host = 'Example.COM:80';
    expect(getFolded(slots, mask, host, 0, 11, hashFolded(host, 0, 11))).to.equal(1);
    expect(hashFolded(host, 0, 11)).to.equal(hashString('example.com'));
  });
});
