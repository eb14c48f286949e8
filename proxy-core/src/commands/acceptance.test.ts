/**
 * HAProxy's acceptance cases (reference §5) replayed against the CommandSpec tables, replies
 * compared byte for byte (without the empty line the framing adds). Cases that need traffic
 * (a GET answering 503 or 200) belong to the data plane and are marked `[traffic]`.
 */
import { expect } from 'chai';
import { A, fixture } from './fixture.ts';
import { replay as run } from './replay.ts';

const cfgAdd = `
defaults
    mode http
frontend fe
    bind :8080
    default_backend test
backend test
    balance random
backend other
    balance static-rr
backend other2
    balance random
    mode tcp
`;

describe('§5.1 cli_add_server', () => {
  run('replays the add server regression test', cfgAdd, [
    // 0 [traffic] GET through fe -> 503
    [`add server foo/s1 ${A}`, 'No such backend.\n'],
    ['add server test/s1', "'server' expects <name> and <addr>[:<port>] as arguments.\n"],
    [`add server other/s1 ${A}`, "Backend does not support dynamic servers : backend 'other' uses a non dynamic load balancing method.\n"],
    [`add server other2/s1 ${A} proto h2`, 'MUX protocol is not usable for server.\n'],
    [`add server test/s1 ${A}`, 'New server registered.\n'],
    [`add server test/s1 ${A}`, 'Already exists a server with the same name in backend.\n'],
    [`add server test/s2 ${A} proto h2`, 'New server registered.\n'],
    // 8 [traffic] GET -> 503 (dynamic servers start in MAINT)
    ['enable server test/s1', ''],
    // 10 [traffic] GET -> 200
  ]);
});

describe('§5.2 cli_delete_dynamic_server', () => {
  run('replays the delete dynamic server regression test', `
backend test
    balance roundrobin
    server s1 127.0.0.1:28080
`, [
    [`add server test/s2 ${A}`, 'New server registered.\n'],
    ['enable server test/s2', ''],
    ['del server foo/s1', 'No such backend.\n'],
    ['del server test/other', 'No such server.\n'],
    // [traffic] two GETs -> resp from s1, resp from s2
    ['del server test/s2', 'Only servers in maintenance mode can be deleted.\n'],
    ['disable server test/s2', ''],
    ['del server test/s2', 'Server deleted.\n'],
    // [traffic] two GETs -> both resp from s1
  ]);
});

describe('§5.3 cli_delete_server (what applies without use-server, track and ACLs)', () => {
  it('refuses to delete a referenced server, with HAProxy\'s text', async () => {
    const fx = fixture('backend test\n    server s1 127.0.0.1:1\n');
    const s1 = fx.model.backend('test')?.servers.get('s1');
    if (s1 === undefined) throw new Error('no s1');
    s1.referenced = true; // what use-server/track/ACL references will set once they exist
    expect(await fx.send('del server test/s1')).to.equal('This server cannot be removed at runtime due to other configuration elements pointing to it.\n');
  });
  run('replays the static server deletion steps', 'backend test\n    server s4 127.0.0.1:4\n', [
    ['del server foo/s1', 'No such backend.\n'],
    ['del server test/other', 'No such server.\n'],
    ['del server test/s4', 'Only servers in maintenance mode can be deleted.\n'],
    ['disable server test/s4', ''],
    ['del server test/s4', 'Server deleted.\n'],
  ]);
});

describe('§5.5 cli_add_check_server (command replies; the checks themselves need traffic)', () => {
  const cfg = 'backend be1\n    option httpchk GET /\n';
  run('adds, enables, checks, disables and deletes s1', cfg, [
    [`add server be1/s1 ${A} check inter 200ms rise 1 fall 1`, 'New server registered.\n'],
    ['enable server be1/s1', ''],
    ['enable health be1/s1', ''],
    // [traffic] the log says "Health check for server be1/s1 succeeded … status: 1/1 UP"
    ['disable server be1/s1', ''],
    ['del server be1/s1', 'Server deleted.\n'],
  ]);
  run('refuses to enable health on a server without check', cfg, [
    [`add server be1/s2 ${A}`, 'New server registered.\n'],
    ['enable health be1/s2', 'Health check was not configured on this server, cannot enable.\n'],
    ['enable agent be1/s2', 'Agent was not configured on this server, cannot enable.\n'],
  ]);
});

