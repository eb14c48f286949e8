import { expect } from 'chai';
import { escapeArg, payloadPatternOf, tokenizeLine, unescapeWord } from './tokenizer.ts';

describe('runtime tokenizer', () => {
  const cases: { name: string; line: string; args: string[]; pattern?: string }[] = [
    { name: 'splits words on spaces and tabs', line: 'show  servers\tstate be', args: ['show', 'servers', 'state', 'be'] },
    { name: 'skips leading and trailing blanks', line: '  help  ', args: ['help'] },
    { name: 'keeps an escaped space inside a word', line: 'add map m a\\ b v', args: ['add', 'map', 'm', 'a b', 'v'] },
    { name: 'unescapes an escaped semicolon', line: 'echo a\\;b', args: ['echo', 'a;b'] },
    { name: 'turns a double backslash into one', line: 'echo a\\\\b', args: ['echo', 'a\\b'] },
    { name: 'drops a backslash before an ordinary character', line: 'echo a\\bc', args: ['echo', 'abc'] },
    { name: 'drops a trailing lone backslash', line: 'echo ab\\', args: ['echo', 'ab'] },
    { name: 'keeps an escaped tab inside a word', line: 'echo a\\\tb', args: ['echo', 'a\tb'] },
    { name: 'ignores everything after a NUL byte', line: 'show map\0 garbage', args: ['show', 'map'] },
    { name: 'returns no word for an empty line', line: '', args: [] },
    { name: 'leaves the payload marker out of the words', line: 'add map m <<', args: ['add', 'map', 'm'], pattern: '' },
    { name: 'leaves a custom payload marker out of the words', line: 'set ssl cert c <<EOF', args: ['set', 'ssl', 'cert', 'c'], pattern: 'EOF' },
    { name: 'keeps a << that is not the payload marker', line: 'echo << x', args: ['echo', '<<', 'x'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(tokenizeLine(c.line, c.pattern).args).to.deep.equal(c.args);
    });
  }

  it('reads at most 64 words, as HAProxy does', () => {
    const line = Array.from({ length: 70 }, (_, i) => `w${i}`).join(' ');
    expect(tokenizeLine(line).args).to.have.length(64);
  });

  const patterns: { line: string; expected: string | undefined }[] = [
    { line: 'add map m <<', expected: '' },
    { line: 'add map m\t<<END', expected: 'END' },
    { line: 'add map m <<1234567', expected: '1234567' },
    { line: 'add map m <<12345678', expected: undefined },
    { line: 'add map m k v', expected: undefined },
    { line: '<<', expected: '' },
  ];
  for (const p of patterns) {
    it(`finds the payload pattern of ${JSON.stringify(p.line)}`, () => {
      expect(payloadPatternOf(p.line)).to.equal(p.expected);
    });
  }

  it('escapeArg is undone by tokenizeLine for awkward words', () => {
    for (const w of ['a b', 'a;b', 'a\\b', 'a\tb', '\\', ';;', 'plain']) {
      expect(tokenizeLine(`echo ${escapeArg(w)}`).args).to.deep.equal(['echo', w]);
      expect(unescapeWord(escapeArg(w))).to.equal(w);
    }
  });
});
