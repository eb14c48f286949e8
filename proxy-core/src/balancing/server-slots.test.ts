import { expect } from 'chai';
import { server, type TestServer } from './balancing.case.test.ts';
import { ServerSlots } from './server-slots.ts';

describe('server slots', () => {
  it('reports added, re-weighted, drained and deleted servers as changed, and nothing else', () => {
    const slots = new ServerSlots<TestServer>(true);
    const [a, b, c] = [server('a'), server('b'), server('c')];
    expect(slots.sync([a, b, c])).to.deep.equal([0, 1, 2]);
    expect(slots.sync([a, b, c])).to.deep.equal([]);
    b.weight = 2;
    c.usable = false;
    expect(slots.sync([a, b, c])).to.deep.equal([1, 2]);
    expect(slots.sync([b, c])).to.deep.equal([0]);
    expect(slots.eligible).to.deep.equal([1]);
  });

  it('counts nothing until a maxconn appears, then starts from the live counts', () => {
    const slots = new ServerSlots<TestServer>(false);
    const a = server('a', 1, { connections: 3 });
    slots.sync([a]);
    expect(slots.start(a)).to.equal(-1);
    expect(slots.hasRoom(0)).to.equal(true);
    a.maxconn = 4;
    a.connections = 4;
    slots.sync([a]);
    expect(slots.hasRoom(0)).to.equal(false);
    slots.end(a);
    expect(slots.hasRoom(0)).to.equal(true);
  });

  it('keeps the first of two servers with the same id', () => {
    const slots = new ServerSlots<TestServer>(true);
    const first = server('a', 3);
    slots.sync([first, server('a', 5)]);
    expect(slots.servers).to.deep.equal([first]);
    expect(slots.weights).to.deep.equal([3]);
  });

  it('reuses the slot of a deleted server for the next new one, with a fresh count', () => {
    const slots = new ServerSlots<TestServer>(true);
    const [a, b] = [server('a'), server('b')];
    slots.sync([a, b]);
    slots.start(a);
    slots.sync([b]);
    expect(slots.start(a)).to.equal(-1);
    slots.sync([b, server('c', 1, { connections: 2 })]);
    expect(slots.slotOfServer(server('c'))).to.equal(0);
    expect(slots.conns[0]).to.equal(2);
  });
});
