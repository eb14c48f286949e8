import { expect } from 'chai';
import { resolve, table } from './route-fixtures.ts';
import { NO_HOST, NO_PATH, RouteTable } from './route-table.ts';

// One map exercising every rule; each case names the rule it pins.
const routes = table([
  ['exact:example.com/healthz', 'health'],
  ['prefix:example.com/', 'root'],
  ['prefix:example.com/foo', 'foo'],
  ['exact:example.com/foo', 'foo-exact'],
  ['prefix:example.com/foo/bar/', 'foobar'],
  ['prefix:example.com/a%2Fb', 'escaped'],
  ['prefix:*.example.com/api', 'wild-api'],
  ['prefix:*.example.com/', 'wild-root'],
  ['prefix:only.example.com/app', 'only-app'],
  ['prefix:*/', 'any-root'],
  ['exact:127.0.0.1/v4', 'v4'],
]);

describe('route table lookup (Kubernetes Ingress semantics)', () => {
  const cases: [string, string, string, string][] = [
    ['matches an exact path', 'example.com', '/healthz', 'health'],
    ['does not match an exact path with a trailing slash', 'example.com', '/healthz/', 'root'],
    ['prefers Exact over Prefix at equal length', 'example.com', '/foo', 'foo-exact'],
    ['matches a prefix followed by a slash', 'example.com', '/foo/', 'foo'],
    ['matches a prefix followed by more elements', 'example.com', '/foo/baz', 'foo'],
    ['does not match a prefix inside an element', 'example.com', '/foobar', 'root'],
    ['takes the longest prefix', 'example.com', '/foo/bar/x', 'foobar'],
    ['matches a prefix written with a trailing slash without that slash', 'example.com', '/foo/bar', 'foobar'],
    ['matches the root prefix for any path', 'example.com', '/zzz', 'root'],
    ['ignores the query string', 'example.com', '/healthz?probe=1', 'health'],
    ['ignores a query string right after a prefix', 'example.com', '/foo?x=/bar/', 'foo-exact'],
    ['compares the path case-sensitively', 'example.com', '/FOO', 'root'],
    ['does not decode percent-escapes', 'example.com', '/a/b', 'root'],
    ['matches a percent-escape literally', 'example.com', '/a%2Fb/c', 'escaped'],
    ['compares the host case-insensitively', 'EXAMPLE.com', '/healthz', 'health'],
    ['ignores the port in the Host header', 'example.com:8080', '/healthz', 'health'],
    ['matches a one-label wildcard', 'x.example.com', '/api/v1', 'wild-api'],
    ['matches a wildcard case-insensitively and with a port', 'X.Example.COM:443', '/api', 'wild-api'],
    ['does not let a wildcard cover two labels', 'a.b.example.com', '/api', 'any-root'],
    ['does not let a wildcard cover the bare domain', 'example.com', '/api', 'root'],
    ['does not let a wildcard cover an empty label', '.example.com', '/api', 'any-root'],
    ['prefers the exact host over the wildcard', 'only.example.com', '/app/x', 'only-app'],
    ['does not fall back to the wildcard when the exact host has no matching path',
      'only.example.com', '/api', '<no-path>'],
    ['falls back to * for an unknown host', 'other.org', '/x', 'any-root'],
    ['falls back to * for a request without Host', '', '/x', 'any-root'],
    ['ignores the port after an IPv4 literal', '127.0.0.1:8080', '/v4', 'v4'],
    ['keeps the colons of an IPv6 literal and ignores its port', '[::1]:8080', '/v4', 'any-root'],
    ['treats an unclosed IPv6 literal as a host that matches nothing', '[::1', '/v4', 'any-root'],
  ];
  for (const [name, host, target, backend] of cases) {
    it(`${name}: ${host} ${target} → ${backend}`, () => {
      expect(resolve(routes, host, target)).to.equal(backend);
    });
  }

  it('answers no-host when nothing covers the host and there is no *', () => {
    const t = table([['prefix:example.com/', 'a']]);
    expect(t.lookup('other.org', '/')).to.equal(NO_HOST);
  });

  it('answers no-path for a host with entries but no matching path', () => {
    const t = table([['exact:example.com/a', 'a'], ['prefix:*/', 'any']]);
    expect(t.lookup('example.com', '/b')).to.equal(NO_PATH);
  });

  it('does not match a request target that is not a path, even against the root prefix', () => {
    const t = table([['prefix:example.com/', 'a']]);
    expect(t.lookup('example.com', '*')).to.equal(NO_PATH);
  });

  it('carries the backend, the route GUID and the key that matched', () => {
    const t = table([['prefix:example.com/api/', 'be r-7']]);
    expect(t.lookup('example.com', '/api/x')).to.deep.equal(
      { kind: 'route', backend: 'be', guid: 'r-7', match: 'prefix', key: 'prefix:example.com/api/' });
  });

  it('keeps the first of two entries with the same normalized prefix', () => {
    const t = table([['prefix:example.com/foo/', 'first'], ['prefix:example.com/foo', 'second']]);
    expect(resolve(t, 'example.com', '/foo')).to.equal('first');
    expect(t.size).to.equal(1);
  });

  it('matches an empty element only where the path has one', () => {
    const t = table([['prefix:example.com/foo//', 'empty-el'], ['prefix:example.com/foo', 'foo']]);
    expect(resolve(t, 'example.com', '/foo//x')).to.equal('empty-el');
    expect(resolve(t, 'example.com', '/foo/x')).to.equal('foo');
  });

  it('routes nothing from the empty table', () => {
    expect(RouteTable.EMPTY.lookup('example.com', '/')).to.equal(NO_HOST);
  });

  it('counts routes and hosts', () => {
    expect(routes.size).to.equal(11);
    expect(routes.hostCount).to.equal(5);
  });
});
