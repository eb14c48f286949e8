import { expect } from 'chai';
import { CliFramer, TOO_BIG_LINE, TOO_BIG_PAYLOAD, type FrameEvent } from './framer.ts';

function frame(input: string | string[], limits = { bufsize: 64, maxPayload: 64 }): FrameEvent[] {
  const f = new CliFramer(limits);
  const chunks = typeof input === 'string' ? [input] : input;
  return chunks.flatMap((c) => f.push(Buffer.from(c)));
}

function commands(events: FrameEvent[]): { line: string; payload?: string; eol: boolean }[] {
  return events.flatMap((e) =>
    e.kind === 'command' ? [{ line: e.line, eol: e.endOfLine, ...(e.payload === undefined ? {} : { payload: e.payload }) }] : [],
  );
}

describe('runtime framer', () => {
  it('ends a command at a newline and marks the end of the line', () => {
    expect(commands(frame('show map\n'))).to.deep.equal([{ line: 'show map', eol: true }]);
  });

  it('splits a line at unescaped semicolons; only the last command ends the line', () => {
    expect(commands(frame('a;b c;d\n'))).to.deep.equal([
      { line: 'a', eol: false },
      { line: 'b c', eol: false },
      { line: 'd', eol: true },
    ]);
  });

  it('does not split at an escaped semicolon or an escaped newline', () => {
    expect(commands(frame('echo a\\;b\\\nc\n'))).to.deep.equal([{ line: 'echo a\\;b\\\nc', eol: true }]);
  });

  it('removes one trailing carriage return', () => {
    expect(commands(frame('help\r\n'))).to.deep.equal([{ line: 'help', eol: true }]);
  });

  it('waits for the rest of a command sent in pieces', () => {
    expect(commands(frame(['sh', 'ow m', 'ap\\', ';x;', '\n']))).to.deep.equal([
      { line: 'show map\\;x', eol: false },
      { line: '', eol: true },
    ]);
  });

  it('collects a payload until an empty line', () => {
    const ev = frame('add map m <<\nk1 v1\nk2 v2\n\n');
    expect(ev.map((e) => e.kind)).to.deep.equal(['continuation', 'continuation', 'continuation', 'command']);
    expect(commands(ev)).to.deep.equal([{ line: 'add map m <<', payload: 'k1 v1\nk2 v2', eol: true }]);
  });

  it('keeps semicolons, escapes and carriage returns inside a payload', () => {
    expect(commands(frame('add map m <<\na\\;b c;d\r\n\n'))[0]?.payload).to.equal('a\\;b c;d\r');
  });

  it('ends a custom payload at its pattern only', () => {
    expect(commands(frame('set ssl cert c <<END\nx\n\ny\nEND\n'))[0]?.payload).to.equal('x\n\ny');
  });

  it('gives an empty payload when the terminator comes first', () => {
    expect(commands(frame('add map m <<\n\n'))[0]?.payload).to.equal('');
  });

  it('never delivers a payload whose terminator did not arrive', () => {
    expect(commands(frame('add map m <<\nk v\n'))).to.deep.equal([]);
  });

  it('answers a command line longer than the buffer with HAProxy text, and then nothing', () => {
    const ev = frame('x'.repeat(100) + '\nhelp\n');
    expect(ev).to.deep.equal([{ kind: 'fatal', message: TOO_BIG_LINE }]);
  });

  it('accepts a line that exactly fits the buffer room', () => {
    expect(commands(frame('x'.repeat(62) + '\n'))).to.have.length(1);
    expect(frame('x'.repeat(63) + '\n')[0]?.kind).to.equal('fatal');
  });

  it('detects an overlong line even when it never ends', () => {
    expect(frame(['x'.repeat(40), 'x'.repeat(40)])).to.deep.equal([{ kind: 'fatal', message: TOO_BIG_LINE }]);
  });

  it('answers an oversized payload with HAProxy 3.4 text', () => {
    const ev = frame(['add map m <<\n', `${'k v\n'.repeat(20)}\n`]);
    expect(ev.at(-1)).to.deep.equal({ kind: 'fatal', message: TOO_BIG_PAYLOAD });
  });
});
