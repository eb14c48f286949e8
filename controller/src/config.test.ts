import { expect } from 'chai';
import { FLAGS, helpText, parseConfig } from './config.ts';
import type { Config } from './config.ts';

function cfg(...argv: string[]): Config {
  const c = parseConfig(argv, { POD_NAMESPACE: 'hawser-system' });
  if (c === 'help') throw new Error('unexpected help');
  return c;
}

describe('config: flags', () => {
  it('has the documented defaults', () => {
    const c = cfg();
    expect([c.controllerClass, c.ingressClass, c.runtimeSocket, c.adminPort, c.holdoffMs, c.maxHoldoffMs, c.electionNamespace, c.allowExternalName])
      .to.deep.equal(['hawser.dev/ingress-controller', 'hawser', '/var/run/hawser/runtime.sock', 10254, 100, 500, 'hawser-system', false]);
  });

  it('takes repeatable namespaces', () => {
    expect(cfg('--watch-namespace', 'a', '--watch-namespace', 'b').watchNamespaces).to.deep.equal(['a', 'b']);
  });

  const bad: [string[], string][] = [
    [['--nope'], "Unknown option '--nope'"],
    [['--default-ssl-certificate', 'just-a-name'], '--default-ssl-certificate: expects <namespace>/<name>, got "just-a-name"'],
    [['--admin-port', '99999'], '--admin-port: expects an integer between 0 and 65535, got "99999"'],
    [['--holdoff', '600', '--max-holdoff', '500'], '--max-holdoff must not be shorter than --holdoff'],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')} with a clear message`, () => {
      expect(() => parseConfig(argv)).to.throw(message);
    });
  }

  it('lists every flag in --help', () => {
    expect(parseConfig(['--help'])).to.equal('help');
    for (const name of Object.keys(FLAGS)) expect(helpText()).to.include(`--${name}`);
  });
});
