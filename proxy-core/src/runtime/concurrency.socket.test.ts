/**
 * 32 clients on the real socket interleave add/del/set/show with colliding names and GUIDs,
 * 10 000+ operations; every reply must be one HAProxy gives, and afterwards the GUID tree and
 * the model agree (model/invariants.ts), the route map and its records agree.
 */
import { expect } from 'chai';
import { checkModelInvariants } from '../model/invariants.ts';
import { escapeArg } from './tokenizer.ts';
import { PromptClient, tempDir } from './testing/cli-client.ts';
import { startHarness, type Harness } from './testing/proxy-harness.ts';

const CLIENTS = 32;
const OPS_PER_CLIENT = 320;

/** A small deterministic PRNG so a failure replays. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Op = { line: string; accept: (reply: string) => boolean };

const SERVER_STATE_HEADER = '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n';

function nextOp(rand: () => number): Op {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const be = pick(['be0', 'be1', 'be2', 'be3']);
  const srv = `s${Math.floor(rand() * 12)}`;
  const target = `${be}/${srv}`;
  const noServer = (r: string): boolean => r === 'No such server.\n';
  const r = rand();
  if (r < 0.3) {
    const guid = `g${Math.floor(rand() * 24)}`;
    return {
      line: `add server ${target} 127.0.0.1:${8000 + Math.floor(rand() * 100)} guid ${guid}`,
      accept: (x) => x === 'New server registered.\n' || x === 'Already exists a server with the same name in backend.\n' || /^'guid': duplicate entry with (server be\d\/s\d+|backend be\d)\.\n$/.test(x),
    };
  }
  if (r < 0.5) {
    return {
      line: `del server ${target}`,
      accept: (x) => x === 'Server deleted.\n' || noServer(x) || x === 'Only servers in maintenance mode can be deleted.\n',
    };
  }
  if (r < 0.6) return { line: `enable server ${target}`, accept: (x) => x === '' || noServer(x) };
  if (r < 0.7) return { line: `disable server ${target}`, accept: (x) => x === '' || noServer(x) };
  if (r < 0.78) return { line: `set server ${target} state ${pick(['ready', 'drain', 'maint'])}`, accept: (x) => x === '' || noServer(x) };
  if (r < 0.84) return { line: `set server ${target} weight ${Math.floor(rand() * 300)}`, accept: (x) => x === '' || noServer(x) || x === 'Absolute weight can only be between 0 and 256 inclusive.\n' };
  if (r < 0.9) return { line: `show servers state ${be}`, accept: (x) => x.startsWith(SERVER_STATE_HEADER) };
  if (r < 0.95) {
    const host = pick(['a.com', 'b.com', '*.c.com']);
    return { line: `add map ingress ${escapeArg(`prefix:${host}/`)} ${be}`, accept: (x) => x === '' };
  }
  return { line: `del map ingress ${escapeArg(`prefix:${pick(['a.com', 'b.com', '*.c.com'])}/`)}`, accept: (x) => x === '' || x === 'Key not found.\n' };
}

describe('runtime concurrency over the real socket', function () {
  this.timeout(120000);
  let h: Harness;
  let cleanup: () => Promise<void>;

  before(async () => {
    const t = await tempDir('hawser-conc-');
    cleanup = t.cleanup;
    h = await startHarness(
      t.dir,
      [
        'global',
        '    stats socket @DIR@/admin.sock mode 600 level admin',
        'defaults',
        '    mode http',
        'frontend fe',
        '    bind :18081',
        '    route-map ingress',
        '    default_backend be0',
        ...[0, 1, 2, 3].flatMap((i) => [`backend be${i}`, '    balance roundrobin', `    guid gbe${i}`]),
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await h.stop();
    await cleanup();
  });

  it(`keeps the model, the GUID tree and every reply right under ${CLIENTS} clients × ${OPS_PER_CLIENT} operations`, async () => {
    const sock = h.sockets[0] ?? '';
    const unexpected: string[] = [];
    const tally = new Map<string, number>();
    let ops = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const rand = prng(1000 + c);
        const client = await PromptClient.open(sock);
        try {
          for (let i = 0; i < OPS_PER_CLIENT; i++) {
            const op = nextOp(rand);
            const reply = await client.send(`${op.line}\n`);
            ops++;
            const kind = reply.startsWith("'guid': duplicate") ? 'guid duplicate' : reply.split('\n')[0] ?? '';
            tally.set(kind, (tally.get(kind) ?? 0) + 1);
            if (!op.accept(reply) && unexpected.length < 10) unexpected.push(`${op.line} -> ${JSON.stringify(reply)}`);
          }
        } finally {
          client.close();
        }
      }),
    );
    expect(ops).to.be.at.least(10_000);
    // the mix really collides: every outcome shows up many times
    for (const k of ['New server registered.', 'Server deleted.', 'Already exists a server with the same name in backend.', 'guid duplicate', 'No such server.', 'Only servers in maintenance mode can be deleted.']) {
      expect(tally.get(k) ?? 0, k).to.be.greaterThan(50);
    }
    expect(unexpected, 'replies HAProxy would not give').to.deep.equal([]);
    // let deleted servers be destroyed, then the tree and the model must agree exactly
    await new Promise((r) => setTimeout(r, 200));
    expect(checkModelInvariants(h.model)).to.deep.equal([]);
    expect(h.model.zombies.size).to.equal(0);
    let owners = 0;
    for (const p of h.model.proxies()) {
      if (p.guid !== null) owners++;
      for (const s of p.servers.values()) if (s.guid !== null) owners++;
    }
    expect(h.model.guids.count).to.equal(owners);
    const seen = new Set<string>();
    for (const p of h.model.proxies()) for (const s of p.servers.values()) if (s.guid !== null) {
      expect(seen.has(s.guid), `GUID ${s.guid} held twice`).to.equal(false);
      seen.add(s.guid);
    }
  });
});
