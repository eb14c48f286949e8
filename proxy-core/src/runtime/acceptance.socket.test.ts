/**
 * The reference's acceptance cases (haproxy-runtime-api.md §5.1, 5.2, 5.3, 5.5, 5.8) replayed
 * over the real stats socket of a real config file, replies compared byte for byte with the
 * empty line the framing adds. Each case runs three ways: one connection per command
 * (non-interactive), all commands on one `;`-joined line, and one `prompt` connection.
 * Steps that need traffic (a GET answering 503/200) belong to the data plane and are omitted.
 */
import { expect } from 'chai';
import { assertModelInvariants } from '../model/invariants.ts';
import { exchange, PromptClient, tempDir } from './testing/cli-client.ts';
import { startHarness } from './testing/proxy-harness.ts';

const A = '127.0.0.1:28081';
type Step = readonly [send: string, expect: string];

const GLOBAL = 'global\n    stats socket @DIR@/admin.sock mode 600 level admin\n';

const cases: { name: string; config: string; steps: Step[] }[] = [
  {
    name: '§5.1 cli_add_server',
    config: `${GLOBAL}defaults\n    mode http\nfrontend fe\n    bind :18090\n    default_backend test\nbackend test\n    balance random\nbackend other\n    balance static-rr\nbackend other2\n    balance random\n    mode tcp\n`,
    steps: [
      [`add server foo/s1 ${A}`, 'No such backend.\n'],
      ['add server test/s1', "'server' expects <name> and <addr>[:<port>] as arguments.\n"],
      [`add server other/s1 ${A}`, "Backend does not support dynamic servers : backend 'other' uses a non dynamic load balancing method.\n"],
      [`add server other2/s1 ${A} proto h2`, 'MUX protocol is not usable for server.\n'],
      [`add server test/s1 ${A}`, 'New server registered.\n'],
      [`add server test/s1 ${A}`, 'Already exists a server with the same name in backend.\n'],
      [`add server test/s2 ${A} proto h2`, 'New server registered.\n'],
      ['enable server test/s1', ''],
    ],
  },
  {
    name: '§5.2 cli_delete_dynamic_server',
    config: `${GLOBAL}backend test\n    balance roundrobin\n    server s1 127.0.0.1:28080\n`,
    steps: [
      [`add server test/s2 ${A}`, 'New server registered.\n'],
      ['enable server test/s2', ''],
      ['del server foo/s1', 'No such backend.\n'],
      ['del server test/other', 'No such server.\n'],
      ['del server test/s2', 'Only servers in maintenance mode can be deleted.\n'],
      ['disable server test/s2', ''],
      ['del server test/s2', 'Server deleted.\n'],
    ],
  },
  {
    name: '§5.3 cli_delete_server (the steps without use-server, track and ACLs)',
    config: `${GLOBAL}backend test\n    server s4 127.0.0.1:4\n`,
    steps: [
      ['del server foo/s1', 'No such backend.\n'],
      ['del server test/other', 'No such server.\n'],
      ['del server test/s4', 'Only servers in maintenance mode can be deleted.\n'],
      ['disable server test/s4', ''],
      ['del server test/s4', 'Server deleted.\n'],
    ],
  },
  {
    name: '§5.5 cli_add_check_server (command replies)',
    config: `${GLOBAL}backend be1\n    option httpchk GET /\n`,
    steps: [
      [`add server be1/s1 ${A} check inter 200ms rise 1 fall 1`, 'New server registered.\n'],
      ['enable server be1/s1', ''],
      ['enable health be1/s1', ''],
      ['disable server be1/s1', ''],
      ['del server be1/s1', 'Server deleted.\n'],
      [`add server be1/s2 ${A}`, 'New server registered.\n'],
      ['enable health be1/s2', 'Health check was not configured on this server, cannot enable.\n'],
      ['enable agent be1/s2', 'Agent was not configured on this server, cannot enable.\n'],
    ],
  },
  {
    name: '§5.8 extra GUID cases',
    config:
      `${GLOBAL}frontend fe\n    guid guid-fe\n    bind :18091 guid-prefix guid-feS\nbackend test\n    guid guid-be\n    balance random\n` +
      '    server s1 127.0.0.1:28080 guid guid-srv\nlisten li\n    guid guid-li\nbackend tcpbe\n    mode tcp\n    balance roundrobin\nbackend rr\n    balance roundrobin\nbackend other\n    balance static-rr\n',
    steps: [
      [`add server test/d1 ${A} guid guid-srv`, "'guid': duplicate entry with server test/s1.\n"],
      [`add server test/d1 ${A} guid guid-be`, "'guid': duplicate entry with backend test.\n"],
      [`add server test/d1 ${A} guid guid-fe`, "'guid': duplicate entry with frontend fe.\n"],
      [`add server test/d1 ${A} guid guid-li`, "'guid': duplicate entry with proxy li.\n"],
      [`add server test/d1 ${A} guid guid-feS-0`, "'guid': duplicate entry with listener fe (@FILE@:5).\n"],
      [`add server test/d1 ${A} guid bad/guid`, "'guid': invalid character '/'.\n"],
      [`add server test/d1 ${A} guid bad+guid`, "'guid': invalid character '+'.\n"],
      [`add server test/d1 ${A} guid ${'a'.repeat(128)}`, "'guid': invalid length.\n"],
      [`add server test/d1 ${A} guid`, "'guid' : expects an argument.\n"],
      [`add server test/d1 ${A} guid ${'a'.repeat(127)}`, 'New server registered.\n'],
      [`add server test/d2 ${A} guid ${'a'.repeat(127)}`, "'guid': duplicate entry with server test/d1.\n"],
      [`add server test/d1 ${A} guid other`, 'Already exists a server with the same name in backend.\n'],
      [`add server test/d2 ${A} guid Gu.id:1_x-Y`, 'New server registered.\n'],
      [`add server test/d3 ${A} guid gu.id:1_x-y`, 'New server registered.\n'],
      [`add server tcpbe/x1 ${A} guid g-x1 proto h2`, 'MUX protocol is not usable for server.\n'],
      [`add server tcpbe/x1 ${A} guid g-x1`, 'New server registered.\n'],
      [`add server other/x ${A} guid g`, "Backend does not support dynamic servers : backend 'other' uses a non dynamic load balancing method.\n"],
      [`add server test/x3 ${A} guid g-x3 enabled`, "'enabled' option is not accepted for dynamic server\n"],
      [`add server test/x6 ${A} guid g-x6`, 'New server registered.\n'],
      ['del server test/x6', 'Server deleted.\n'],
      [`add server test/x6new ${A} guid g-x6`, 'New server registered.\n'],
      [`add server rr/c1 ${A} guid g-c1 check inter 100ms`, 'New server registered.\n'],
      ['enable server rr/c1', ''],
      ['enable health rr/c1', ''],
      ['set server rr/c1 state maint', ''],
      ['del server rr/c1', 'Server deleted.\n'],
      [`add server rr/c1 ${A} guid g-c1`, 'New server registered.\n'],
    ],
  },
];

