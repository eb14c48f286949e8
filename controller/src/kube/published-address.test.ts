import { expect } from 'chai';
import { publishedAddresses } from './published-address.ts';

describe('kube edge: published addresses', () => {
  it('publishes --publish-status-address values, IPs and hostnames apart', () => {
    expect(publishedAddresses(['lb.example.com', '10.0.0.9', 'fd00::1'], undefined)).to.deep.equal([{ ip: '10.0.0.9' }, { ip: 'fd00::1' }, { hostname: 'lb.example.com' }]);
  });

  it('publishes the Service load balancer, else its ClusterIP, else nothing', () => {
    expect(publishedAddresses([], { spec: { clusterIP: '10.96.0.10' }, status: { loadBalancer: { ingress: [{ hostname: 'elb.aws' }] } } })).to.deep.equal([{ hostname: 'elb.aws' }]);
    expect(publishedAddresses([], { spec: { clusterIP: '10.96.0.10' } })).to.deep.equal([{ ip: '10.96.0.10' }]);
    expect(publishedAddresses([], { spec: { clusterIP: 'None' } })).to.deep.equal([]);
  });
});
