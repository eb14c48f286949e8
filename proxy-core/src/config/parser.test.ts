import { expect } from 'chai';
import { parseConfig } from './parser.ts';
import { buildModel } from './build-model.ts';
import { assertModelInvariants } from '../model/invariants.ts';

/** Lines joined with newlines; line numbers in expectations count from 1. */
function cfg(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

function errorsOf(text: string): readonly string[] {
  const r = parseConfig(text, 'c.cfg');
  return r.ok ? [] : r.errors;
}

describe('config parser: accepted files', () => {
  it('parses the full subset and builds a model that keeps its invariants', () => {
    const r = parseConfig(cfg(
      'global',
      '    stats socket /tmp/h.sock mode 600 level admin',
      '    nbthread 2',
      '    hard-stop-after 30s',
      'defaults web',
      '    mode http',
      '    timeout connect 5s',
      '    timeout client 30s',
      '    timeout server 30s',
      '    option redispatch',
      '    retries 2',
      'frontend fe',
      '    guid guid-fe',
      '    bind :8080,127.0.0.1:8081 guid-prefix guid-feS',
      '    bind :8443 ssl crt default crt-list sni',
      '    route-map ingress',
      '    default_backend test',
      'backend test',
      '    guid guid-be',
      '    balance random',
      '    option httpchk GET /healthz',
      '    server s1 127.0.0.1:8000 weight 10 check inter 2s rise 1 fall 2 guid guid-srv',
      '    server s2 127.0.0.1:8001 id 7 disabled',
      'listen li',
      '    guid guid-li',
      '    bind :9000',
      'backend h',
      '    balance hdr(host)',
      '    hash-type consistent',
    ), 'c.cfg');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const c = r.config;
    expect(c.global.statsSockets).to.deep.equal([{ path: '/tmp/h.sock', mode: 0o600, level: 'admin', line: 2 }]);
    expect(c.global.nbthread).to.equal(2);
    expect(c.global.hardStopAfter).to.equal(30000);
    expect(c.global.statsTimeout).to.equal(null);
    const fe = c.proxies[0];
    expect(fe?.routeMap).to.equal('ingress');
    expect(fe?.settings.timeouts).to.deep.equal({ connect: 5000, client: 30000, server: 30000 });
    expect(fe?.binds[1]).to.include({ ssl: true, crt: 'default', crtList: 'sni' });
    const be = c.proxies[1];
    expect(be?.settings.balance.algo).to.equal('random');
    expect(be?.settings.httpchk).to.deep.equal({ method: 'GET', uri: '/healthz' });
    expect(be?.servers[0]?.settings).to.include({ weight: 10, check: true, inter: 2000, rise: 1, fall: 2, guid: 'guid-srv', host: '127.0.0.1', port: 8000 });
    const m = buildModel(c);
    assertModelInvariants(m);
    expect(m.guids.count).to.equal(6);
    expect(m.guids.lookup('guid-feS-1')?.guidName).to.equal('listener fe (c.cfg:14)');
    const s2 = m.backend('test')?.servers.get('s2');
    expect([s2?.puid, s2?.admin, s2?.op]).to.deep.equal([7, 5, 0]);
    expect(m.backend('test')?.servers.get('s1')?.puid).to.equal(1);
    expect(m.backend('test')?.referenced).to.equal(true);
    expect(m.backend('h')?.settings.balance).to.deep.equal({ algo: 'hdr', hashType: 'consistent', hdrName: 'host' });
  });

  it('ignores comments, blank lines and quoted words', () => {
    const r = parseConfig(cfg('# top', '', 'backend "b 1" # trailing'), 'c.cfg');
    expect(r.ok).to.equal(false); // a space is not permitted in a name
    expect(errorsOf(cfg('backend b1 # comment', "  server 's1' 127.0.0.1:80"))).to.deep.equal([]);
  });

  it('lets a frontend and a backend share a name', () => {
    expect(errorsOf(cfg('frontend x', '  bind :80', 'backend x'))).to.deep.equal([]);
  });
});

describe('config parser: error texts', () => {
  const cases: [string, string, string[]][] = [
    ['reports a duplicate backend GUID as HAProxy does', cfg('backend b1', '  guid g1', 'backend b2', '  guid g1'),
      ["parsing [c.cfg:4] : 'guid': duplicate entry with backend b1"]],
    ['reports an invalid GUID character', cfg('backend b1', '  guid a/b'), ["parsing [c.cfg:2] : 'guid': invalid character '/'"]],
    ['reports an overlong GUID', cfg('backend b1', `  guid ${'a'.repeat(128)}`), ["parsing [c.cfg:2] : 'guid': invalid length"]],
    ['reports a GUID without value', cfg('backend b1', '  guid'), ["parsing [c.cfg:2] : 'guid' : expects an argument"]],
    ['refuses guid in a defaults section', cfg('defaults', '  guid g'), ["parsing [c.cfg:2] : 'guid' not allowed in 'defaults' section."]],
    ['rejects a second guid in one section', cfg('backend b1', '  guid g1', '  guid g2'),
      ["parsing [c.cfg:3] : 'guid': a second 'guid' is rejected (already set to 'g1')"]],
    ['reports a server GUID that duplicates a backend', cfg('backend b1', '  guid g1', '  server s1 127.0.0.1:80 guid g1'),
      ["[c.cfg:3] : 'server b1/s1' : 'guid': duplicate entry with backend b1."]],
    ['rejects a second guid on one server line', cfg('backend b1', '  server s9 127.0.0.1:80 guid g1 guid g2'),
      ["[c.cfg:2] : 'server b1/s9' : 'guid': a second 'guid' is rejected (already set to 'g1')."]],
    ['reports a listen section as proxy in duplicates', cfg('listen li', '  guid g', 'backend b', '  guid g'),
      ["parsing [c.cfg:4] : 'guid': duplicate entry with proxy li"]],
    ['reports a generated listener GUID taken by a backend', cfg('frontend fe', '  bind :80,:81 guid-prefix pfx', 'backend b', '  guid pfx-1'),
      ['[c.cfg:2] : error on GUID generation : duplicate entry with backend b. You may fix it by adjusting guid-prefix.']],
    ['reports a generated listener GUID with a bad character', cfg('frontend fe', '  bind :80 guid-prefix a/b'),
      ["[c.cfg:2] : error on GUID generation : invalid character '/'. You may fix it by adjusting guid-prefix."]],
    ['reports a keyword outside any section', cfg('foo bar'), ["parsing [c.cfg:1] : unknown keyword 'foo' out of section."]],
    ['reports an unknown keyword in a backend', cfg('backend b', '  foo'), ["parsing [c.cfg:2] : unknown keyword 'foo' in 'backend' section"]],
    ['reports an unknown keyword in global', cfg('global', '  foo'), ["parsing [c.cfg:2] : unknown keyword 'foo' in 'global' section"]],
    ['reports an unknown mode', cfg('backend b', '  mode log'), ["parsing [c.cfg:2] : unknown proxy mode 'log'."]],
    ['reports an unknown balance algorithm', cfg('backend b', '  balance uri'),
      ["parsing [c.cfg:2] : 'balance' only supports 'roundrobin', 'static-rr', 'leastconn', 'first', 'random', 'source' and 'hdr(name)' options."]],
    ['reports a bad hash-type', cfg('backend b', '  hash-type weird'), ["parsing [c.cfg:2] : 'hash-type' expects 'map-based' or 'consistent'."]],
    ['reports an unknown timeout', cfg('defaults', '  timeout queue 1s'),
      ["parsing [c.cfg:2] : 'timeout' supports 'client', 'server', 'connect', 'check', 'http-request', 'http-keep-alive' and 'tunnel' (got 'queue')."]],
    ['reports a bad timeout value', cfg('defaults', '  timeout client 10x'), ["parsing [c.cfg:2] : 'timeout client' : unexpected character 'x' in argument '10x'."]],
    ['reports a missing timeout value', cfg('defaults', '  timeout client'), ["parsing [c.cfg:2] : 'timeout client' expects an integer value (in milliseconds)."]],
    ['reports an unknown option', cfg('backend b', '  option foo'), ["parsing [c.cfg:2] : unknown option 'foo'."]],
    ['reports a bad retries value', cfg('backend b', '  retries x'), ["parsing [c.cfg:2] : 'retries' expects an integer argument."]],
    ['refuses server in a frontend', cfg('frontend f', '  server s 1.2.3.4:80'), ["parsing [c.cfg:2] : 'server' not allowed in 'frontend' section."]],
    ['refuses bind in a backend', cfg('backend b', '  bind :80'), ["parsing [c.cfg:2] : 'bind' not allowed in 'backend' section."]],
    ['refuses route-map in a backend', cfg('backend b', '  route-map m'), ["parsing [c.cfg:2] : 'route-map' not allowed in 'backend' section."]],
    ['reports a server without address', cfg('backend b', '  server s1'), ["[c.cfg:2] : 'server' expects <name> and <addr>[:<port>] as arguments."]],
    ['reports a bad character in a server name', cfg('backend b', '  server a+b 1.2.3.4:80'), ["[c.cfg:2] : character '+' is not permitted in server name 'a+b'."]],
    ['reports a duplicate server name', cfg('backend b', '  server s 1.2.3.4:80', '  server s 1.2.3.4:81'),
      ["[c.cfg:3] : 'server b/s' : a server with the same name already exists in backend 'b' (declared at c.cfg:2)."]],
    ['reports a bad server address', cfg('backend b', '  server s a/b:80'), ["[c.cfg:2] : 'server b/s' : invalid address: 'a/b:80'."]],
    ['reports an unknown server keyword', cfg('backend b', '  server s 1.2.3.4:80 foo'), ["[c.cfg:2] : 'server b/s' : unknown keyword 'foo'."]],
    ['suggests a close server keyword', cfg('backend b', '  server s 1.2.3.4:80 wieght 3'), ["[c.cfg:2] : 'server b/s' : unknown keyword 'wieght'; did you mean 'weight' maybe ?"]],
    ['reports a weight out of range', cfg('backend b', '  server s 1.2.3.4:80 weight 300'), ["[c.cfg:2] : 'server b/s' : weight of server s is not within 0 and 256 (300)."]],
    ['reports a bad inter', cfg('backend b', '  server s 1.2.3.4:80 inter x'), ["[c.cfg:2] : 'server b/s' : 'inter' : unexpected character 'x' in argument 'x'."]],
    ['reports a rise of 0', cfg('backend b', '  server s 1.2.3.4:80 rise 0'), ["[c.cfg:2] : 'server b/s' : 'rise' has to be > 0."]],
    ['reports an out-of-range custom id', cfg('backend b', '  server s 1.2.3.4:80 id 0'), ["[c.cfg:2] : 'server b/s' : 'id' : custom id has to be between 1 and 4294967295."]],
    ['reports a custom id used twice', cfg('backend b', '  server s 1.2.3.4:80 id 3', '  server t 1.2.3.4:81 id 3'),
      ["[c.cfg:3] : 'server b/t' : 'id' : custom id 3 already used at c.cfg:2 ('server s')."]],
    ['reports an unknown MUX protocol', cfg('backend b', '  server s 1.2.3.4:80 proto h9'), ["[c.cfg:2] : 'server b/s' : 'proto' : unknown MUX protocol 'h9'."]],
    ['reports a duplicate proxy name', cfg('backend b', 'backend b'), ["parsing [c.cfg:2] : backend 'b' has the same name as backend 'b' declared at c.cfg:1."]],
    ['reports a bad character in a proxy name', cfg('backend a/b'), ["parsing [c.cfg:1] : character '/' is not permitted in 'backend' name 'a/b'."]],
    ['reports an unknown default backend', cfg('frontend f', '  bind :80', '  default_backend nope'),
      ["[c.cfg:3] : Proxy 'f': unable to find required default_backend: 'nope'."]],
    ['reports an unknown defaults section in from', cfg('backend b from nope'), ["parsing [c.cfg:1] : backend 'b': unable to find the defaults section 'nope'."]],
    ['reports a bad bind address', cfg('frontend f', '  bind nowhere'), ["parsing [c.cfg:2] : 'bind nowhere' : invalid address: 'nowhere'."]],
    ['reports an unknown bind keyword', cfg('frontend f', '  bind :80 tfo'), ["parsing [c.cfg:2] : 'bind :80' unknown keyword 'tfo'."]],
    ['reports a bind crt without ssl', cfg('frontend f', '  bind :80 crt x'), ["parsing [c.cfg:2] : 'bind :80' : 'crt' and 'crt-list' need the 'ssl' keyword."]],
    ['reports a stats socket level', cfg('global', '  stats socket /tmp/s level root'), ["parsing [c.cfg:2] : 'level' only supports 'user', 'operator', and 'admin'."]],
    ['reports a stats socket mode', cfg('global', '  stats socket /tmp/s mode rw'), ["parsing [c.cfg:2] : 'mode' : missing or invalid mode (octal integer expected)."]],
    ['reports a stats socket keyword', cfg('global', '  stats socket /tmp/s expose-fd listeners'), ["parsing [c.cfg:2] : 'stats socket' : unknown keyword 'expose-fd'."]],
    ['reports a TCP stats socket', cfg('global', '  stats socket ipv4@127.0.0.1:9999'), ["parsing [c.cfg:2] : 'stats socket' only supports UNIX socket paths (got 'ipv4@127.0.0.1:9999')."]],
    ['reports a bad nbthread', cfg('global', '  nbthread 0'), ["parsing [c.cfg:2] : 'nbthread' expects a strictly positive integer argument."]],
    ['reports a bad hard-stop-after', cfg('global', '  hard-stop-after soon'), ["parsing [c.cfg:2] : 'hard-stop-after' : unexpected character 's' in argument 'soon'."]],
    ['reports a zero stats timeout', cfg('global', '  stats timeout 0'), ["parsing [c.cfg:2] : 'stats timeout' expects a positive delay in milliseconds."]],
    ['reports a stats timeout that is not a delay', cfg('global', '  stats timeout soon'), ["parsing [c.cfg:2] : 'stats timeout' expects a positive delay in milliseconds."]],
    ['reports a busy-poll window over a second', cfg('global', '  stats busy-poll 2s'), ["parsing [c.cfg:2] : 'stats busy-poll' expects a delay between 0 and 1s (e.g. 200us; 0 disables it)."]],
    ['reports a busy-poll window that is not a delay', cfg('global', '  stats busy-poll soon'), ["parsing [c.cfg:2] : 'stats busy-poll' expects a delay between 0 and 1s (e.g. 200us; 0 disables it)."]],
    ['reports a busy-poll line without a delay', cfg('global', '  stats busy-poll'), ["parsing [c.cfg:2] : 'stats busy-poll' expects a delay between 0 and 1s (e.g. 200us; 0 disables it)."]],
    ['reports an unknown stats keyword', cfg('global', '  stats maxconn 10'), ["parsing [c.cfg:2] : 'stats' only supports 'socket', 'timeout' and 'busy-poll' in 'global' section."]],
    ['reports an unmatched quote', cfg('backend "b'), ['parsing [c.cfg:1] : unmatched quote.']],
    ['reports every error of the file, not only the first', cfg('backend b', '  foo', '  bar'),
      ["parsing [c.cfg:2] : unknown keyword 'foo' in 'backend' section", "parsing [c.cfg:3] : unknown keyword 'bar' in 'backend' section"]],
  ];
  for (const [name, text, want] of cases) it(name, () => expect(errorsOf(text)).to.deep.equal(want));
});

describe('config parser: stats timeout', () => {
  it('reads the idle timeout of runtime connections', () => {
    const r = parseConfig(cfg('global', '  stats timeout 10m'), 'c.cfg');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.global.statsTimeout).to.equal(600_000);
  });
});

