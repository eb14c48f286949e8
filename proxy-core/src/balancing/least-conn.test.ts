import { expect } from 'chai';
import { contextFor, server, type TestServer } from './balancing.case.test.ts';
import { LeastConn } from './least-conn.ts';

describe('leastconn', () => {
  it('picks the server with the fewest connections', () => {
    const lc = new LeastConn<TestServer>();
    const [a, b, c] = [server('a', 1, { connections: 5 }), server('b', 1, { connections: 2 }), server('c', 1, { connections: 9 })];
    lc.update([a, b, c]);
    expect(lc.pick(contextFor(0))?.id).to.equal('b');
  });

  it('weighs connections: 3 connections on weight 4 beat 1 on weight 1', () => {
    const lc = new LeastConn<TestServer>();
    lc.update([server('light', 1, { connections: 1 }), server('heavy', 4, { connections: 3 })]);
    // (1 + 1) / 1 = 2 against (3 + 1) / 4 = 1
    expect(lc.pick(contextFor(0))?.id).to.equal('heavy');
  });

  it('breaks ties round robin when picks open no connection', () => {
    const lc = new LeastConn<TestServer>();
    lc.update([server('a'), server('b'), server('c')]);
    const ids = Array.from({ length: 6 }, (_, i) => lc.pick(contextFor(i))?.id).join('');
    expect(ids).to.equal('abcabc');
  });

  it('follows connection starts and ends', () => {
    const lc = new LeastConn<TestServer>();
    const [a, b] = [server('a'), server('b')];
    lc.update([a, b]);
    lc.onStart(a);
    lc.onStart(a);
    lc.onStart(b);
    expect(lc.pick(contextFor(0))?.id).to.equal('b');
    lc.onEnd(a);
    lc.onEnd(a);
    expect(lc.pick(contextFor(1))?.id).to.equal('a');
  });

  it('keeps live counts across an update and seeds a new server from its view', () => {
    const lc = new LeastConn<TestServer>();
    const a = server('a');
    lc.update([a]);
    for (let i = 0; i < 4; i++) lc.onStart(a);
    lc.update([a, server('b', 1, { connections: 3 })]);
    expect(lc.pick(contextFor(0))?.id).to.equal('b');
  });

  it('never counts below zero on unbalanced ends', () => {
    const lc = new LeastConn<TestServer>();
    const [a, b] = [server('a'), server('b')];
    lc.update([a, b]);
    lc.onEnd(a);
    lc.onEnd(a);
    lc.onStart(b);
    expect(lc.pick(contextFor(0))?.id).to.equal('a');
  });
});
