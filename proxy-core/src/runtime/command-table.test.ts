import { expect } from 'chai';
import type { CommandSpec } from './command.ts';
import { CommandTable, levelAllows } from './command-table.ts';
import { RuntimeError } from './runtime-errors.ts';
import { usageMessage } from './usage.ts';

const spec = (words: string[], help = ''): CommandSpec => ({ words, help, level: 'user', run: () => '' });

describe('runtime command table', () => {
  it('picks the longest keyword match', () => {
    const t = new CommandTable([spec(['show', 'ssl']), spec(['show', 'ssl', 'cert']), spec(['show'])]);
    expect(t.find(['show', 'ssl', 'cert', 'x'])?.words).to.deep.equal(['show', 'ssl', 'cert']);
    expect(t.find(['show', 'ssl', 'crt-list'])?.words).to.deep.equal(['show', 'ssl']);
    expect(t.find(['shows'])).to.equal(undefined);
  });

  it('rejects two specs with the same keywords at start-up', () => {
    expect(() => new CommandTable([spec(['a']), spec(['a'])])).to.throw(RuntimeError, "two CommandSpecs for 'a'");
  });

  const levels: [string, string, boolean][] = [
    ['admin', 'operator', true],
    ['operator', 'admin', false],
    ['user', 'user', true],
    ['user', 'operator', false],
  ];
  for (const [have, need, ok] of levels) {
    it(`${ok ? 'lets' : 'refuses'} a ${have} session run a ${need} command`, () => {
      expect(levelAllows(have as 'admin', need as 'admin')).to.equal(ok);
    });
  }

  it('answers an empty command name with the full list', () => {
    const kws = [{ words: ['show', 'x'], help: 'show x : x' }];
    expect(usageMessage(kws, [''])).to.equal(
      "Unknown command: ''. Please enter one of the following commands only:\n  show x : x\n" +
        '  help [<command>]                        : list matching or all commands\n' +
        '  prompt [timed]                          : toggle interactive mode with prompt\n' +
        '  quit                                    : disconnect\n',
    );
  });
});
