import { expect } from 'chai';
import fc from 'fast-check';
import { escapeArg, formatPayload, formatWords } from './escape.ts';
import { tokenize } from './haproxy-tokenizer.ts';
import { certificateFingerprint } from './fingerprint.ts';
import { CERT_FINGERPRINT, CERT_PEM } from '../model/fixtures.ts';

const unsafe = (s: string): boolean => s.length === 0 || /[\n\r\0]/.test(s);

/** Strings rich in the characters that matter to the CLI. */
const hostile = fc.string({ unit: fc.constantFrom(' ', '\t', ';', '\\', '<', '#', '>', '\n', '\r', '\0', 'a', 'Z', '0', '/', '"', "'", 'é', '€') , maxLength: 40 });
const anyString = fc.oneof(hostile, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));

describe('runtime: CLI escaping makes injection impossible', () => {
  it('gives back the same arguments after HAProxy tokenizing, for any safe strings (property)', () => {
    fc.assert(fc.property(fc.array(anyString.filter((s) => !unsafe(s)), { minLength: 1, maxLength: 8 }), (args) => {
      expect(tokenize(`${formatWords(args)}\n`)).to.deep.equal([{ args }]);
    }), { numRuns: 3000 });
  });

  it('keeps ;-joined commands apart, for any safe strings (property)', () => {
    const command = fc.array(anyString.filter((s) => !unsafe(s)), { minLength: 1, maxLength: 5 });
    fc.assert(fc.property(fc.array(command, { minLength: 1, maxLength: 6 }), (commands) => {
      const text = `${commands.map((c) => formatWords(c)).join(';')}\n`;
      expect(tokenize(text)).to.deep.equal(commands.map((args) => ({ args })));
    }), { numRuns: 2000 });
  });

  it('refuses exactly the strings escaping cannot carry (property)', () => {
    fc.assert(fc.property(anyString, (s) => {
      if (unsafe(s)) expect(() => escapeArg(s)).to.throw().with.property('code', 'HWS_ERR_RUNTIME_UNSAFE_ARGUMENT');
      else expect(() => escapeArg(s)).to.not.throw();
    }), { numRuns: 3000 });
  });

  const pinned: { name: string; arg: string; text: string }[] = [
    { name: 'escapes a semicolon', arg: 'a;del server x/y', text: 'a\\;del\\ server\\ x/y' },
    { name: 'escapes spaces and tabs', arg: 'a b\tc', text: 'a\\ b\\\tc' },
    { name: 'escapes a backslash', arg: 'a\\b', text: 'a\\\\b' },
    { name: 'escapes < so no argument looks like a payload marker', arg: '<<', text: '\\<\\<' },
    { name: 'leaves # alone, which the CLI does not treat as a comment', arg: '#x', text: '#x' },
    { name: 'leaves GUID and map-key characters alone', arg: 'prefix:*.example.com/a-b_c.d', text: 'prefix:*.example.com/a-b_c.d' },
  ];
  for (const c of pinned) {
    it(c.name, () => {
      expect(escapeArg(c.arg)).to.equal(c.text);
    });
  }

  const refused: { name: string; arg: string }[] = [
    { name: 'refuses a newline', arg: 'a\nshow map' },
    { name: 'refuses a carriage return', arg: 'a\r' },
    { name: 'refuses a NUL', arg: 'a\0b' },
    { name: 'refuses an empty argument', arg: '' },
  ];
  for (const c of refused) {
    it(c.name, () => {
      expect(() => escapeArg(c.arg)).to.throw('runtime CLI').with.property('code', 'HWS_ERR_RUNTIME_UNSAFE_ARGUMENT');
    });
  }

  it('carries a 100 KB argument intact (the client refuses over-long lines separately)', () => {
    const big = 'x;'.repeat(50 * 1024);
    expect(tokenize(`${formatWords(['set', big])}\n`)).to.deep.equal([{ args: ['set', big] }]);
  });
});

describe('runtime: payloads', () => {
  it('sends a payload that the tokenizer reads back whole', () => {
    const text = `${formatWords(['set', 'ssl', 'cert', 'c:x'])} <<\n${formatPayload(CERT_PEM)}show map ingress\n`;
    expect(tokenize(text)).to.deep.equal([
      { args: ['set', 'ssl', 'cert', 'c:x'], payload: CERT_PEM.trimEnd() },
      { args: ['show', 'map', 'ingress'] },
    ]);
  });

  const refused: { name: string; payload: string }[] = [
    { name: 'refuses an empty line inside, which would end the payload early', payload: 'a\n\ndel server x/y\n' },
    { name: 'refuses a leading empty line', payload: '\nabc' },
    { name: 'refuses a carriage return', payload: 'a\r\nb' },
    { name: 'refuses a NUL', payload: 'a\0' },
    { name: 'refuses an empty payload', payload: '\n' },
  ];
  for (const c of refused) {
    it(c.name, () => {
      expect(() => formatPayload(c.payload)).to.throw().with.property('code', 'HWS_ERR_RUNTIME_UNSAFE_PAYLOAD');
    });
  }

  it('computes the fixture certificate\'s fingerprint as show ssl cert prints it', () => {
    expect(certificateFingerprint(CERT_PEM)).to.equal(CERT_FINGERPRINT);
  });
});
