import { expect } from 'chai';
import { assertModelInvariants } from '../model/invariants.ts';
import { SERVERS_STATE_HEADER } from './show-servers.ts';
import { A, fixture } from './fixture.ts';

const cfg = `
defaults
    mode http
frontend fe
    bind :8080
    default_backend test
backend test
    balance roundrobin
    server s1 127.0.0.1:28080 check
backend static
    balance static-rr
    server st 127.0.0.1:1 weight 4
`;

type Case = readonly [name: string, steps: readonly (readonly [string, string])[]];

function table(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    for (const [name, steps] of cases) {
      it(name, async () => {
        const fx = fixture(cfg);
        for (const [send, want] of steps) expect(await fx.send(send), send).to.equal(want);
        assertModelInvariants(fx.model);
      });
    }
  });
}

table('server lookups', [
  ['requires backend/server', [['enable server test', "Require 'backend/server'.\n"], ['enable server test/', "Require 'backend/server'.\n"], ['enable server', "Require 'backend/server'.\n"]]],
  ['reports an unknown backend and server', [['disable server nope/s1', 'No such backend.\n'], ['disable server test/nope', 'No such server.\n']]],
  ['accepts #<puid> for the server and #<uuid> for the backend', [['get weight #2/#1', '1 (initial 1)\n'], ['get weight test/#1', '1 (initial 1)\n']]],
  ['answers get weight lookups in its own wording', [['get weight nope/s1', "Can't find backend.\n"], ['get weight test/nope', "Can't find server.\n"], ['get weight test', "Require 'backend/server'.\n"]]],
  ['finds a server by guid:<GUID>', [
    [`add server test/g1 ${A} guid srv-g1 weight 3`, 'New server registered.\n'],
    ['get weight guid:srv-g1', '3 (initial 3)\n'],
    ['enable server guid:srv-g1', ''],
    ['set server guid:srv-g1 weight 5', ''],
    ['get weight test/g1', '5 (initial 3)\n'],
  ]],
  ['answers No such server for a GUID held by no server', [['get weight guid:nope', "Can't find server.\n"], ['enable server guid:nope', 'No such server.\n']]],
]);

table('set server state and enable/disable', [
  ['is silent on success and shows op 2 admin 8 after ready then drain', [
    [`add server test/d1 ${A}`, 'New server registered.\n'],
    ['set server test/d1 state ready', ''],
    ['set server test/d1 state drain', ''],
    ['show servers state test', `${SERVERS_STATE_HEADER}2 test 1 s1 127.0.0.1 2 0 1 1 0 1 0 2 6 0 0 0 - 28080 - 0 0 - - 0\n2 test 2 d1 127.0.0.1 2 8 1 1 0 1 0 0 0 0 0 0 - 28081 - 0 0 - - 0\n`],
  ]],
  ['rejects an unknown state', [['set server test/s1 state up', "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n"]]],
  ['prints the usage for an unknown or missing sub-command', [
    ['set server test/s1 foo', 'usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | name | ssl | state | weight\n'],
    ['set server test/s1', 'usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | name | ssl | state | weight\n'],
  ]],
  ['looks the server up before reading the sub-command', [['set server test/nope foo', 'No such server.\n']]],
  ['refuses agent changes without an agent', [['set server test/s1 agent up', 'agent checks are not enabled on this server.\n']]],
  ['forces health and validates its argument', [
    ['set server test/s1 health down', ''],
    ['set server test/s1 health sideways', "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n"],
  ]],
  ['says which set server sub-commands Hawser lacks', [['set server test/s1 addr 1.2.3.4', "'set server <srv> addr' is not supported by Hawser.\n"]]],
  ['puts a server in maintenance with disable server and back with enable server', [
    ['disable server test/s1', ''],
    ['show servers state test', `${SERVERS_STATE_HEADER}2 test 1 s1 127.0.0.1 0 1 1 1 0 1 0 0 14 0 0 0 - 28080 - 0 0 - - 0\n`],
    ['enable server test/s1', ''],
    ['show servers state test', `${SERVERS_STATE_HEADER}2 test 1 s1 127.0.0.1 2 0 1 1 0 1 0 2 6 0 0 0 - 28080 - 0 0 - - 0\n`],
  ]],
]);

table('weights', [
  ['reports a fresh dynamic server as 1 (initial 1)', [[`add server test/d1 ${A}`, 'New server registered.\n'], ['get weight test/d1', '1 (initial 1)\n']]],
  ['sets an absolute weight silently and keeps the initial one', [['set weight test/s1 10', ''], ['get weight test/s1', '10 (initial 1)\n']]],
  ['sets a relative weight from the initial one', [['set server test/s1 weight 200%', ''], ['get weight test/s1', '2 (initial 1)\n']]],
  ['caps a relative weight at 256', [['set weight test/s1 90000%', ''], ['get weight test/s1', '256 (initial 1)\n']]],
  ['requires a weight', [['set weight test/s1', 'Require <weight> or <weight%>.\n']]],
  ['rejects garbage before the weight', [['set weight test/s1 x10', 'Empty weight string empty or preceded by garbage\n']]],
  ['rejects a negative relative weight', [['set weight test/s1 -5%', 'Relative weight must be positive.\n']]],
  ['rejects an absolute weight above 256', [['set weight test/s1 300', 'Absolute weight can only be between 0 and 256 inclusive.\n'], ['set weight test/s1 300x', 'Absolute weight can only be between 0 and 256 inclusive.\n']]],
  ['rejects trailing garbage', [['set weight test/s1 10x', 'Trailing garbage in weight string\n']]],
  ['accepts only 0% and 100% on a static algorithm', [
    ['set weight static/st 3', "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n"],
    ['set weight static/st 0%', ''],
    ['set weight static/st 100%', ''],
    ['get weight static/st', '4 (initial 4)\n'],
  ]],
]);

