import { expect } from 'chai';
import { buildModel } from './build.ts';
import { ingress, options, service, slice, snapshot } from './fixtures.ts';
import { routeGuid } from './ids.ts';
import type { ModelOptions } from './types.ts';
import type { BuildResult } from './build.ts';

type Obj = Parameters<typeof snapshot>[0][number];

const web = service('ns/web').port(80, 'http').port(443, 'https').build();
const api = service('ns/api').port(8080).build();

function build(objects: Obj[], o: Partial<ModelOptions> = {}): BuildResult {
  return buildModel(snapshot(objects), options(o));
}

/** Routes as `key -> backend` (the route GUID is checked separately). */
function routes(objects: Obj[], o: Partial<ModelOptions> = {}): Record<string, string> {
  return Object.fromEntries(build(objects, o).desired.routes.map((r) => [r.key, r.value.split(' ')[0] ?? '']));
}

function codes(objects: Obj[], o: Partial<ModelOptions> = {}): string[] {
  return build(objects, o).warnings.map((w) => `${w.object.name}:${w.code}`);
}

describe('model: Ingress rules become route map entries', () => {
  const cases: { name: string; objects: Obj[]; want: Record<string, string> }[] = [
    {
      name: 'maps a Prefix path on an exact host to a prefix key',
      objects: [web, ingress('ns/a').host('shop.example.com').path('/cart', 'Prefix', 'web', 80).build()],
      want: { 'prefix:shop.example.com/cart': 'ns_web_80' },
    },
    {
      name: 'maps an Exact path to an exact key',
      objects: [web, ingress('ns/a').host('shop.example.com').path('/healthz', 'Exact', 'web', 80).build()],
      want: { 'exact:shop.example.com/healthz': 'ns_web_80' },
    },
    {
      name: 'treats ImplementationSpecific as Prefix',
      objects: [web, ingress('ns/a').host('a.example.com').path('/docs', 'ImplementationSpecific', 'web', 80).build()],
      want: { 'prefix:a.example.com/docs': 'ns_web_80' },
    },
    {
      name: 'gives an ImplementationSpecific rule without a path the root prefix',
      objects: [web, ingress('ns/a').host('a.example.com').path(undefined, 'ImplementationSpecific', 'web', 80).build()],
      want: { 'prefix:a.example.com/': 'ns_web_80' },
    },
    {
      name: 'drops the trailing slash of a Prefix path, since Prefix matching ignores it',
      objects: [web, ingress('ns/a').host('a.example.com').path('/foo/', 'Prefix', 'web', 80).build()],
      want: { 'prefix:a.example.com/foo': 'ns_web_80' },
    },
    {
      name: 'keeps the trailing slash of an Exact path',
      objects: [web, ingress('ns/a').host('a.example.com').path('/foo/', 'Exact', 'web', 80).build()],
      want: { 'exact:a.example.com/foo/': 'ns_web_80' },
    },
    {
      name: 'keys a rule without host by *',
      objects: [web, ingress('ns/a').path('/', 'Prefix', 'web', 80).build()],
      want: { 'prefix:*/': 'ns_web_80' },
    },
    {
      name: 'keeps a one-label wildcard host as it is',
      objects: [web, ingress('ns/a').host('*.example.com').path('/', 'Prefix', 'web', 80).build()],
      want: { 'prefix:*.example.com/': 'ns_web_80' },
    },
    {
      name: 'resolves a port name through the Service to the port number in the backend name',
      objects: [web, ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 'https').build()],
      want: { 'prefix:a.example.com/': 'ns_web_443' },
    },
    {
      name: 'shares one backend between a port named and a port numbered',
      objects: [web, ingress('ns/a').host('a.example.com').path('/x', 'Prefix', 'web', 'http').path('/y', 'Prefix', 'web', 80).build()],
      want: { 'prefix:a.example.com/x': 'ns_web_80', 'prefix:a.example.com/y': 'ns_web_80' },
    },
    {
      name: 'routes spec.defaultBackend for any host and for its own hosts without a root rule',
      objects: [web, api, ingress('ns/a').defaultBackend('web', 80).host('a.example.com').path('/api', 'Prefix', 'api', 8080).build()],
      want: { 'prefix:*/': 'ns_web_80', 'prefix:a.example.com/': 'ns_web_80', 'prefix:a.example.com/api': 'ns_api_8080' },
    },
    {
      name: 'lets an explicit root rule beat the default backend of the same Ingress',
      objects: [web, api, ingress('ns/a').defaultBackend('web', 80).host('a.example.com').path('/', 'Prefix', 'api', 8080).build()],
      want: { 'prefix:*/': 'ns_web_80', 'prefix:a.example.com/': 'ns_api_8080' },
    },
    {
      name: 'lets an explicit rule of another Ingress beat an implied default claim, whatever their ages',
      objects: [
        web, api,
        ingress('ns/old').created('2020-01-01T00:00:00Z').defaultBackend('web', 80).host('a.example.com').path('/x', 'Prefix', 'web', 80).build(),
        ingress('ns/new').created('2025-01-01T00:00:00Z').host('a.example.com').path('/', 'Prefix', 'api', 8080).build(),
      ],
      want: { 'prefix:*/': 'ns_web_80', 'prefix:a.example.com/': 'ns_api_8080', 'prefix:a.example.com/x': 'ns_web_80' },
    },
    {
      name: 'gives a conflicting host and path to the oldest Ingress',
      objects: [
        web, api,
        ingress('ns/b').created('2020-01-01T00:00:00Z').host('a.example.com').path('/', 'Prefix', 'api', 8080).build(),
        ingress('ns/a').created('2024-01-01T00:00:00Z').host('a.example.com').path('/', 'Prefix', 'web', 80).build(),
      ],
      want: { 'prefix:a.example.com/': 'ns_api_8080' },
    },
    {
      name: 'breaks an age tie by namespace/name',
      objects: [
        web, api,
        ingress('ns/b').host('a.example.com').path('/', 'Prefix', 'api', 8080).build(),
        ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 80).build(),
      ],
      want: { 'prefix:a.example.com/': 'ns_web_80' },
    },
    {
      name: 'does not see a conflict between Exact and Prefix on the same path',
      objects: [
        web, api,
        ingress('ns/a').host('a.example.com').path('/p', 'Prefix', 'web', 80).build(),
        ingress('ns/b').host('a.example.com').path('/p', 'Exact', 'api', 8080).build(),
      ],
      want: { 'exact:a.example.com/p': 'ns_api_8080', 'prefix:a.example.com/p': 'ns_web_80' },
    },
    {
      name: 'sees /foo and /foo/ Prefix paths as the same route',
      objects: [
        web, api,
        ingress('ns/a').created('2020-01-01T00:00:00Z').host('a.example.com').path('/foo/', 'Prefix', 'web', 80).build(),
        ingress('ns/b').host('a.example.com').path('/foo', 'Prefix', 'api', 8080).build(),
      ],
      want: { 'prefix:a.example.com/foo': 'ns_web_80' },
    },
    {
      name: 'drops only the route whose Service is missing',
      objects: [web, ingress('ns/a').host('a.example.com').path('/a', 'Prefix', 'web', 80).path('/b', 'Prefix', 'ghost', 80).build()],
      want: { 'prefix:a.example.com/a': 'ns_web_80' },
    },
    {
      name: 'drops a route whose Service lacks the port',
      objects: [web, ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 8443).path('/n', 'Prefix', 'web', 'grpc').build()],
      want: {},
    },
    {
      name: 'looks the Service up in the Ingress namespace only',
      objects: [service('other/web').port(80).build(), ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 80).build()],
      want: {},
    },
    {
      name: 'refuses ExternalName Services by default',
      objects: [service('ns/ext').externalName('10.1.2.3').port(80).build(), ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'ext', 80).build()],
      want: {},
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(routes(c.objects)).to.deep.equal(c.want);
    });
  }

  it('serves an ExternalName Service that names an IP when --allow-external-name is set', () => {
    const result = build([service('ns/ext').externalName('10.1.2.3').port(80).build(), ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'ext', 80).build()], { allowExternalName: true });
    expect(result.desired.routes.map((r) => r.key)).to.deep.equal(['prefix:a.example.com/']);
    expect(result.desired.backends[0]?.servers.map((s) => `${s.address}:${String(s.port)}`)).to.deep.equal(['10.1.2.3:80']);
  });

  it('refuses an ExternalName hostname even when allowed, since proxy-core does no DNS', () => {
    expect(codes([service('ns/ext').externalName('db.example.com').port(80).build(), ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'ext', 80).build()], { allowExternalName: true }))
      .to.deep.equal(['ext:HWS_ERR_EXTERNALNAME_UNSUPPORTED']);
  });

  it('carries the route GUID of the Ingress in the map value', () => {
    const ing = ingress('ns/a').host('a.example.com').path('/p', 'Prefix', 'web', 80).build();
    const [route] = build([web, ing]).desired.routes;
    expect(route?.value).to.equal(`ns_web_80 ${routeGuid(ing.meta.uid, 'prefix:a.example.com/p')}`);
  });

  it('reports a conflict to the losing Ingress only, naming the winner', () => {
    const result = build([
      web,
      ingress('ns/old').created('2020-01-01T00:00:00Z').host('a.example.com').path('/', 'Prefix', 'web', 80).build(),
      ingress('ns/new').host('a.example.com').path('/', 'Prefix', 'web', 80).build(),
    ]);
    expect(result.warnings.map((w) => [w.object.name, w.code, w.message])).to.deep.equal([
      ['new', 'HWS_ERR_ROUTE_CONFLICT', 'route prefix:a.example.com/ is already claimed by Ingress ns/old, which is older; this rule is not served'],
    ]);
  });

  it('reports a missing Service on the Ingress with the route it drops', () => {
    const result = build([ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'ghost', 80).build()]);
    expect(result.warnings.map((w) => w.message)).to.deep.equal(['Service ns/ghost does not exist; route prefix:a.example.com/ is not served']);
  });

  it('reports a Service without ports', () => {
    expect(codes([service('ns/web').build(), ingress('ns/a').path('/', 'Prefix', 'web', 80).build()])).to.deep.equal(['a:HWS_ERR_SERVICE_NO_PORTS']);
  });

  it('builds the same output whatever the order of the snapshot', () => {
    const objects: Obj[] = [
      web, api,
      ingress('ns/a').host('a.example.com').path('/x', 'Prefix', 'web', 80).build(),
      ingress('ns/b').host('b.example.com').path('/', 'Prefix', 'api', 8080).tls(undefined, 'b.example.com').build(),
      slice('ns/web-1', 'web').port(8080, 'http').endpoint('10.0.0.2').endpoint('10.0.0.1').build(),
      slice('ns/api-1', 'api').port(9000).endpoint('10.0.1.1').build(),
    ];
    const forward = build(objects);
    const backward = build([...objects].reverse());
    expect(backward).to.deep.equal(forward);
    expect(forward.desired.backends.map((b) => b.name)).to.deep.equal(['ns_api_8080', 'ns_web_80']);
  });
});
