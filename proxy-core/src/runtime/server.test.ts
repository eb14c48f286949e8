import { expect } from 'chai';
import net from 'node:net';
import path from 'node:path';
import type { CommandSpec } from './command.ts';
import { builtinCommands } from './builtin-commands.ts';
import { TOO_BIG_LINE } from './framer.ts';
import { startRuntimeServer, type RuntimeServer } from './server.ts';
import { exchange, PromptClient, tempDir } from './testing/cli-client.ts';

/** A small table standing in for the rooms' commands: sync, async, mutating, payload-reading. */
function testCommands(log: string[]): CommandSpec[] {
  return [
    ...builtinCommands,
    { words: ['show', 'thing'], help: 'show thing                              : show the thing', level: 'user', run: () => 'thing\n' },
    {
      words: ['slow', 'echo'],
      help: 'slow echo <ms> <text>                   : answer after a delay',
      level: 'user',
      run: async (args) => {
        await new Promise((r) => setTimeout(r, Number(args[2])));
        return `${args[3] ?? ''}\n`;
      },
    },
    {
      words: ['set', 'thing'],
      help: 'set thing <v>                           : change the thing',
      level: 'admin',
      run: (args) => {
        log.push(args.slice(2).join('|'));
        return '';
      },
    },
    { words: ['show', 'payload'], help: 'show payload <<                         : echo a payload', level: 'user', run: (_a, ctx) => `[${ctx.payload ?? 'none'}]\n` },
    { words: ['boom'], help: 'boom                                    : throws', level: 'user', run: () => { throw new Error('boom'); } },
    ...(['pipe', 'serial'] as const).map((word) => ({
      words: [word],
      help: '',
      level: 'user' as const,
      pipelinable: word === 'pipe',
      run: (args: readonly string[]): Promise<string> => {
        log.push(`start ${args[1] ?? ''}`);
        return new Promise<string>((r) =>
          setTimeout(() => {
            log.push(`done ${args[1] ?? ''}`);
            r(`${args[1] ?? ''}\n`);
          }, Number(args[2])),
        );
      },
    })),
  ];
}

