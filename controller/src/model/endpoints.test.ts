import { expect } from 'chai';
import { buildModel } from './build.ts';
import { ingress, options, service, slice, snapshot, uidFor } from './fixtures.ts';
import type { BuildResult } from './build.ts';
import type { EndpointOptions } from './fixtures.ts';

type Obj = Parameters<typeof snapshot>[0][number];

const web = service('ns/web').port(80, 'http').build();
const route = ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 'http').build();

function build(...objects: Obj[]): BuildResult {
  return buildModel(snapshot([web, route, ...objects]), options());
}

function servers(...objects: Obj[]): string[] {
  return build(...objects).desired.backends.flatMap((b) => b.servers.map((s) => `${s.address}:${String(s.port)} ${s.state}`));
}

const one = (o: EndpointOptions): Obj => slice('ns/web-1', 'web').port(8080, 'http').endpoint('10.0.0.1', o).build();

describe('model: EndpointSlices become servers', () => {
  const conditionCases: { name: string; o: EndpointOptions; want: string[] }[] = [
    { name: 'puts a ready endpoint in rotation', o: { ready: true }, want: ['10.0.0.1:8080 ready'] },
    { name: 'treats an unknown ready condition as ready, as the API says', o: {}, want: ['10.0.0.1:8080 ready'] },
    { name: 'drains an endpoint that is serving and terminating', o: { ready: false, serving: true, terminating: true }, want: ['10.0.0.1:8080 drain'] },
    { name: 'leaves out an endpoint that is terminating and not serving', o: { ready: false, serving: false, terminating: true }, want: [] },
    { name: 'leaves out an endpoint that is not ready', o: { ready: false }, want: [] },
    { name: 'leaves out an endpoint that is not ready even if serving', o: { ready: false, serving: false }, want: [] },
  ];
  for (const c of conditionCases) {
    it(c.name, () => {
      expect(servers(one(c.o))).to.deep.equal(c.want);
    });
  }

  it('uses the EndpointSlice port named like the Service port, whose number differs', () => {
    const s = slice('ns/web-1', 'web').port(9090, 'metrics').port(8080, 'http').endpoint('10.0.0.1').build();
    expect(servers(s)).to.deep.equal(['10.0.0.1:8080 ready']);
  });

  it('ignores slices of another Service or another namespace', () => {
    expect(servers(
      slice('ns/api-1', 'api').port(8080, 'http').endpoint('10.0.0.9').build(),
      slice('other/web-1', 'web').port(8080, 'http').endpoint('10.0.0.8').build(),
    )).to.deep.equal([]);
  });

  it('keeps one server for a Pod listed by two slices, with the better state', () => {
    const a = slice('ns/web-a', 'web').port(8080, 'http').endpoint('10.0.0.1', { pod: 'p1', ready: false, serving: true, terminating: true }).build();
    const b = slice('ns/web-b', 'web').port(8080, 'http').endpoint('10.0.0.1', { pod: 'p1' }).build();
    expect(servers(a, b)).to.deep.equal(['10.0.0.1:8080 ready']);
  });

  it('keeps the server name and GUID when a Pod moves to another slice', () => {
    const before = build(slice('ns/web-a', 'web').port(8080, 'http').endpoint('10.0.0.1', { pod: 'p1' }).build()).desired.backends[0]?.servers[0];
    const after = build(slice('ns/web-z', 'web').port(8080, 'http').endpoint('10.0.0.1', { pod: 'p1' }).build()).desired.backends[0]?.servers[0];
    expect(after).to.deep.equal(before);
    expect(before?.name).to.equal(`${uidFor('Pod', 'ns/p1')}_8080`);
  });

  it('names a server without targetRef after its address, stable across slices too', () => {
    const a = build(slice('ns/web-a', 'web').port(8080, 'http').endpoint('10.0.0.1').build()).desired.backends[0]?.servers[0];
    const b = build(slice('ns/web-b', 'web').port(8080, 'http').endpoint('10.0.0.1').build()).desired.backends[0]?.servers[0];
    expect(a?.name).to.equal('10.0.0.1_8080');
    expect(b?.guid).to.equal(a?.guid);
  });

  it('sorts servers by name', () => {
    const s = slice('ns/web-1', 'web').port(8080, 'http').endpoint('10.0.0.3').endpoint('10.0.0.1').endpoint('10.0.0.2').build();
    expect(servers(s)).to.deep.equal(['10.0.0.1:8080 ready', '10.0.0.2:8080 ready', '10.0.0.3:8080 ready']);
  });

  it('canonicalises IPv6 addresses', () => {
    const s = slice('ns/web-1', 'web').addressType('IPv6').port(8080, 'http').endpoint('2001:DB8:0:0:0:0:0:1').build();
    expect(servers(s)).to.deep.equal(['2001:db8::1:8080 ready']);
  });

  it('skips an address of the wrong family and reports it on the slice', () => {
    const s = slice('ns/web-1', 'web').port(8080, 'http').endpoint('fd00::1').endpoint('10.0.0.1').build();
    const result = build(s);
    expect(servers(s)).to.deep.equal(['10.0.0.1:8080 ready']);
    expect(result.warnings.map((w) => [w.object.kind, w.code])).to.deep.equal([['EndpointSlice', 'HWS_ERR_ENDPOINT_INVALID_ADDRESS']]);
  });

  it('skips a hostile address without echoing all of it', () => {
    const s = slice('ns/web-1', 'web').port(8080, 'http').endpoint(`10.0.0.1;${'x'.repeat(100_000)}`).build();
    const result = build(s);
    expect(servers(s)).to.deep.equal([]);
    expect(result.warnings[0]?.message.length).to.be.below(200);
  });

  it('skips FQDN slices with a warning', () => {
    const s = slice('ns/web-1', 'web').addressType('FQDN').port(8080, 'http').endpoint('db.example.com').build();
    expect(build(s).warnings.map((w) => w.code)).to.deep.equal(['HWS_ERR_ENDPOINT_SLICE_UNSUPPORTED']);
  });

  it('ignores a targetRef whose UID is not a Kubernetes UID and names the server after its address', () => {
    const s = slice('ns/web-1', 'web').port(8080, 'http').rawEndpoint({ addresses: ['10.0.0.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', uid: 'a b;c' } }).build();
    expect(build(s).desired.backends[0]?.servers[0]?.name).to.equal('10.0.0.1_8080');
  });

  it('ignores UDP ports', () => {
    const s = slice('ns/web-1', 'web').port(8080, 'http', 'UDP').endpoint('10.0.0.1').build();
    expect(servers(s)).to.deep.equal([]);
  });
});
