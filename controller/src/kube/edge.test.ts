import { expect } from 'chai';
import { decideLease } from './leader.ts';
import { StatusWriter, publishedAddresses } from './status.ts';
import { eventFor, newWarnings } from './events.ts';
import type { ModelWarning } from '../model/warnings.ts';
import type { IngressStatus } from '../model/warnings.ts';

describe('kube edge: leader election decisions', () => {
  const cases: { name: string; lease: Parameters<typeof decideLease>[0]; want: string }[] = [
    { name: 'creates a lease that does not exist', lease: undefined, want: 'create' },
    { name: 'renews its own lease', lease: { holder: 'me', renewedAt: 0, durationS: 15 }, want: 'renew' },
    { name: 'waits while another holder\'s lease is fresh', lease: { holder: 'other', renewedAt: 90_000, durationS: 15 }, want: 'wait' },
    { name: 'takes a lease that expired', lease: { holder: 'other', renewedAt: 80_000, durationS: 15 }, want: 'take' },
    { name: 'takes a lease without holder', lease: { renewedAt: 99_000 }, want: 'take' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(decideLease(c.lease, 'me', 100_000, 15)).to.equal(c.want);
    });
  }
});

const st = (name: string, accepted = true): IngressStatus => ({ object: { kind: 'Ingress', namespace: 'ns', name, uid: `u-${name}` }, accepted });

describe('kube edge: Ingress status', () => {
  it('publishes --publish-status-address values, IPs and hostnames apart', () => {
    expect(publishedAddresses(['lb.example.com', '10.0.0.9', 'fd00::1'], undefined)).to.deep.equal([{ ip: '10.0.0.9' }, { ip: 'fd00::1' }, { hostname: 'lb.example.com' }]);
  });

  it('publishes the Service load balancer, else its ClusterIP', () => {
    expect(publishedAddresses([], { spec: { clusterIP: '10.96.0.10' }, status: { loadBalancer: { ingress: [{ hostname: 'elb.aws' }] } } })).to.deep.equal([{ hostname: 'elb.aws' }]);
    expect(publishedAddresses([], { spec: { clusterIP: '10.96.0.10' } })).to.deep.equal([{ ip: '10.96.0.10' }]);
  });

  it('writes each accepted Ingress once, skips rejected ones, and rewrites after a reset', async () => {
    const writes: string[] = [];
    const w = new StatusWriter({ write: (ns, name, ing) => { writes.push(`${ns}/${name}=${JSON.stringify(ing)}`); return Promise.resolve(); } });
    const addr = [{ ip: '10.0.0.9' }];
    expect(await w.sync([st('a'), st('bad', false)], addr)).to.equal(1);
    expect(await w.sync([st('a')], addr)).to.equal(0);
    w.reset();
    expect(await w.sync([st('a')], addr)).to.equal(1);
    await w.clear();
    expect(writes).to.deep.equal(['ns/a=[{"ip":"10.0.0.9"}]', 'ns/a=[{"ip":"10.0.0.9"}]', 'ns/a=[]']);
  });
});

describe('kube edge: Events', () => {
  const w = (code: ModelWarning['code'], message: string): ModelWarning => ({ object: { kind: 'Ingress', namespace: 'ns', name: 'a', uid: 'u' }, code, message });

  it('reports a warning once while it lasts, and again if it comes back', () => {
    const one = newWarnings(new Set(), [w('HWS_ERR_ROUTE_CONFLICT', 'x')]);
    expect(one.fresh).to.have.length(1);
    const two = newWarnings(one.ids, [w('HWS_ERR_ROUTE_CONFLICT', 'x')]);
    expect(two.fresh).to.have.length(0);
    const three = newWarnings(newWarnings(two.ids, []).ids, [w('HWS_ERR_ROUTE_CONFLICT', 'x')]);
    expect(three.fresh).to.have.length(1);
  });

  it('gives an Event the catalogue reason and the code in its message', () => {
    const e = eventFor(w('HWS_ERR_INGRESS_INVALID_HOST', 'host "a;b" is bad'), 1);
    expect([e.namespace, e.reason, e.message, e.involved.apiVersion]).to.deep.equal(['ns', 'InvalidHost', 'HWS_ERR_INGRESS_INVALID_HOST: host "a;b" is bad', 'networking.k8s.io/v1']);
  });
});
