import { expect } from 'chai';
import { Cache } from './cache.ts';
import { ingress, ingressClass, service, slice, tlsSecret } from '../model/fixtures.ts';

const ing = ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 80).tls('cert', 'a.example.com').build();

describe('kube: the cache says what a change means', () => {
  it('calls a new Ingress a full change and the same one again nothing', () => {
    const c = new Cache();
    expect([c.upsert('Ingress', ing), c.upsert('Ingress', ing)]).to.deep.equal(['full', 'none']);
  });

  it('ignores Services and slices no Ingress routes to', () => {
    const c = new Cache();
    expect(c.upsert('Service', service('ns/other').port(80).build())).to.equal('none');
    expect(c.upsert('EndpointSlice', slice('ns/other-1', 'other').port(80).endpoint('10.0.0.1').build())).to.equal('none');
  });

  it('sends slices of a routed Service down the endpoint fast path', () => {
    const c = new Cache();
    c.upsert('Ingress', ing);
    expect(c.upsert('Service', service('ns/web').port(80).build())).to.equal('full');
    expect(c.upsert('EndpointSlice', slice('ns/web-1', 'web').port(8080).endpoint('10.0.0.1').build())).to.equal('endpoints');
    expect(c.remove('EndpointSlice', 'ns/web-1')).to.equal('endpoints');
    expect(c.remove('EndpointSlice', 'ns/web-1')).to.equal('none');
  });

  it('keeps only referenced Secrets, and asks for one that becomes referenced', () => {
    const c = new Cache();
    expect(c.upsert('Secret', tlsSecret('ns/cert'))).to.equal('none');
    expect(c.size('Secret')).to.equal(0);
    c.upsert('Ingress', ing);
    expect(c.missingSecrets()).to.deep.equal(['ns/cert']);
    expect(c.upsert('Secret', tlsSecret('ns/cert'))).to.equal('full');
    expect([c.size('Secret'), c.missingSecrets()]).to.deep.equal([1, []]);
    c.remove('Ingress', 'ns/a');
    expect(c.size('Secret')).to.equal(0);
  });

  it('holds the --default-ssl-certificate Secret without any Ingress', () => {
    const c = new Cache('infra/default');
    expect(c.upsert('Secret', tlsSecret('infra/default'))).to.equal('full');
    expect(c.snapshot().secrets.map((s) => s.meta.name)).to.deep.equal(['default']);
  });

  it('calls every IngressClass change full', () => {
    expect(new Cache().upsert('IngressClass', ingressClass('hawser'))).to.equal('full');
  });

  it('marks the Service of a changed or removed slice dirty, once', () => {
    const c = new Cache();
    c.upsert('Ingress', ing);
    c.upsert('EndpointSlice', slice('ns/web-1', 'web').port(8080).endpoint('10.0.0.1').build());
    c.upsert('EndpointSlice', slice('ns/other-1', 'other').port(8080).endpoint('10.0.0.1').build());
    expect([...c.takeDirtyServices()]).to.deep.equal(['ns/web']);
    expect([...c.takeDirtyServices()]).to.deep.equal([]);
    c.remove('EndpointSlice', 'ns/web-1');
    expect([...c.takeDirtyServices()]).to.deep.equal(['ns/web']);
  });

  it('hands the fast path a Service and its slices only, following moves between Services', () => {
    const c = new Cache();
    c.upsert('Ingress', ing);
    c.upsert('Service', service('ns/web').port(80).build());
    c.upsert('Service', service('ns/api').port(80).build());
    c.upsert('EndpointSlice', slice('ns/web-1', 'web').port(8080).endpoint('10.0.0.1').build());
    c.upsert('EndpointSlice', slice('ns/web-2', 'web').port(8080).endpoint('10.0.0.2').build());
    c.upsert('EndpointSlice', slice('ns/api-1', 'api').port(8080).endpoint('10.0.0.3').build());
    const names = (k: string): string[][] => { const x = c.endpointInputs(new Set([k])); return [x.services.map((s) => s.meta.name), x.endpointSlices.map((s) => s.meta.name)]; };
    expect(names('ns/web')).to.deep.equal([['web'], ['web-1', 'web-2']]);
    c.upsert('EndpointSlice', slice('ns/web-2', 'api').port(8080).endpoint('10.0.0.2').build());
    c.remove('EndpointSlice', 'ns/web-1');
    expect(names('ns/web')).to.deep.equal([['web'], []]);
    expect(names('ns/api')).to.deep.equal([['api'], ['api-1', 'web-2']]);
  });
});

