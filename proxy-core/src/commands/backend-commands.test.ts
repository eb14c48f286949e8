import { expect } from 'chai';
import { A, fixture } from './fixture.ts';
import { F, WorkerCounters } from '../stats/counters.ts';
import { replay } from './replay.ts';
import { STAT_HEADER } from './show-stat.ts';

/** Shaped like HAProxy's cli_add_backend.vtc and cli_del_backend.vtc. */
const cfg = `
defaults def
defaults def_http
    mode http
frontend fe
    bind :8080
    default_backend be_ref
listen li
    bind :8081
backend be_ref
backend be
    server s1 127.0.0.1:1 disabled
    guid g-be
`;

type Case = readonly [name: string, steps: readonly (readonly [string, string])[]];

const cases: readonly Case[] = [
  ['requires a mode when the defaults section has none (cli_add_backend)', [
    ['add backend nb from def', "Mode is required as 'def' default proxy does not explicitly define it.\n"],
    ['add backend nb from def mode tcp', 'New backend registered.\n'],
  ]],
  ['registers a backend, takes servers and publishes it', [
    ['add backend nb from def_http', 'New backend registered.\n'],
    [`add server nb/srv ${A}`, 'New server registered.\n'],
    ['enable server nb/srv', ''],
    ['publish backend nb', 'Backend published.\n'],
    ['unpublish backend nb', 'Backend unpublished.\n'],
  ]],
  ['prints the usage without from', [['add backend nb', 'Usage: add backend <name> from <defproxy>.\n'], ['add backend nb to def', 'Usage: add backend <name> from <defproxy>.\n']]],
  ['reports an unknown defaults section', [['add backend nb from unknown', "Cannot find default proxy 'unknown'.\n"]]],
  ['reports a name used by another proxy', [
    ['add backend be from def_http', "Error during backend creation : name is already used by other proxy 'backend be'.\n"],
    ['add backend fe from def_http', "Error during backend creation : name is already used by other proxy 'frontend fe'.\n"],
    ['add backend li from def_http', "Error during backend creation : name is already used by other proxy 'proxy li'.\n"],
  ]],
  ['reports GUID errors and reserves nothing', [
    ['add backend nb from def_http guid g-be', 'Error during backend creation : GUID insertion : duplicate entry with backend be.\n'],
    ['add backend nb from def_http guid a/b', "Error during backend creation : GUID insertion : invalid character '/'.\n"],
    ['add backend nb from def_http guid g-nb', 'New backend registered.\n'],
    ['add backend nb2 from def_http guid g-nb', 'Error during backend creation : GUID insertion : duplicate entry with backend nb.\n'],
  ]],
  ['frees the GUID of a deleted backend', [
    ['add backend nb from def_http guid g-nb', 'New backend registered.\n'],
    ['del backend nb', 'Backend deleted.\n'],
    ['add backend nb2 from def_http guid g-nb', 'New backend registered.\n'],
  ]],
  ['replays cli_del_backend', [
    ['del backend other', 'No such backend.\n'],
    ['del backend li', 'Cannot delete a listen section.\n'],
    ['del backend be_ref', 'This proxy cannot be removed at runtime due to other configuration elements pointing to it.\n'],
    ['del backend be', 'Backend must be unpublished prior to its deletion.\n'],
    ['unpublish backend be', 'Backend unpublished.\n'],
    ['del backend be', 'Only a backend without server can be deleted.\n'],
    ['del server be/s1', 'Server deleted.\n'],
    ['del backend be', 'Backend deleted.\n'],
    ['show backend', '# name\nli\nbe_ref\n'],
  ]],
  ['addresses a backend by guid:<GUID>', [
    ['show servers state guid:g-be', '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n4 be 1 s1 127.0.0.1 0 5 1 1 0 1 0 0 8 8 0 0 - 1 - 0 0 - - 0\n'],
    [`add server guid:g-be/s2 ${A}`, 'New server registered.\n'],
    ['unpublish backend guid:g-be', 'Backend unpublished.\n'],
    ['show servers state guid:nope', "Can't find backend.\n"],
  ]],
  ['lists backends with show backend', [['show backend', '# name\nli\nbe_ref\nbe\n']]],
  ['reports unknown backends to publish', [['publish backend nope', 'No such backend.\n'], ['unpublish backend nope', 'No such backend.\n']]],
];