table('add server details', [
  ['lists its keywords for add server help', [['add server help', 'List of keywords supported for dynamic server:\nbackup\ndisabled\nguid\nid\nmaxconn\nno-backup\nproto\nweight\ncheck\nno-check\nrise\nfall\ninter\n']]],
  ['rejects a bad character in the server name', [[`add server test/x+y ${A}`, "character '+' is not permitted in server name 'x+y'.\n"], [`add server test/a/b ${A}`, "character '/' is not permitted in server name 'a/b'.\n"]]],
  ['reports an unknown keyword and suggests a close one', [[`add server test/x ${A} foo`, "unknown keyword 'foo'.\n"], [`add server test/x ${A} wieght 2`, "unknown keyword 'wieght'; did you mean 'weight' maybe ?\n"]]],
  ['rejects a custom id already used', [[`add server test/x ${A} id 1`, "'id' : custom id 1 already used at h.cfg:9 ('server s1').\n"]]],
  ['rejects a custom id out of range', [[`add server test/x ${A} id 0`, "'id' : custom id has to be between 1 and 4294967295.\n"]]],
  ['takes a free custom id and marks it forced', [[`add server test/x ${A} id 9`, 'New server registered.\n'], ['show servers state test', `${SERVERS_STATE_HEADER}2 test 1 s1 127.0.0.1 2 0 1 1 0 1 0 2 6 0 0 0 - 28080 - 0 0 - - 0\n2 test 9 x 127.0.0.1 0 1 1 1 0 1 0 0 0 0 0 1 - 28081 - 0 0 - - 0\n`]]],
  ['drops the disabled keyword\'s CMAINT and pauses the checks', [[`add server test/x ${A} disabled`, 'New server registered.\n'], ['show servers state test', `${SERVERS_STATE_HEADER}2 test 1 s1 127.0.0.1 2 0 1 1 0 1 0 2 6 0 0 0 - 28080 - 0 0 - - 0\n2 test 2 x 127.0.0.1 0 1 1 1 0 1 0 0 8 8 0 0 - 28081 - 0 0 - - 0\n`]]],
  ['reports a bad address', [['add server test/x not/an/address', "'server test/x' : invalid address: 'not/an/address'.\n"]]],
  ['reuses the lowest freed ID', [
    [`add server test/a ${A}`, 'New server registered.\n'], [`add server test/b ${A}`, 'New server registered.\n'],
    ['del server test/a', 'Server deleted.\n'], [`add server test/c ${A}`, 'New server registered.\n'],
    ['show servers state test', `${SERVERS_STATE_HEADER}2 test 1 s1 127.0.0.1 2 0 1 1 0 1 0 2 6 0 0 0 - 28080 - 0 0 - - 0\n2 test 3 b 127.0.0.1 0 1 1 1 0 1 0 0 0 0 0 0 - 28081 - 0 0 - - 0\n2 test 2 c 127.0.0.1 0 1 1 1 0 1 0 0 0 0 0 0 - 28081 - 0 0 - - 0\n`],
  ]],
  ['answers No such server after deletion', [[`add server test/a ${A}`, 'New server registered.\n'], ['del server test/a', 'Server deleted.\n'], ['get weight test/a', "Can't find server.\n"], ['enable server test/a', 'No such server.\n']]],
]);

table('show servers state', [
  ['prints the header and every backend', [['show servers state', `${SERVERS_STATE_HEADER}2 test 1 s1 127.0.0.1 2 0 1 1 0 1 0 2 6 0 0 0 - 28080 - 0 0 - - 0\n3 static 1 st 127.0.0.1 2 0 4 4 0 1 0 0 0 0 0 0 - 1 - 0 0 - - 0\n`]]],
  ['reports an unknown backend', [['show servers state nope', "Can't find backend.\n"], ['show servers state fe', "Can't find backend.\n"]]],
]);

describe('time since last change', () => {
  it('counts seconds on the model clock', async () => {
    const fx = fixture(cfg);
    await fx.send(`add server test/d1 ${A}`);
    fx.now += 13;
    expect(await fx.send('show servers state test')).to.contain('\n2 test 2 d1 127.0.0.1 0 1 1 1 13 1 0 0 0 0 0 0 - 28081 - 0 0 - - 0\n');
  });
});

describe('command levels', () => {
  it('requires admin for every mutating command and nothing for reads', () => {
    const fx = fixture(cfg);
    const levels = Object.fromEntries(fx.commands.map((c) => [c.words.join(' '), c.level]));
    expect(levels).to.deep.equal({
      'add server': 'admin', 'del server': 'admin', 'set server': 'admin', 'set weight': 'admin', 'get weight': 'user',
      'enable server': 'admin', 'disable server': 'admin', 'enable health': 'admin', 'disable health': 'admin',
      'enable agent': 'admin', 'disable agent': 'admin', 'show servers state': 'user', 'show stat': 'user',
      'show backend': 'user', 'add backend': 'admin', 'publish backend': 'admin', 'unpublish backend': 'admin',
      'del backend': 'admin', 'set backend': 'admin', 'show backend settings': 'user', wait: 'user',
    });
  });
});

describe('refusal codes', () => {
  it('counts each refused command under its catalogue code', async () => {
    const fx = fixture(cfg);
    await fx.send('enable server nope/s1');
    await fx.send('set weight test/s1 300');
    await fx.send(`add server test/s1 ${A}`);
    await fx.send('get weight test/s1');
    expect(Object.fromEntries(fx.model.refusals)).to.deep.equal({ PXY_ERR_NO_BACKEND: 1, PXY_ERR_WEIGHT: 1, PXY_ERR_SERVER_EXISTS: 1 });
  });
});
