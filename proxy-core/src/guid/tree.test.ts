import { expect } from 'chai';
import { checkGuidFormat, GuidTree } from './tree.ts';
import type { GuidOwner } from './tree.ts';

function owner(guidName: string): GuidOwner {
  return { guid: null, guidName };
}

describe('GUID format', () => {
  const cases: [string, string, string | null][] = [
    ['accepts a GUID of 1 character', 'a', null],
    ['accepts a GUID of 127 characters', 'a'.repeat(127), null],
    ['accepts every allowed character', 'Az09._:-', null],
    ['rejects an empty GUID', '', 'invalid length'],
    ['rejects a GUID of 128 characters', 'a'.repeat(128), 'invalid length'],
    ['checks the length before the characters', '/'.repeat(128), 'invalid length'],
    ['counts bytes, not characters (127 characters with one 2-byte é)', 'é' + 'a'.repeat(126), 'invalid length'],
    ['rejects a slash', 'bad/guid', "invalid character '/'"],
    ['rejects a plus', 'bad+guid', "invalid character '+'"],
    ['rejects a space', 'a b', "invalid character ' '"],
    ['reports the first bad character', 'a#b/c', "invalid character '#'"],
    ['rejects a non-ASCII letter', 'caf\u00e9', "invalid character '\u00e9'"],
  ];
  for (const [name, key, want] of cases) it(name, () => expect(checkGuidFormat(key)).to.equal(want));
});

describe('GUID tree', () => {
  it('inserts a key and finds its owner', () => {
    const t = new GuidTree();
    const o = owner('server test/s1');
    expect(t.insert(o, 'g1')).to.equal(null);
    expect(o.guid).to.equal('g1');
    expect(t.lookup('g1')).to.equal(o);
    expect(t.count).to.equal(1);
  });

  const dupCases: [string, string][] = [
    ['names a server as server <be>/<srv>', 'server test/s1'],
    ['names a backend as backend <name>', 'backend test'],
    ['names a frontend as frontend <name>', 'frontend fe'],
    ['names a listen section as proxy <name>', 'proxy li'],
    ['names a listener with its file and line', 'listener fe (h.cfg:13)'],
  ];
  for (const [name, holder] of dupCases) {
    it(`reports a duplicate and ${name}`, () => {
      const t = new GuidTree();
      t.insert(owner(holder), 'g');
      const o = owner('server test/d1');
      expect(t.insert(o, 'g')).to.equal(`duplicate entry with ${holder}`);
      expect(o.guid).to.equal(null);
      expect(t.count).to.equal(1);
    });
  }

  it('shares one namespace between every kind of owner', () => {
    const t = new GuidTree();
    t.insert(owner('frontend fe'), 'x');
    expect(t.check('x')).to.equal('duplicate entry with frontend fe');
  });

  it('compares keys case-sensitively', () => {
    const t = new GuidTree();
    expect(t.insert(owner('server a/1'), 'Gu.id:1_x-Y')).to.equal(null);
    expect(t.insert(owner('server a/2'), 'gu.id:1_x-y')).to.equal(null);
    expect(t.count).to.equal(2);
  });

  it('reserves nothing when an insert fails on format', () => {
    const t = new GuidTree();
    const o = owner('server a/1');
    expect(t.insert(o, 'bad/guid')).to.equal("invalid character '/'");
    expect(o.guid).to.equal(null);
    expect(t.count).to.equal(0);
  });

  it('refuses a second GUID on one owner rather than leak the first', () => {
    const t = new GuidTree();
    const o = owner('server a/1');
    t.insert(o, 'g-x4');
    expect(t.insert(o, 'g-x5')).to.equal('duplicate entry with server a/1');
    expect(o.guid).to.equal('g-x4');
    expect(t.lookup('g-x5')).to.equal(undefined);
    expect(t.count).to.equal(1);
  });

  it('removes idempotently', () => {
    const t = new GuidTree();
    const o = owner('server a/1');
    t.insert(o, 'g');
    t.remove(o);
    t.remove(o);
    expect(t.count).to.equal(0);
    expect(o.guid).to.equal(null);
  });

  it("never removes another owner's entry", () => {
    const t = new GuidTree();
    const a = owner('server a/1');
    const b = owner('server a/2');
    t.insert(a, 'g');
    b.guid = 'g'; // a stale claim, as a bug would leave it
    t.remove(b);
    expect(t.lookup('g')).to.equal(a);
    expect(b.guid).to.equal(null);
    expect(t.count).to.equal(1);
  });

  it('frees a key for another owner after removal', () => {
    const t = new GuidTree();
    const a = owner('server a/1');
    t.insert(a, 'g');
    t.remove(a);
    expect(t.insert(owner('server a/2'), 'g')).to.equal(null);
  });

  it('check reserves nothing and accepts the current holder', () => {
    const t = new GuidTree();
    const a = owner('server a/1');
    expect(t.check('g')).to.equal(null);
    expect(t.count).to.equal(0);
    t.insert(a, 'g');
    expect(t.check('g', a)).to.equal(null);
  });
});
