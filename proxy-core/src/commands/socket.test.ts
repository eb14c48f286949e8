/**
 * The model's commands over a real stats socket started by `start()` from a real config file:
 * HAProxy's framing adds one empty line after each reply in non-interactive mode.
 */
import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, start } from '../main.ts';
import type { Running } from '../main.ts';
import { silentLogger } from '../log.ts';
import { assertModelInvariants } from '../model/invariants.ts';
import { exchange, PromptClient, tempDir } from '../runtime/testing/cli-client.ts';

const A = '127.0.0.1:28081';

describe('model commands over the stats socket', function () {
  this.timeout(10000);
  let running: Running | undefined;
  let sock = '';
  let userSock = '';
  let cleanup: () => Promise<void> = async () => undefined;

  before(async () => {
    const t = await tempDir('hawser-model-sock-');
    cleanup = t.cleanup;
    sock = join(t.dir, 'admin.sock');
    userSock = join(t.dir, 'user.sock');
    const file = join(t.dir, 'h.cfg');
    await writeFile(file, [
      'global',
      `    stats socket ${sock} mode 600 level admin`,
      `    stats socket ${userSock} level user`,
      'defaults',
      '    mode http',
      'frontend fe',
      '    guid guid-fe',
      '    bind :18080 guid-prefix guid-feS',
      '    default_backend test',
      'backend test',
      '    guid guid-be',
      '    balance random',
      '    server s1 127.0.0.1:28080 guid guid-srv',
      'backend other',
      '    balance static-rr',
      '',
    ].join('\n'));
    const cfg = await loadConfig(file, { out: () => undefined, err: () => undefined });
    if (cfg === null) throw new Error('config rejected');
    running = await start(cfg, silentLogger());
  });

  after(async () => {
    await running?.stop();
    await cleanup();
  });

  const cases: [string, string, string][] = [
    ['answers add server with its reply and the framing\'s empty line', `add server test/d1 ${A}\n`, 'New server registered.\n\n'],
    ['answers a silent command with the empty line only', 'enable server test/d1\n', '\n'],
    ['runs ;-separated commands in order', `add server test/d2 ${A} guid g-d2; get weight guid:g-d2; del server test/d2\n`,
      'New server registered.\n\n1 (initial 1)\n\nServer deleted.\n\n'],
    ['reports GUID duplicates byte for byte', `add server test/x ${A} guid guid-feS-0\n`, "'guid': duplicate entry with listener fe (" + '$FILE' + ':8).\n\n'],
    ['rejects a static algorithm', `add server other/x ${A}\n`, "Backend does not support dynamic servers : backend 'other' uses a non dynamic load balancing method.\n\n"],
    ['unescapes arguments before the command sees them', 'add server test/e\\ 1 127.0.0.1:1\n', "character ' ' is not permitted in server name 'e 1'.\n\n"],
  ];
  for (const [name, input, want] of cases) {
    it(name, async () => {
      const file = join(sock, '..', 'h.cfg');
      expect(await exchange(sock, input, { halfClose: true })).to.equal(want.replace('$FILE', file));
      if (running !== undefined) assertModelInvariants(running.model);
    });
  }

  it('refuses mutating commands below admin and lets reads through', async () => {
    expect(await exchange(userSock, `add server test/u ${A}\n`, { halfClose: true })).to.equal('Permission denied\n\n');
    expect(await exchange(userSock, 'get weight test/s1\n', { halfClose: true })).to.equal('1 (initial 1)\n\n');
  });

  it('serves show servers state in prompt mode', async () => {
    const c = await PromptClient.open(sock);
    try {
      const out = await c.send('show servers state test\n');
      expect(out).to.contain('\n2 test 1 s1 127.0.0.1 2 0 1 1 ');
    } finally {
      c.close();
    }
  });
});

describe('stats timeout from the config file', function () {
  this.timeout(10000);

  it('closes an idle runtime connection after the configured delay, not the 10 s default', async () => {
    const t = await tempDir('hawser-stats-timeout-');
    const sock = join(t.dir, 'admin.sock');
    const file = join(t.dir, 'h.cfg');
    await writeFile(file, ['global', `    stats socket ${sock} level admin`, '    stats timeout 200ms', ''].join('\n'));
    const cfg = await loadConfig(file, { out: () => undefined, err: () => undefined });
    if (cfg === null) throw new Error('config rejected');
    const running = await start(cfg, silentLogger());
    try {
      const started = Date.now();
      // a client that sends nothing: the server closes it once `stats timeout` has passed
      expect(await exchange(sock, '', { timeoutMs: 5000 })).to.equal('');
      expect(Date.now() - started).to.be.within(150, 4000);
    } finally {
      await running.stop();
      await t.cleanup();
    }
  });
});