describe('reference acceptance cases over the real socket', function () {
  this.timeout(30000);
  for (const c of cases) {
    for (const mode of ['one connection per command', 'one ;-joined line', 'one prompt connection', 'one ;-joined line, workers acking late'] as const) {
      it(`${c.name}: ${mode}`, async () => {
        const t = await tempDir('hawser-acc-');
        const h = await startHarness(t.dir, c.config, mode.includes('late') ? { workerDelayMs: 5 } : {});
        const sock = h.sockets[0] ?? '';
        const steps = c.steps.map(([send, want]) => [send, want.replace('@FILE@', `${t.dir}/h.cfg`)] as const);
        try {
          if (mode === 'one connection per command') {
            for (const [send, want] of steps) {
              expect(await exchange(sock, `${send}\n`), send).to.equal(`${want}\n`);
              assertModelInvariants(h.model);
            }
          } else if (mode.startsWith('one ;-joined line')) {
            const line = steps.map(([send]) => send).join(';');
            expect(await exchange(sock, `${line}\n`)).to.equal(steps.map(([, want]) => `${want}\n`).join(''));
          } else {
            const client = await PromptClient.open(sock);
            try {
              for (const [send, want] of steps) expect(await client.send(`${send}\n`), send).to.equal(want);
            } finally {
              client.close();
            }
          }
          assertModelInvariants(h.model);
        } finally {
          await h.stop();
          await t.cleanup();
        }
      });
    }
  }
});
