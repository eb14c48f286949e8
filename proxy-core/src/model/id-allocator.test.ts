import { expect } from 'chai';
import { IdAllocator } from './id-allocator.ts';

describe('ID allocator', () => {
  it('hands out 1, 2, 3 in order', () => {
    const a = new IdAllocator();
    expect([a.allocate(), a.allocate(), a.allocate()]).to.deep.equal([1, 2, 3]);
  });

  it('reuses the lowest freed ID first', () => {
    const a = new IdAllocator();
    for (let i = 0; i < 10; i++) a.allocate();
    a.release(7);
    a.release(3);
    expect([a.allocate(), a.allocate(), a.allocate()]).to.deep.equal([3, 7, 11]);
  });

  it('skips an ID forced above the next one', () => {
    const a = new IdAllocator();
    a.take(2);
    expect([a.allocate(), a.allocate()]).to.deep.equal([1, 3]);
  });

  it('skips a freed ID taken again by force', () => {
    const a = new IdAllocator();
    for (let i = 0; i < 5; i++) a.allocate();
    a.release(2);
    a.release(4);
    a.take(2);
    expect(a.allocate()).to.equal(4);
  });

  it('answers 0 when no ID is left', () => {
    const a = new IdAllocator(2);
    a.allocate();
    a.allocate();
    expect(a.allocate()).to.equal(0);
  });

  it('releases idempotently', () => {
    const a = new IdAllocator();
    a.allocate();
    a.release(1);
    a.release(1);
    expect([a.allocate(), a.allocate()]).to.deep.equal([1, 2]);
  });

  it('matches a lowest-free scan over a random sequence', () => {
    const a = new IdAllocator();
    const used = new Set<number>();
    let seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    for (let i = 0; i < 3000; i++) {
      const op = rnd(3);
      if (op < 2) {
        let want = 1;
        while (used.has(want)) want++;
        expect(a.allocate()).to.equal(want);
        used.add(want);
      } else if (used.size > 0) {
        const v = [...used][rnd(used.size)] as number;
        used.delete(v);
        a.release(v);
      }
    }
  });

  it('starts from 1 again once every ID is released, whatever the order', () => {
    const a = new IdAllocator();
    for (let i = 0; i < 100; i++) a.allocate();
    a.take(500);
    for (const id of [500, 3, 1, 100, 2]) a.release(id);
    for (let id = 4; id < 100; id++) a.release(id);
    expect(a.size).to.equal(0);
    expect([a.allocate(), a.allocate(), a.peek()]).to.deep.equal([1, 2, 3]);
  });

  const edges: [string, number][] = [
    ['the last ID of a bitmap word', 29],
    ['the first ID of the next word', 30],
    ['the last ID the bitmap holds', 65535],
    ['the first ID beyond the bitmap', 65536],
    ['the largest ID', 0xffffffff],
  ];
  for (const [name, id] of edges) {
    it(`reserves, counts and frees ${name} (${id})`, () => {
      const a = new IdAllocator();
      a.allocate();
      a.take(id);
      expect([a.isUsed(id), a.isUsed(id - 1), a.size]).to.deep.equal([true, id - 1 === 1, 2]);
      a.release(id);
      a.release(id);
      expect([a.isUsed(id), a.size]).to.deep.equal([false, 1]);
    });
  }
});
