import { expect } from 'chai';
import fc from 'fast-check';
import type { RouteEntry } from './route-entry.ts';
import { entry, resolve } from './route-fixtures.ts';
import { compileRouteTable, RouteTableBuilder } from './route-table-builder.ts';

/** The rules of docs/design.md written the slow, obvious way: the compiled table must agree. */
function reference(entries: readonly RouteEntry[], host: string, target: string): string {
  let h = host.toLowerCase();
  h = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1 || h.length) : h.split(':')[0] ?? '';
  const path = target.split('?')[0] ?? '';
  const dot = h.indexOf('.');
  const wildcard = dot > 0 && dot < h.length - 1 ? `*${h.slice(dot)}` : null;
  let candidates = entries.filter((e) => e.hostKind === 'exact' && e.host === h);
  if (candidates.length === 0) candidates = entries.filter((e) => e.hostKind === 'wildcard' && e.host === wildcard);
  if (candidates.length === 0) candidates = entries.filter((e) => e.hostKind === 'any');
  if (candidates.length === 0) return '<no-host>';
  const exact = candidates.find((e) => e.match === 'exact' && e.path === path);
  if (exact) return exact.backend;
  let best: RouteEntry | null = null;
  for (const e of candidates) {
    if (e.match !== 'prefix') continue;
    const p = e.matchPath;
    const hit = p === '' ? path.startsWith('/') : path === p || path.startsWith(`${p}/`);
    if (hit && (best === null || p.length > best.matchPath.length)) best = e;
  }
  return best?.backend ?? '<no-path>';
}

const hostNames = ['a.com', 'b.a.com', 'x.b.a.com', 'c.com'];
const keyHost = fc.oneof(fc.constantFrom(...hostNames), fc.constantFrom('*.a.com', '*.b.a.com', '*'));
const segment = fc.constantFrom('a', 'b', 'ab', '', '%41');
const path = fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join('/')}`);
const routeEntry = fc.record({ match: fc.constantFrom('exact', 'prefix'), host: keyHost, path, n: fc.nat(99) })
  .map(({ match, host, path: p, n }) => entry(`${match}:${host}${p}`, `be${n}`));
const requestHost = fc.record({
  name: fc.constantFrom(...hostNames, 'd.c.com', 'q.a.com', '', '[::1]'),
  upper: fc.boolean(),
  port: fc.option(fc.constantFrom(':80', ':8443')),
}).map(({ name, upper, port }) => (upper ? name.toUpperCase() : name) + (port ?? ''));
const target = fc.tuple(path, fc.option(fc.constantFrom('?', '?x=/a/b', '?a'))).map(([p, q]) => p + (q ?? ''));

describe('route table builder', () => {
  it('agrees with a naive reference of the Ingress rules on generated maps and requests', () => {
    fc.assert(fc.property(fc.array(routeEntry, { maxLength: 20 }), fc.array(fc.tuple(requestHost, target), { maxLength: 20 }),
      (entries, requests) => {
        const t = compileRouteTable(entries);
        for (const [h, p] of requests) expect(resolve(t, h, p), `${h} ${p}`).to.equal(reference(entries, h, p));
      }), { numRuns: 2000, seed: 4 });
  });

  it('stays in agreement while entries are added and removed one at a time', () => {
    fc.assert(fc.property(fc.array(fc.tuple(routeEntry, fc.boolean()), { maxLength: 30 }), fc.array(fc.tuple(requestHost, target), { maxLength: 10 }),
      (steps, requests) => {
        const b = new RouteTableBuilder();
        const live: { id: number; e: RouteEntry }[] = [];
        for (const [e, removeOldest] of steps) {
          if (removeOldest && live.length > 0) b.remove((live.shift() as { id: number }).id);
          else live.push({ id: b.add(e), e });
          const t = b.build();
          for (const [h, p] of requests) expect(resolve(t, h, p)).to.equal(reference(live.map((l) => l.e), h, p));
        }
      }), { numRuns: 300, seed: 5 });
  });

  it('removes every entry of a key with removeKey and lets the next duplicate take over', () => {
    const b = new RouteTableBuilder();
    b.add(entry('prefix:a.com/x', 'one'));
    b.add(entry('prefix:a.com/x/', 'two'));
    b.add(entry('prefix:a.com/x', 'three'));
    expect(resolve(b.build(), 'a.com', '/x')).to.equal('one');
    expect(b.removeKey('prefix:a.com/x')).to.equal(2);
    expect(resolve(b.build(), 'a.com', '/x')).to.equal('two');
    expect(b.entryCount).to.equal(1);
    expect(b.removeKey('prefix:a.com/x')).to.equal(0);
  });

  it('changes the value of every entry of a key with setValue, keeping their order', () => {
    const b = new RouteTableBuilder();
    b.add(entry('prefix:a.com/x', 'one'));
    b.add(entry('prefix:a.com/x', 'two'));
    b.add(entry('prefix:a.com/y', 'y'));
    expect(b.setValue('prefix:a.com/x', { backend: 'new', guid: 'g' })).to.equal(2);
    expect(b.build().lookup('a.com', '/x/1')).to.include({ backend: 'new', guid: 'g' });
    expect(resolve(b.build(), 'a.com', '/y')).to.equal('y');
    expect(b.setValue('prefix:a.com/none', { backend: 'z', guid: undefined })).to.equal(0);
  });

  it('drops a host once its last entry is gone', () => {
    const b = new RouteTableBuilder();
    const id = b.add(entry('exact:a.com/', 'a'));
    b.add(entry('prefix:*/', 'any'));
    expect(b.remove(id)).to.equal(true);
    expect(b.remove(id)).to.equal(false);
    expect(resolve(b.build(), 'a.com', '/')).to.equal('any');
    expect(b.build().hostCount).to.equal(1);
  });

  it('returns the same table when nothing changed and a new one after any change', () => {
    const b = new RouteTableBuilder();
    b.add(entry('exact:a.com/', 'a'));
    const first = b.build();
    expect(b.build()).to.equal(first);
    b.add(entry('exact:b.com/', 'b'));
    const second = b.build();
    expect(second).to.not.equal(first);
    expect(resolve(first, 'b.com', '/')).to.equal('<no-host>');
    expect(resolve(second, 'b.com', '/')).to.equal('b');
  });

  it('empties everything with clear', () => {
    const b = new RouteTableBuilder();
    b.add(entry('exact:a.com/', 'a'));
    b.clear();
    expect(b.entryCount).to.equal(0);
    expect(b.build().size).to.equal(0);
    expect(b.idsOf('exact:a.com/')).to.deep.equal([]);
  });
});
