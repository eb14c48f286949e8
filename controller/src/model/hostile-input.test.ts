import { expect } from 'chai';
import { buildModel } from './build.ts';
import { ingress, options, service, snapshot } from './fixtures.ts';
import type { IngressRecord } from './types.ts';

const web = service('ns/web').port(80).build();
const good = ingress('ns/good').host('good.example.com').path('/', 'Prefix', 'web', 80).build();
const huge = 'a'.repeat(100 * 1024);

/** Each hostile Ingress must be rejected with its code while `good` keeps serving. */
const cases: { name: string; bad: IngressRecord; code: string }[] = [
  { name: 'rejects a host with a semicolon', bad: ingress('ns/bad').host('a.example.com;del').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a host with a newline', bad: ingress('ns/bad').host('a.example.com\nadd server x/y 1.2.3.4').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a host with a space', bad: ingress('ns/bad').host('a .example.com').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a host with a backslash', bad: ingress('ns/bad').host('a\\.example.com').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a host with #', bad: ingress('ns/bad').host('a#.example.com').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a host of 100 KB', bad: ingress('ns/bad').host(huge).path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects an upper-case host, as the API does', bad: ingress('ns/bad').host('A.example.com').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a bare * host', bad: ingress('ns/bad').host('*').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a two-label wildcard', bad: ingress('ns/bad').host('*.*.example.com').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a wildcard inside a label', bad: ingress('ns/bad').host('a*.example.com').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects an IP address as a host', bad: ingress('ns/bad').host('10.0.0.1').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a label of 64 characters', bad: ingress('ns/bad').host(`${'a'.repeat(64)}.example.com`).path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a TLS host with a semicolon', bad: ingress('ns/bad').host('a.example.com').path('/', 'Prefix', 'web', 80).tls('cert', 'a.example.com;x').build(), code: 'HWS_ERR_INGRESS_INVALID_HOST' },
  { name: 'rejects a path with a semicolon', bad: ingress('ns/bad').host('a.example.com').path('/a;del server x/y', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a path with a newline', bad: ingress('ns/bad').host('a.example.com').path('/a\nshow map', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a path with a space', bad: ingress('ns/bad').host('a.example.com').path('/a b', 'Exact', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a path with a backslash', bad: ingress('ns/bad').host('a.example.com').path('/a\\b', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a path with #', bad: ingress('ns/bad').host('a.example.com').path('/a#b', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a path of 100 KB', bad: ingress('ns/bad').host('a.example.com').path(`/${huge}`, 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a relative path', bad: ingress('ns/bad').host('a.example.com').path('api', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a path with //', bad: ingress('ns/bad').host('a.example.com').path('/a//b', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a path with a dot segment', bad: ingress('ns/bad').host('a.example.com').path('/a/../b', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a path with an encoded slash', bad: ingress('ns/bad').host('a.example.com').path('/a%2fb', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a regular expression path, which Hawser does not support', bad: ingress('ns/bad').host('a.example.com').path('/api(/|$)(.*)', 'ImplementationSpecific', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects a Prefix rule without a path', bad: ingress('ns/bad').host('a.example.com').path(undefined, 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH' },
  { name: 'rejects an unknown pathType', bad: ingress('ns/bad').host('a.example.com').path('/', 'Regex', 'web', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_PATH_TYPE' },
  { name: 'rejects a Service name with a space', bad: ingress('ns/bad').host('a.example.com').path('/', 'Prefix', 'web 80', 80).build(), code: 'HWS_ERR_INGRESS_INVALID_BACKEND' },
  { name: 'rejects a port name with a semicolon', bad: ingress('ns/bad').host('a.example.com').path('/', 'Prefix', 'web', 'http;x').build(), code: 'HWS_ERR_INGRESS_INVALID_BACKEND' },
  { name: 'rejects port 0', bad: ingress('ns/bad').host('a.example.com').path('/', 'Prefix', 'web', 0).build(), code: 'HWS_ERR_INGRESS_INVALID_BACKEND' },
  { name: 'rejects a resource backend', bad: ingress('ns/bad').host('a.example.com').rawPath({ path: '/', pathType: 'Prefix', backend: {} }).build(), code: 'HWS_ERR_INGRESS_INVALID_BACKEND' },
  { name: 'rejects a backend with both port number and name', bad: ingress('ns/bad').host('a.example.com').rawPath({ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80, name: 'http' } } } }).build(), code: 'HWS_ERR_INGRESS_INVALID_BACKEND' },
  { name: 'ignores an Ingress whose name is not a Kubernetes name (manifests mode)', bad: ingress('ns/bad name;x').host('a.example.com').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INVALID_OBJECT_META' },
  { name: 'ignores an Ingress whose UID holds a colon', bad: ingress('ns/bad').uid('x:y').host('a.example.com').path('/', 'Prefix', 'web', 80).build(), code: 'HWS_ERR_INVALID_OBJECT_META' },
];

describe('model: hostile values reject their object and nothing else', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = buildModel(snapshot([web, good, c.bad]), options());
      expect(result.warnings.map((w) => w.code)).to.deep.equal([c.code]);
      expect(result.desired.routes.map((r) => r.key)).to.deep.equal(['prefix:good.example.com/']);
      const status = result.statuses.find((s) => s.object.uid === c.bad.meta.uid);
      if (c.code !== 'HWS_ERR_INVALID_OBJECT_META') expect(status?.accepted).to.equal(false);
      for (const w of result.warnings) expect(w.message.length).to.be.below(400);
    });
  }

  it('pins the operator-facing text of a rejection', () => {
    const bad = ingress('ns/bad').host('a.example.com').path('/a;b', 'Prefix', 'web', 80).build();
    const [w] = buildModel(snapshot([web, bad]), options()).warnings;
    expect(w?.message).to.equal('path "/a;b" holds a character outside RFC 3986 path characters (or ;); the Ingress is not served');
  });

  it('keeps the good Ingress accepted next to a rejected one', () => {
    const bad = ingress('ns/bad').host('a;b').path('/', 'Prefix', 'web', 80).build();
    const statuses = buildModel(snapshot([web, good, bad]), options()).statuses;
    expect(statuses.map((s) => [s.object.name, s.accepted])).to.deep.equal([['bad', false], ['good', true]]);
  });
});
