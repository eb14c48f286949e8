import { expect } from 'chai';
import fc from 'fast-check';
import { GUID_CHARSET, GUID_MAX_LENGTH, backendGuid, backendName, certificateName, fnv1a64, isOwnedBackendName, routeGuid, serverGuid, serverName } from './ids.ts';
import { buildModel } from './build.ts';
import { ingress, options, service, slice, snapshot } from './fixtures.ts';

const UID36 = 'f'.repeat(8) + '-' + 'f'.repeat(4) + '-' + 'f'.repeat(4) + '-' + 'f'.repeat(4) + '-' + 'f'.repeat(12);
const IPV6_LONGEST = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

describe('model: GUIDs from Kubernetes UIDs', () => {
  const maximal: { name: string; guid: string; length: number }[] = [
    { name: 'a backend GUID with a 36-character UID and port 65535', guid: backendGuid(UID36, 65535), length: 44 },
    { name: 'a Pod server GUID with 36-character UIDs and ports 65535', guid: serverGuid(UID36, 65535, serverName(65535, UID36, '')), length: 87 },
    { name: 'an address server GUID with the longest IPv6 text', guid: serverGuid(UID36, 65535, serverName(65535, undefined, IPV6_LONGEST)), length: 90 },
    { name: 'a route GUID', guid: routeGuid(UID36, 'prefix:a.example.com/'), length: 55 },
    { name: 'a default-backend route GUID', guid: routeGuid(UID36, 'default'), length: 46 },
  ];
  for (const c of maximal) {
    it(`keeps ${c.name} within 127 characters of [A-Za-z0-9._:-] (${String(c.length)})`, () => {
      expect(c.guid.length).to.equal(c.length);
      expect(c.guid.length).to.be.at.most(GUID_MAX_LENGTH);
      expect(c.guid).to.match(GUID_CHARSET);
    });
  }

  it('keeps every GUID within bounds for any valid inputs (property)', () => {
    const uid = fc.stringMatching(/^[A-Za-z0-9-]{1,36}$/);
    const port = fc.integer({ min: 1, max: 65535 });
    const v4 = fc.ipV4();
    fc.assert(fc.property(uid, uid, port, port, v4, fc.string({ maxLength: 2000 }), (svc, pod, p1, p2, addr, key) => {
      for (const g of [backendGuid(svc, p1), serverGuid(svc, p1, serverName(p2, pod, addr)), serverGuid(svc, p1, serverName(p2, undefined, addr)), routeGuid(svc, key)]) {
        expect(g.length).to.be.at.most(GUID_MAX_LENGTH);
        expect(g).to.match(GUID_CHARSET);
      }
    }), { numRuns: 300 });
  });

  it('gives the same object the same GUID on every build', () => {
    const objects = [
      service('ns/web').port(80).build(),
      ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 80).build(),
      slice('ns/web-1', 'web').port(8080).endpoint('10.0.0.1', { pod: 'p' }).build(),
    ];
    const a = buildModel(snapshot(objects), options()).desired;
    const b = buildModel(snapshot(objects), options()).desired;
    expect(a.backends[0]?.guid).to.be.a('string').and.equal(b.backends[0]?.guid);
    expect(a.backends[0]?.servers[0]?.guid).to.be.a('string').and.equal(b.backends[0]?.servers[0]?.guid);
  });

  it('keeps route GUIDs when rules are reordered', () => {
    const web = service('ns/web').port(80).build();
    const one = ingress('ns/a').host('a.example.com').path('/x', 'Prefix', 'web', 80).path('/y', 'Prefix', 'web', 80).build();
    const two = ingress('ns/a').host('a.example.com').path('/y', 'Prefix', 'web', 80).path('/x', 'Prefix', 'web', 80).build();
    expect(buildModel(snapshot([web, two]), options()).desired.routes).to.deep.equal(buildModel(snapshot([web, one]), options()).desired.routes);
  });

  it('gives two Services selecting the same Pod distinct server GUIDs', () => {
    expect(serverGuid('uid-a', 80, 'pod_8080')).to.not.equal(serverGuid('uid-b', 80, 'pod_8080'));
  });

  it('keeps backend names to the design contract <ns>_<svc>_<port>', () => {
    expect(backendName('ns', 'web', 80)).to.equal('ns_web_80');
    expect(isOwnedBackendName('ns_web_80')).to.equal(true);
    expect(isOwnedBackendName('default-be')).to.equal(false);
  });

  it('names certificates after the Secret UID only, so content updates keep the name', () => {
    expect(certificateName(UID36)).to.equal(`secret-${UID36}.pem`);
    expect(certificateName(UID36)).to.not.include(':');
  });

  it('pins FNV-1a 64 so route GUIDs never change between releases', () => {
    expect(fnv1a64('')).to.equal('cbf29ce484222325');
    expect(fnv1a64('a')).to.equal('af63dc4c8601ec8c');
  });
});

describe('model: FNV-1a 64 on 32-bit halves', () => {
  it('equals the BigInt definition for any string (property)', () => {
    const reference = (text: string): string => {
      let h = 0xcbf29ce484222325n;
      for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & ((1n << 64n) - 1n);
      return h.toString(16).padStart(16, '0');
    };
    fc.assert(fc.property(fc.string({ maxLength: 64, unit: 'binary' }), (s) => { expect(fnv1a64(s)).to.equal(reference(s)); }), { numRuns: 300 });
  });
});