describe('config parser: stats busy-poll', () => {
  const cases: [string, string | null, number | null][] = [
    ['leaves the window to the default when the line is absent', null, null],
    ['reads microseconds', '200us', 200],
    ['reads milliseconds, the unit-less default', '1', 1000],
    ['reads zero as off', '0', 0],
    ['accepts the one-second ceiling', '1s', 1_000_000],
  ];
  for (const [name, value, want] of cases) {
    it(name, () => {
      const r = parseConfig(cfg('global', ...(value === null ? [] : [`  stats busy-poll ${value}`])), 'c.cfg');
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect(r.config.global.statsBusyPollUs).to.equal(want);
    });
  }
});

describe('config parser: inheritance', () => {
  it('gives frontends the default_backend of their defaults section, not backends', () => {
    const r = parseConfig(cfg('defaults', '  default_backend b', 'frontend f', '  bind :80', 'backend b'), 'c.cfg');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.proxies.map((p) => p.defaultBackend)).to.deep.equal(['b', null]);
  });

  it('checks an inherited default_backend at the frontend line', () => {
    expect(errorsOf(cfg('defaults', '  default_backend nope', 'frontend f', '  bind :80'))).to.deep.equal([
      "[c.cfg:3] : Proxy 'f': unable to find required default_backend: 'nope'.",
    ]);
  });
});