describe('backend commands (§5.6 backend cases)', () => {
  for (const [name, steps] of cases) replay(name, cfg, steps);

  it('creates new backends unpublished, with the defaults\' settings', async () => {
    const fx = fixture(cfg);
    await fx.send('add backend nb from def_http');
    const be = fx.model.backend('nb');
    expect([be?.published, be?.settings.mode, be?.dynamic]).to.deep.equal([false, 'http', true]);
  });
});

describe('show stat', () => {
  it('prints HAProxy\'s header and one row per frontend, server and backend', async () => {
    const fx = fixture(cfg);
    await fx.send(`add server be_ref/d1 ${A}`);
    const out = await fx.send('show stat');
    const lines = out.split('\n');
    expect(lines[0]).to.equal(STAT_HEADER.trimEnd());
    expect(lines[0]?.startsWith('# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,')).to.equal(true);
    const rows = lines.slice(1, -1).map((l) => l.split(',').slice(0, 2).join(',') + ' ' + l.split(',')[17]);
    expect(rows).to.deep.equal([
      'fe,FRONTEND OPEN', 'li,FRONTEND OPEN', 'li,BACKEND DOWN', 'be_ref,d1 MAINT', 'be_ref,BACKEND DOWN', 'be,s1 MAINT', 'be,BACKEND DOWN',
    ]);
    expect(out.endsWith(',\n')).to.equal(true);
  });

  const statusCases: [string, string[], string][] = [
    ['shows a running server without check as no check', ['enable server be/s1'], 'no check'],
    ['shows a drained server as DRAIN', ['set server be/s1 state drain'], 'DRAIN'],
    ['shows a server forced down as DOWN', ['enable server be/s1', 'set server be/s1 health down'], 'DOWN'],
    ['shows a server in maintenance as MAINT', [], 'MAINT'],
  ];
  for (const [name, cmds, want] of statusCases) {
    it(name, async () => {
      const fx = fixture(cfg);
      for (const c of cmds) await fx.send(c);
      const row = (await fx.send('show stat be 4 -1')).split('\n')[1] ?? '';
      expect(row.split(',')[17]).to.equal(want);
    });
  }

  it('shows a checked server as UP and its backend as UP', async () => {
    const fx = fixture('backend b\n    server s 127.0.0.1:1 check rise 2 fall 3\n');
    await fx.send('set server b/s health up');
    const out = (await fx.send('show stat b 6 -1')).split('\n');
    expect(out[1]?.split(',')[17]).to.equal('UP');
    expect(out[2]?.split(',').slice(0, 2).concat(out[2]?.split(',')[17] ?? '')).to.deep.equal(['b', 'BACKEND', 'UP']);
  });

  it('filters by type and server id', async () => {
    const fx = fixture(cfg);
    expect((await fx.send('show stat be 2 -1')).split('\n').slice(1, -1).map((l) => l.split(',')[1])).to.deep.equal(['BACKEND']);
    expect(await fx.send('show stat nope 2 -1')).to.equal('No such proxy.\n');
  });
});

describe('show stat traffic columns', () => {
  it('sums the workers\' counters into the server, backend and frontend rows', async () => {
    const fx = fixture('frontend fe\n    mode http\n    bind :80\n    default_backend b\nbackend b\n    mode http\n    server s 127.0.0.1:1\n');
    const w = new WorkerCounters(fx.model.counters.init(), 0);
    const b = fx.model.backend('b');
    const s = b?.servers.get('s');
    const fe = fx.model.frontend('fe');
    if (b === undefined || s === undefined || fe === undefined) throw new Error('fixture');
    w.add(w.base(s.slot), F.REQ_TOTAL, 7);
    w.add(w.base(s.slot), F.RESP_2XX, 6);
    w.add(w.base(s.slot), F.RESP_5XX, 1);
    w.add(w.base(s.slot), F.BYTES_OUT, 1234);
    w.add(w.base(fe.feSlot), F.CONN_TOTAL, 3);
    const rows = (await fx.send('show stat')).split('\n').slice(1, -1).map((l) => l.split(','));
    const col = (name: string): number => STAT_HEADER.slice(2).split(',').indexOf(name);
    const pick = (r: string[] | undefined, names: string[]): string[] => names.map((n) => r?.[col(n)] ?? '?');
    expect(pick(rows[0], ['svname', 'stot'])).to.deep.equal(['FRONTEND', '3']);
    expect(pick(rows[1], ['svname', 'stot', 'bout', 'hrsp_2xx', 'hrsp_5xx'])).to.deep.equal(['s', '7', '1234', '6', '1']);
  });
});