const cfg58 = `
frontend fe
    guid guid-fe
    bind :8080 guid-prefix guid-feS
backend test
    guid guid-be
    balance random
    server s1 127.0.0.1:28080 guid guid-srv
listen li
    guid guid-li
backend tcpbe
    mode tcp
    balance roundrobin
backend rr
    balance roundrobin
backend other
    balance static-rr
`;

describe('§5.8 extra GUID cases', () => {
  const a127 = 'a'.repeat(127);
  run('replays every GUID case of the reference', cfg58, [
    [`add server test/d1 ${A} guid guid-srv`, "'guid': duplicate entry with server test/s1.\n"],
    [`add server test/d1 ${A} guid guid-be`, "'guid': duplicate entry with backend test.\n"],
    [`add server test/d1 ${A} guid guid-fe`, "'guid': duplicate entry with frontend fe.\n"],
    [`add server test/d1 ${A} guid guid-li`, "'guid': duplicate entry with proxy li.\n"],
    [`add server test/d1 ${A} guid guid-feS-0`, "'guid': duplicate entry with listener fe (h.cfg:4).\n"],
    [`add server test/d1 ${A} guid bad/guid`, "'guid': invalid character '/'.\n"],
    [`add server test/d1 ${A} guid bad+guid`, "'guid': invalid character '+'.\n"],
    [`add server test/d1 ${A} guid ${'a'.repeat(128)}`, "'guid': invalid length.\n"],
    [`add server test/d1 ${A} guid`, "'guid' : expects an argument.\n"],
    [`add server test/d1 ${A} guid ${a127}`, 'New server registered.\n'],
    [`add server test/d2 ${A} guid ${a127}`, "'guid': duplicate entry with server test/d1.\n"],
    [`add server test/d1 ${A} guid other`, 'Already exists a server with the same name in backend.\n'],
    [`add server test/d2 ${A} guid Gu.id:1_x-Y`, 'New server registered.\n'],
    [`add server test/d3 ${A} guid gu.id:1_x-y`, 'New server registered.\n'],
    [`add server tcpbe/x1 ${A} guid g-x1 proto h2`, 'MUX protocol is not usable for server.\n'],
    [`add server tcpbe/x1 ${A} guid g-x1`, 'New server registered.\n'],
    [`add server other/x ${A} guid g`, "Backend does not support dynamic servers : backend 'other' uses a non dynamic load balancing method.\n"],
    [`add server test/x3 ${A} guid g-x3 enabled`, "'enabled' option is not accepted for dynamic server\n"],
    [`add server test/x3 ${A} guid g-x3`, 'New server registered.\n'], // g-x3 stayed free
    [`add server test/x6 ${A} guid g-x6`, 'New server registered.\n'],
    ['del server test/x6', 'Server deleted.\n'],
    [`add server test/x6new ${A} guid g-x6`, 'New server registered.\n'],
    [`add server rr/c1 ${A} guid g-c1 check inter 100ms`, 'New server registered.\n'],
    ['enable server rr/c1', ''],
    ['enable health rr/c1', ''],
    ['set server rr/c1 state maint', ''],
    ['del server rr/c1', 'Server deleted.\n'],
    [`add server rr/c1 ${A} guid g-c1`, 'New server registered.\n'],
  ], (fx) => {
    // x6 took the lowest free ID (6 here; 7 in the reference run, which had one more server) and x6new reuses it.
    const be = fx.model.backend('test');
    expect(be?.servers.get('x6new')?.puid).to.equal(6);
  });

  run('rejects a second guid on one add server line and leaks nothing', cfg58, [
    [`add server test/x4 ${A} guid g-x4 guid g-x5`, "'guid': a second 'guid' is rejected (already set to 'g-x4').\n"],
    [`add server test/x5 ${A} guid g-x4`, 'New server registered.\n'],
    [`add server test/x6 ${A} guid g-x5`, 'New server registered.\n'],
  ]);
});