describe('config parser: X-Forwarded-* trust', () => {
  const cases: [string, string, string][] = [
    ['trusts the client\'s chain by default', '', 'append'],
    ['appends with option forwardfor', '    option forwardfor\n', 'append'],
    ['appends with option forwardfor append', '    option forwardfor append\n', 'append'],
    ['replaces what the client sent with option forwardfor replace', '    option forwardfor replace\n', 'replace'],
    ['adds nothing with option forwardfor off', '    option forwardfor off\n', 'off'],
    ['adds nothing with no option forwardfor', '    no option forwardfor\n', 'off'],
    ['lets the last line win', '    option forwardfor replace\n    no option forwardfor\n    option forwardfor append\n', 'append'],
  ];
  for (const [name, line, want] of cases) {
    it(name, () => {
      const r = parseConfig(`frontend fe\n    mode http\n${line}    bind :8080\n`, 'f.cfg');
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect(r.config.proxies[0]?.settings.forwarded).to.equal(want);
    });
  }

  const inherited: [string, string, string, string][] = [
    ['inherits replace from a defaults section', 'option forwardfor replace', '', 'replace'],
    ['turns off in a frontend what its defaults section set', 'option forwardfor replace', '    no option forwardfor\n', 'off'],
    ['turns on in a frontend what its defaults section turned off', 'no option forwardfor', '    option forwardfor replace\n', 'replace'],
  ];
  for (const [name, defaults, line, want] of inherited) {
    it(name, () => {
      const r = parseConfig(`defaults\n    mode http\n    ${defaults}\nfrontend fe\n${line}    bind :8080\n`, 'f.cfg');
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect(r.config.proxies[0]?.settings.forwarded).to.equal(want);
    });
  }

  const errors: [string, string, string][] = [
    ['refuses another word after option forwardfor', '    option forwardfor always',
      "parsing [c.cfg:2] : 'option forwardfor' expects 'append', 'replace' or 'off', got 'always'."],
    ['refuses a second word after option forwardfor', '    option forwardfor replace now',
      "parsing [c.cfg:2] : 'option forwardfor' cannot handle unexpected argument 'now'."],
    ['refuses a word after no option forwardfor', '    no option forwardfor replace',
      "parsing [c.cfg:2] : 'no option forwardfor' cannot handle unexpected argument 'replace'."],
  ];
  for (const [name, line, want] of errors) it(name, () => expect(errorsOf(`frontend fe\n${line}\n`)).to.deep.equal([want]));

  it('refuses option forwardfor and its negation in a backend', () => {
    expect(errorsOf('backend b\n    option forwardfor off\n    no option forwardfor\n')).to.deep.equal([
      "parsing [c.cfg:2] : 'option forwardfor' not allowed in 'backend' section.",
      "parsing [c.cfg:3] : 'no option forwardfor' not allowed in 'backend' section.",
    ]);
  });
});

