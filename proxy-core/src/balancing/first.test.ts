import { expect } from 'chai';
import { contextFor, server, type TestServer } from './balancing.case.test.ts';
import { First } from './first.ts';

describe('first', () => {
  it('fills the first server up to its maxconn, then the next', () => {
    const f = new First<TestServer>();
    const [a, b] = [server('a', 1, { maxconn: 2 }), server('b', 1, { maxconn: 2 })];
    f.update([a, b]);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = f.pick(contextFor(i)) as TestServer;
      ids.push(s.id);
      f.onStart(s);
    }
    expect(ids).to.deep.equal(['a', 'a', 'b', 'b']);
    f.onEnd(a);
    expect(f.pick(contextFor(9))?.id).to.equal('a');
  });

  it('keeps sending to the first server when it has no maxconn', () => {
    const f = new First<TestServer>();
    f.update([server('a'), server('b')]);
    for (let i = 0; i < 5; i++) f.onStart(f.pick(contextFor(i)) as TestServer);
    expect(f.pick(contextFor(9))?.id).to.equal('a');
  });

  it('picks nothing when every server is full (HAProxy would queue; the caller answers 503)', () => {
    const f = new First<TestServer>();
    f.update([server('a', 1, { maxconn: 1, connections: 1 }), server('b', 1, { maxconn: 1, connections: 1 })]);
    expect(f.pick(contextFor(0))).to.equal(null);
  });
});
