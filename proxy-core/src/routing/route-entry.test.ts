import { expect } from 'chai';
import { parseRouteEntry, parseRouteKey, parseRouteValue } from './route-entry.ts';

describe('route map entry format', () => {
  const accepted: [string, string, object][] = [
    ['accepts an exact host with an exact path', 'exact:example.com/healthz',
      { match: 'exact', hostKind: 'exact', host: 'example.com', path: '/healthz', matchPath: '/healthz' }],
    ['accepts a one-label wildcard with a prefix path', 'prefix:*.example.com/api',
      { match: 'prefix', hostKind: 'wildcard', host: '*.example.com', path: '/api', matchPath: '/api' }],
    ['accepts the any-host with the root prefix, which matches every path', 'prefix:*/',
      { match: 'prefix', hostKind: 'any', host: '*', path: '/', matchPath: '' }],
    ['normalizes a trailing slash of a prefix path', 'prefix:example.com/foo/',
      { matchPath: '/foo' }],
    ['keeps a trailing slash of an exact path', 'exact:example.com/foo/',
      { matchPath: '/foo/' }],
    ['strips only one trailing slash, so the empty element survives', 'prefix:example.com/foo//',
      { matchPath: '/foo/' }],
    ['keeps percent-escapes as written', 'prefix:example.com/a%2Fb',
      { matchPath: '/a%2Fb' }],
    ['accepts digits and hyphens inside labels', 'exact:a-1.b2.example/x',
      { host: 'a-1.b2.example' }],
  ];
  for (const [name, key, expected] of accepted) {
    it(name, () => {
      const r = parseRouteKey(key);
      expect(r.ok, JSON.stringify(r)).to.equal(true);
      if (r.ok) expect(r.value).to.include({ key, ...expected });
    });
  }

  const rejected: [string, string, string][] = [
    ['rejects a key without a match kind', 'example.com/foo', 'PXY_ERR_ROUTE_KEY_MATCH'],
    ['rejects an unknown match kind', 'regex:example.com/foo', 'PXY_ERR_ROUTE_KEY_MATCH'],
    ['rejects a key without a path', 'prefix:example.com', 'PXY_ERR_ROUTE_KEY_NO_PATH'],
    ['rejects an empty host', 'prefix:/foo', 'PXY_ERR_ROUTE_KEY_HOST'],
    ['rejects an upper-case host', 'exact:Example.com/', 'PXY_ERR_ROUTE_KEY_HOST'],
    ['rejects a host with a port', 'exact:example.com:80/', 'PXY_ERR_ROUTE_KEY_HOST'],
    ['rejects a wildcard in the middle', 'exact:a.*.example.com/', 'PXY_ERR_ROUTE_KEY_HOST'],
    ['rejects a two-label wildcard', 'exact:*.*.example.com/', 'PXY_ERR_ROUTE_KEY_HOST'],
    ['rejects a partial-label wildcard', 'exact:foo*.example.com/', 'PXY_ERR_ROUTE_KEY_HOST'],
    ['rejects an empty label', 'exact:a..example.com/', 'PXY_ERR_ROUTE_KEY_HOST'],
    ['rejects a label that starts with a hyphen', 'exact:-a.example.com/', 'PXY_ERR_ROUTE_KEY_HOST'],
    ['rejects a label of 64 characters', `exact:${'a'.repeat(64)}.com/`, 'PXY_ERR_ROUTE_KEY_HOST'],
    ['rejects an underscore in a host', 'exact:a_b.example.com/', 'PXY_ERR_ROUTE_KEY_HOST'],
    ['rejects a query string in the path', 'exact:example.com/a?b=1', 'PXY_ERR_ROUTE_KEY_PATH'],
    ['rejects a fragment in the path', 'exact:example.com/a#b', 'PXY_ERR_ROUTE_KEY_PATH'],
    ['rejects a control character in the path', 'exact:example.com/a\nb', 'PXY_ERR_ROUTE_KEY_PATH'],
    ['rejects a non-ASCII path', 'exact:example.com/caf\u00e9', 'PXY_ERR_ROUTE_KEY_PATH'],
    ['rejects a key over 4096 characters', `prefix:example.com/${'a'.repeat(4090)}`, 'PXY_ERR_ROUTE_KEY_TOO_LONG'],
  ];
  for (const [name, key, code] of rejected) {
    it(name, () => {
      const r = parseRouteKey(key);
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.error.code).to.equal(code);
    });
  }

  it('pins the operator-facing text of a rejected key', () => {
    const r = parseRouteKey('regex:example.com/foo');
    expect(r.ok ? '' : r.error.message).to.equal(
      "route key must start with 'exact:' or 'prefix:' (got 'regex:example.com/foo')");
  });

  it('escapes control characters and quotes when it echoes the input', () => {
    const r = parseRouteKey("exact:example.com/a\r\n'x");
    expect(r.ok ? '' : r.error.message).to.equal(
      "route key path must be printable ASCII without spaces, ? or # (got 'exact:example.com/a\\x0d\\x0a\\x27x')");
  });

  it('cuts an echoed input at 100 characters', () => {
    const r = parseRouteKey(`bad:${'x'.repeat(200)}`);
    expect(r.ok ? '' : r.error.message).to.match(/\(got 'bad:x{96}\.\.\.'\)$/);
  });

  const values: [string, string, string | { backend: string; guid: string | undefined }][] = [
    ['accepts a backend alone', 'default_web_80', { backend: 'default_web_80', guid: undefined }],
    ['accepts a backend and a route GUID', 'default_web_http r-1:a.b', { backend: 'default_web_http', guid: 'r-1:a.b' }],
    ['rejects an empty value', '', 'PXY_ERR_ROUTE_VALUE_FORMAT'],
    ['rejects two spaces between the fields', 'be  guid', 'PXY_ERR_ROUTE_VALUE_FORMAT'],
    ['rejects a third field', 'be guid extra', 'PXY_ERR_ROUTE_VALUE_FORMAT'],
    ['rejects a slash in the backend name', 'ns/svc', 'PXY_ERR_ROUTE_VALUE_BACKEND'],
    ['rejects a plus in the GUID', 'be a+b', 'PXY_ERR_ROUTE_VALUE_GUID'],
    ['rejects a GUID of 128 characters', `be ${'g'.repeat(128)}`, 'PXY_ERR_ROUTE_VALUE_GUID'],
    ['accepts a GUID of 127 characters', `be ${'g'.repeat(127)}`, { backend: 'be', guid: 'g'.repeat(127) }],
    ['accepts a backend name of 143 characters (namespace_service_port at their limits)',
      `${'n'.repeat(63)}_${'s'.repeat(63)}_${'p'.repeat(15)}`,
      { backend: `${'n'.repeat(63)}_${'s'.repeat(63)}_${'p'.repeat(15)}`, guid: undefined }],
  ];
  for (const [name, value, expected] of values) {
    it(name, () => {
      const r = parseRouteValue(value);
      if (typeof expected === 'string') expect(r.ok ? '' : r.error.code).to.equal(expected);
      else expect(r.ok ? r.value : r.error).to.deep.equal(expected);
    });
  }

  it('reports the key error first when both halves are bad', () => {
    const r = parseRouteEntry('bad', 'a/b');
    expect(r.ok ? '' : r.error.code).to.equal('PXY_ERR_ROUTE_KEY_MATCH');
  });

  it('merges key and value of a good entry', () => {
    const r = parseRouteEntry('prefix:example.com/api/', 'be g1');
    expect(r.ok && r.value).to.include({ matchPath: '/api', backend: 'be', guid: 'g1' });
  });
});
