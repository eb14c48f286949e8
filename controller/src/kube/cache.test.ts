import { expect } from 'chai';
import { ingress, service, slice, tlsSecret } from '../model/fixtures.ts';
import { ClusterCache } from './cache.ts';

describe('controller cache', () => {
  it('wakes the route lane for a new Ingress and not for the same Ingress again', () => {
    const c = new ClusterCache();
    const ing = ingress('ns/a').host('a.example').path('/', 'Prefix', 'web', 80).build();
    expect(c.upsert('Ingress', 'ns/a', ing)).to.equal('routes');
    expect(c.upsert('Ingress', 'ns/a', ing)).to.equal(null);
  });

  it('keeps an unreferenced Service and EndpointSlice without waking anything', () => {
    const c = new ClusterCache();
    expect(c.upsert('Service', 'ns/web', service('ns/web').port(80, 'http').build())).to.equal(null);
    expect(c.upsert('EndpointSlice', 'ns/web-1', slice('ns/web-1', 'web').port(8080, 'http').build())).to.equal(null);
    expect(c.snapshot().services).to.have.length(1);
  });

  it('wakes the endpoint lane for slices of a referenced Service', () => {
    const c = new ClusterCache();
    c.upsert('Ingress', 'ns/a', ingress('ns/a').host('a.example').path('/', 'Prefix', 'web', 80).build());
    expect(c.upsert('Service', 'ns/web', service('ns/web').port(80, 'http').build())).to.equal('routes');
    expect(c.upsert('EndpointSlice', 'ns/web-1', slice('ns/web-1', 'web').port(8080, 'http').build())).to.equal('endpoints');
  });

  it('holds only Secrets that an Ingress or the default certificate references', () => {
    const c = new ClusterCache('kube-system/default-cert');
    c.upsert('Ingress', 'ns/a', ingress('ns/a').host('a.example').tls('a-tls', 'a.example').path('/', 'Prefix', 'web', 80).build());
    expect(c.isReferencedSecret('ns/a-tls')).to.equal(true);
    expect(c.isReferencedSecret('kube-system/default-cert')).to.equal(true);
    expect(c.isReferencedSecret('ns/other')).to.equal(false);
    expect(c.upsert('Secret', 'ns/a-tls', tlsSecret('ns/a-tls'))).to.equal('routes');
  });

  it('reports removals only for objects it held', () => {
    const c = new ClusterCache();
    expect(c.remove('Ingress', 'ns/missing')).to.equal(null);
    c.upsert('Ingress', 'ns/a', ingress('ns/a').host('a.example').path('/', 'Prefix', 'web', 80).build());
    expect(c.remove('Ingress', 'ns/a')).to.equal('routes');
  });
});
