import { expect } from 'chai';
import { fixture } from './fixture.ts';

const cfg = `defaults ingress-defaults
    mode http
    timeout connect 5s
    timeout server 30s
backend web
    balance roundrobin
    server s1 127.0.0.1:8081 check
`;

describe('set backend (a Hawser extension)', () => {
  const cases: { name: string; cmd: string; reply: string; check?: (b: ReturnType<typeof fixture>) => void }[] = [
    { name: 'switches the balancing algorithm', cmd: 'set backend web balance leastconn', reply: '', check: (f) => expect(f.model.backend('web')?.settings.balance.algo).to.equal('leastconn') },
    { name: 'takes a header hash with a consistent ring', cmd: 'set backend web balance hdr(x-user)', reply: '', check: (f) => expect(f.model.backend('web')?.settings.balance).to.deep.equal({ algo: 'hdr', hashType: 'consistent', hdrName: 'x-user' }) },
    { name: 'sets the connect timeout', cmd: 'set backend web timeout connect 750ms', reply: '', check: (f) => expect(f.model.backend('web')?.settings.timeouts.connect).to.equal(750) },
    { name: 'sets the HTTP check path', cmd: 'set backend web httpchk /healthz', reply: '', check: (f) => expect(f.model.backend('web')?.settings.httpchk).to.deep.equal({ method: 'GET', uri: '/healthz' }) },
    { name: 'sets the check interval of every server', cmd: 'set backend web check-inter 3s', reply: '', check: (f) => expect(f.model.backend('web')?.servers.get('s1')?.inter).to.equal(3000) },
    { name: 'takes random with a number of draws', cmd: 'set backend web balance random(3)', reply: '', check: (f) => expect(f.model.backend('web')?.settings.balance).to.deep.equal({ algo: 'random', hashType: 'map-based', hdrName: null, draws: 3 }) },
    { name: 'takes plain random as two draws', cmd: 'set backend web balance random', reply: '', check: (f) => expect(f.model.backend('web')?.settings.balance).to.include({ algo: 'random', draws: 2 }) },
    { name: 'refuses random with zero draws in HAProxy\'s words', cmd: 'set backend web balance random(0)', reply: 'balance random : number of draws must be at least 1.\n' },
    { name: 'refuses random without its closing parenthesis', cmd: 'set backend web balance random(3', reply: 'balance random : missing closing parenthesis.\n' },
    { name: 'refuses an unknown backend', cmd: 'set backend nope balance leastconn', reply: 'No such backend.\n' },
    { name: 'refuses an unknown algorithm', cmd: 'set backend web balance uri', reply: "unknown balance algorithm 'uri'.\n" },
    { name: 'refuses a bad duration', cmd: 'set backend web timeout server 5x', reply: "'timeout server' : unexpected character 'x'.\n" },
    { name: 'refuses a relative check path', cmd: 'set backend web httpchk healthz', reply: "'httpchk' expects an absolute path or 'none'.\n" },
    { name: 'refuses a check interval under 10 ms', cmd: 'set backend web check-inter 1ms', reply: "'check-inter' must be at least 10ms.\n" },
    { name: 'answers the usage for an unknown setting', cmd: 'set backend web maxconn 10', reply: 'usage: set backend <backend> balance <algo> | timeout connect|server <time>|default | httpchk <path>|none | check-inter <time>|default\n' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const f = fixture(cfg);
      expect(await f.send(c.cmd)).to.equal(c.reply);
      c.check?.(f);
    });
  }

  it('shows only what was set, and forgets a setting put back to default', async () => {
    const f = fixture(cfg);
    await f.send('set backend web timeout connect 750ms');
    await f.send('set backend web check-inter 3s');
    expect(await f.send('show backend settings')).to.equal('# name balance timeout-connect timeout-server httpchk check-inter\nweb - 750ms - - 3000ms\n');
    await f.send('set backend web timeout connect default');
    expect(f.model.backend('web')?.settings.timeouts.connect).to.equal(5000);
    expect(await f.send('show backend settings')).to.equal('# name balance timeout-connect timeout-server httpchk check-inter\nweb - - - - 3000ms\n');
  });

  it('gives servers added later the backend\'s check interval', async () => {
    const f = fixture(cfg);
    await f.send('set backend web check-inter 1500ms');
    expect(await f.send('add server web/s2 127.0.0.1:8082 check')).to.equal('New server registered.\n');
    expect(f.model.backend('web')?.servers.get('s2')?.inter).to.equal(1500);
  });

  it('is refused below the admin level', async () => {
    expect(await fixture(cfg).send('set backend web balance leastconn', 'operator')).to.equal('Permission denied\n');
  });
});