describe('runtime server over a UNIX socket', function () {
  this.timeout(20000);
  let server: RuntimeServer;
  let sock: string;
  let cleanup: () => Promise<void>;
  const log: string[] = [];

  before(async () => {
    const t = await tempDir('hawser-cli-');
    cleanup = t.cleanup;
    sock = path.join(t.dir, 'admin.sock');
    server = await startRuntimeServer({ path: sock, level: 'admin', mode: 0o600, commands: testCommands(log), limits: { bufsize: 1024, maxPayload: 4096 } });
  });
  after(async () => {
    await server.close();
    await cleanup();
  });

  describe('non-interactive mode', () => {
    const cases: { name: string; send: string; expect: string }[] = [
      { name: 'answers one command, then an empty line, then closes', send: 'show thing\n', expect: 'thing\n\n' },
      { name: 'answers a silent success with an empty line only', send: 'set thing 1\n', expect: '\n' },
      { name: 'runs every ;-separated command of the line, each reply followed by an empty line', send: 'echo a;echo b;show thing\n', expect: 'a\n\nb\n\nthing\n\n' },
      { name: 'closes after the first line and ignores the following lines', send: 'echo a\necho b\n', expect: 'a\n\n' },
      { name: 'answers an empty line with an empty line', send: '\n', expect: '\n' },
      { name: 'unescapes arguments', send: 'echo a\\ b\\;c d\\\\e\n', expect: 'a b;c d\\e\n\n' },
      { name: 'hands a payload to the command', send: 'show payload <<\nl1\nl2 x;y\n\n', expect: '[l1\nl2 x;y]\n\n' },
      { name: 'hands a custom-terminated payload to the command', send: 'show payload <<EOF\nl1\n\nl2\nEOF\n', expect: '[l1\n\nl2]\n\n' },
      { name: 'keeps replies in command order when a command is async', send: 'slow echo 50 first;echo second;slow echo 5 third\n', expect: 'first\n\nsecond\n\nthird\n\n' },
      { name: 'answers Internal error. when a command throws, and stays up', send: 'boom;echo after\n', expect: 'Internal error.\n\nafter\n\n' },
      { name: 'shows the level of the session', send: 'show cli level\n', expect: 'admin\n\n' },
      { name: 'closes at once on quit', send: 'echo a;quit;echo b\n', expect: 'a\n\n' },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        expect(await exchange(sock, c.send)).to.equal(c.expect);
      });
    }

    it('starts the next pipelinable command before the previous one is visible, replies in order', async () => {
      log.length = 0;
      expect(await exchange(sock, 'pipe a 60;pipe b 10;pipe c 30\n')).to.equal('a\n\nb\n\nc\n\n');
      expect(log.slice(0, 3)).to.deep.equal(['start a', 'start b', 'start c']);
    });

    it('runs commands that are not pipelinable strictly one after the other', async () => {
      log.length = 0;
      expect(await exchange(sock, 'serial a 30;serial b 5\n')).to.equal('a\n\nb\n\n');
      expect(log).to.deep.equal(['start a', 'done a', 'start b', 'done b']);
    });

    it('runs a mutating command only once even with a payload and escapes', async () => {
      log.length = 0;
      expect(await exchange(sock, 'set thing a\\ b c\n')).to.equal('\n');
      expect(log).to.deep.equal(['a b|c']);
    });
  });

  describe('levels', () => {
    it('lowers the level with operator and refuses admin commands afterwards', async () => {
      expect(await exchange(sock, 'operator;show cli level;set thing 1\n')).to.equal('\noperator\n\nPermission denied\n\n');
    });

    it('lowers the level with user and refuses to raise it again', async () => {
      expect(await exchange(sock, 'user;operator;show cli level\n')).to.equal('\nPermission denied\n\nuser\n\n');
    });

    it('serves a socket opened at operator level', async () => {
      const t = await tempDir('hawser-cli-op-');
      const opSock = path.join(t.dir, 'op.sock');
      const op = await startRuntimeServer({ path: opSock, commands: testCommands([]) });
      try {
        expect(await exchange(opSock, 'show cli level;set thing 1\n')).to.equal('operator\n\nPermission denied\n\n');
      } finally {
        await op.close();
        await t.cleanup();
      }
    });
  });

  describe('help and unknown commands', () => {
    it('lists every command sorted, then help, prompt and quit', async () => {
      const out = await exchange(sock, 'help\n');
      expect(out).to.equal(
        'The following commands are valid at this level:\n' +
          '  boom                                    : throws\n' +
          '  echo <text>                             : print text to the output\n' +
          '  operator                                : lower the level of the current CLI session to operator\n' +
          '  set thing <v>                           : change the thing\n' +
          '  show cli level                          : display the level of the current CLI session\n' +
          '  show payload <<                         : echo a payload\n' +
          '  show thing                              : show the thing\n' +
          '  slow echo <ms> <text>                   : answer after a delay\n' +
          '  user                                    : lower the level of the current CLI session to user\n' +
          '  help [<command>]                        : list matching or all commands\n' +
          '  prompt [timed]                          : toggle interactive mode with prompt\n' +
          '  quit                                    : disconnect\n\n',
      );
    });

    it('restricts help to the commands starting with the given words', async () => {
      const out = await exchange(sock, 'help show\n');
      expect(out.split('\n').filter((l) => l.startsWith('  show'))).to.have.length(3);
    });

    it('suggests the closest commands for a misspelled one', async () => {
      expect(await exchange(sock, 'show thnig\n')).to.equal(
        "Unknown command: 'show', but maybe one of the following ones is a better match:\n" +
          '  show payload <<                         : echo a payload\n' +
          '  show thing                              : show the thing\n' +
          '  help [<command>]                        : list matching or all commands\n' +
          '  prompt [timed]                          : toggle interactive mode with prompt\n' +
          '  quit                                    : disconnect\n\n',
      );
    });

    it('names the unknown first word', async () => {
      expect(await exchange(sock, 'frobnicate\n')).to.match(/^Unknown command: 'frobnicate', but maybe one of the following ones is a better match:\n/);
    });
  });

  describe('interactive mode', () => {
    it('answers prompt with a prompt and keeps the connection across lines', async () => {
      const c = await PromptClient.open(sock);
      try {
        expect(await c.send('show thing\n')).to.equal('thing\n');
        expect(await c.send('echo a;echo b\n', 2)).to.equal('a\nb\n');
        expect(await c.send('set thing 2\n')).to.equal('');
        expect(c.closed).to.equal(false);
      } finally {
        c.close();
      }
    });

    it('prints + while a payload is collected', async () => {
      const raw = await exchange(sock, 'prompt\nshow payload <<\nx\n\nquit\n');
      expect(raw).to.equal('\n> + + [x]\n\n> ');
    });

    it('leaves interactive mode on a second prompt and closes after that line', async () => {
      expect(await exchange(sock, 'prompt\nprompt\necho z\n')).to.equal('\n> \n');
    });

    it('shows the uptime in the prompt with prompt timed', async () => {
      const raw = await exchange(sock, 'prompt timed\nquit\n');
      expect(raw).to.match(/^\n\[0:00:00:\d\d\]> $/);
    });
  });

  describe('idle timeout', () => {
    it('closes a silent connection but never cuts a command that runs longer', async () => {
      const t = await tempDir('hawser-cli-idle-');
      const p = path.join(t.dir, 'idle.sock');
      const s = await startRuntimeServer({ path: p, level: 'admin', commands: testCommands([]), idleTimeoutMs: 150 });
      try {
        const started = Date.now();
        expect(await exchange(p, '')).to.equal('');
        expect(Date.now() - started).to.be.within(100, 2000);
        expect(await exchange(p, 'slow echo 400 late\n')).to.equal('late\n\n');
      } finally {
        await s.close();
        await t.cleanup();
      }
    });
  });

  describe('hostile input', () => {
    it('answers an overlong line with HAProxy text and closes', async () => {
      expect(await exchange(sock, `${'x'.repeat(5000)}\nshow thing\n`)).to.equal(TOO_BIG_LINE);
    });

    it('survives binary garbage and NUL bytes', async () => {
      const garbage = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + 11) % 256));
      const out = await exchange(sock, Buffer.concat([garbage, Buffer.from('\n')]), { halfClose: true });
      // the first garbage line is an unknown command (or an empty one), then the connection closes
      expect(out === '\n' || out.startsWith("Unknown command: '")).to.equal(true, JSON.stringify(out.slice(0, 80)));
      expect(await exchange(sock, 'show thing\n')).to.equal('thing\n\n');
    });

    it('truncates a line at its NUL byte', async () => {
      expect(await exchange(sock, Buffer.from('echo a\0 b\n'))).to.equal('a\n\n');
    });

    it('never runs a truncated payload', async () => {
      log.length = 0;
      expect(await exchange(sock, 'set thing x <<\nabc\n', { halfClose: true })).to.equal('');
      expect(log).to.deep.equal([]);
    });

    it('drops an unterminated command when the client half-closes', async () => {
      expect(await exchange(sock, 'set thing y', { halfClose: true })).to.equal('');
    });

    it('stays up when a client disconnects in the middle of an async command', async () => {
      const s = net.createConnection({ path: sock });
      await new Promise((r) => s.once('connect', r));
      s.write('slow echo 100 x\n');
      s.destroy();
      await new Promise((r) => setTimeout(r, 150));
      expect(await exchange(sock, 'show thing\n')).to.equal('thing\n\n');
    });

    it('answers 20 000 pipelined commands from a client that reads late, in order, with bounded buffers', async () => {
      const n = 20_000;
      const s = net.createConnection({ path: sock });
      await new Promise((r) => s.once('connect', r));
      s.pause();
      s.write('prompt\n');
      for (let i = 0; i < n; i++) s.write(`echo ${i}\n`);
      await new Promise((r) => setTimeout(r, 200));
      let got = '';
      s.on('data', (c: Buffer) => (got += c.toString()));
      s.resume();
      const expected = `\n> ${Array.from({ length: n }, (_, i) => `${i}\n\n> `).join('')}`;
      for (let i = 0; i < 200 && got.length < expected.length; i++) await new Promise((r) => setTimeout(r, 25));
      s.destroy();
      expect(got).to.equal(expected);
    });

    it('serves 1000 simultaneous connections and then the next client', async () => {
      const clients: net.Socket[] = [];
      for (let i = 0; i < 1000; i++) {
        const s = net.createConnection({ path: sock });
        s.on('error', () => undefined);
        clients.push(s);
      }
      await Promise.all(clients.map((s) => new Promise((r) => (s.readyState === 'open' ? r(null) : s.once('connect', r)))));
      // half of them send a partial line, the other half a full command
      const replies = await Promise.all(
        clients.map(
          (s, i) =>
            new Promise<string>((resolve) => {
              let got = '';
              s.on('data', (c: Buffer) => (got += c.toString()));
              s.on('close', () => resolve(got));
              if (i % 2 === 0) s.write('show thing\n');
              else {
                s.write('show th');
                setTimeout(() => s.destroy(), 50);
              }
            }),
        ),
      );
      expect(replies.filter((r) => r === 'thing\n\n')).to.have.length(500);
      expect(await exchange(sock, 'show thing\n')).to.equal('thing\n\n');
    });
  });
});