describe('config parser: balance random(<draws>)', () => {
  const accepted: [string, string, number][] = [
    ['draws twice for random, as HAProxy does', 'random', 2],
    ['draws twice for random()', 'random()', 2],
    ['takes the number of draws in parentheses', 'random(3)', 3],
    ['takes a single draw (plain weighted random)', 'random(1)', 1],
    ['takes up to 100 draws', 'random(100)', 100],
    ['reads a leading zero as decimal', 'random(010)', 10],
    ['accepts a plus sign, as strtol does', 'random(+4)', 4],
  ];
  for (const [name, word, draws] of accepted) {
    it(name, () => {
      const r = parseConfig(`backend b\n    balance ${word}\n`, 'c.cfg');
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect(r.config.proxies[0]?.settings.balance).to.deep.equal({ algo: 'random', hashType: 'map-based', hdrName: null, draws });
    });
  }

  it('keeps the draws through a later hash-type line', () => {
    const r = parseConfig('backend b\n    balance random(5)\n    hash-type consistent\n', 'c.cfg');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.proxies[0]?.settings.balance).to.deep.equal({ algo: 'random', hashType: 'consistent', hdrName: null, draws: 5 });
  });

  it('inherits the draws from a defaults section', () => {
    const r = parseConfig('defaults\n    balance random(4)\nbackend b\n', 'c.cfg');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.proxies[0]?.settings.balance.draws).to.equal(4);
  });

  const rejected: [string, string, string][] = [
    ['reports zero draws with HAProxy\'s text', 'random(0)', 'balance random : number of draws must be at least 1.'],
    ['reports negative draws with HAProxy\'s text', 'random(-2)', 'balance random : number of draws must be at least 1.'],
    ['reports more than 100 draws', 'random(101)', 'balance random : number of draws must be at most 100.'],
    ['reports a huge number of draws', 'random(99999999999999999999)', 'balance random : number of draws must be at most 100.'],
    ['reports a missing closing parenthesis with HAProxy\'s text', 'random(3', 'balance random : missing closing parenthesis.'],
    ['reports an empty unclosed parenthesis', 'random(', 'balance random : missing closing parenthesis.'],
    ['reports a word with HAProxy\'s text', 'random(two)', "balance random : unexpected character 't' after argument."],
    ['reports a number followed by a letter', 'random(3x)', "balance random : unexpected character 'x' after argument."],
    ['reports a hexadecimal number (decimal only, unlike strtol)', 'random(0x10)', "balance random : unexpected character 'x' after argument."],
    ['reports a sign without digits', 'random(-)', "balance random : unexpected character '-' after argument."],
    ['reports text after the closing parenthesis (HAProxy ignores it)', 'random(3)x', "balance random : unexpected character 'x' after argument."],
    ['reports a longer algorithm name (HAProxy takes any word starting with random)', 'randomly',
      "'balance' only supports 'roundrobin', 'static-rr', 'leastconn', 'first', 'random', 'source' and 'hdr(name)' options."],
  ];
  for (const [name, word, want] of rejected) {
    it(name, () => expect(errorsOf(`backend b\n    balance ${word}\n`)).to.deep.equal([`parsing [c.cfg:2] : ${want}`]));
  }
});
