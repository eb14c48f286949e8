import { expect } from 'chai';
import { ConfigError, parseControllerArgs } from './config.ts';

describe('controller flags', () => {
  it('gives the documented defaults with no flag', () => {
    const c = parseControllerArgs([], {}, 'node-1');
    expect(c).to.include({ controllerName: 'hawser.dev/ingress-controller', ingressClass: 'hawser', runtimeSocket: '/var/run/hawser/runtime.sock', electionId: 'hawser-leader', namespace: 'default', identity: 'node-1', metricsPort: 10254, healthPort: 10254, watchIngressWithoutClass: false });
    expect(c.watchNamespaces).to.deep.equal([]);
  });

  it('reads the chart\'s flags, repeatable namespaces sorted and deduplicated', () => {
    const c = parseControllerArgs(['--watch-namespace=b', '--watch-namespace', 'a', '--watch-namespace=b', '--watch-ingress-without-class', '--default-ssl-certificate=ns/cert', '--publish-service=ns/svc', '--metrics-port=9000'], { POD_NAMESPACE: 'hawser', POD_NAME: 'pod-1' });
    expect(c.watchNamespaces).to.deep.equal(['a', 'b']);
    expect(c).to.include({ watchIngressWithoutClass: true, defaultSslCertificate: 'ns/cert', publishService: 'ns/svc', metricsPort: 9000, namespace: 'hawser', identity: 'pod-1' });
  });

  const bad: [string, string[], RegExp][] = [
    ['rejects an unknown flag', ['--nope'], /unknown flag --nope/],
    ['rejects a flag without its value', ['--runtime-socket'], /needs a value/],
    ['rejects a value on a boolean flag', ['--watch-ingress-without-class=yes'], /takes no value/],
    ['rejects a port out of range', ['--health-port=70000'], /port number/],
    ['rejects a namespace that is not a DNS label', ['--watch-namespace=Bad_NS'], /not a namespace name/],
    ['rejects a default certificate without a namespace', ['--default-ssl-certificate=cert'], /<namespace>\/<name>/],
    ['rejects a controller name without a domain', ['--ingress-class-controller=hawser'], /domain-prefixed/],
    ['rejects a single-valued flag given twice', ['--election-id=a', '--election-id=b'], /given twice/],
    ['rejects a positional argument', ['serve'], /unexpected argument/],
  ];
  for (const [name, argv, re] of bad) {
    it(name, () => {
      expect(() => parseControllerArgs(argv)).to.throw(ConfigError, re);
    });
  }
});
