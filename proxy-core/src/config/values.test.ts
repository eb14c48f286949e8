import { expect } from 'chai';
import { tokenizeLine } from './line-tokenizer.ts';
import { parseAddress, parseDuration } from './values.ts';

describe('address parsing', () => {
  const cases: [string, string, boolean, ReturnType<typeof parseAddress>][] = [
    ['reads an IPv4 address and port', '127.0.0.1:80', false, { host: '127.0.0.1', port: 80, family: 4 }],
    ['reads a port alone as any address', ':8080', true, { host: '', port: 8080, family: 0 }],
    ['reads * as any address', '*:8080', true, { host: '', port: 8080, family: 0 }],
    ['reads a bracketed IPv6 address', '[::1]:443', true, { host: '::1', port: 443, family: 6 }],
    ['reads HAProxy\'s :::port form', ':::80', true, { host: '::', port: 80, family: 6 }],
    ['reads a host name without port for a server', 'backend.svc', false, { host: 'backend.svc', port: 0, family: 0 }],
    ['strips an ipv4@ prefix', 'ipv4@10.0.0.1:9', false, { host: '10.0.0.1', port: 9, family: 4 }],
    ['refuses a bind without port', '127.0.0.1', true, null],
    ['refuses port 0', '127.0.0.1:0', false, null],
    ['refuses port 65536', '127.0.0.1:65536', false, null],
    ['refuses a slash', 'a/b:80', false, null],
    ['refuses an unclosed bracket', '[::1:80', true, null],
  ];
  for (const [name, text, bind, want] of cases) it(name, () => expect(parseAddress(text, bind)).to.deep.equal(want));
});

describe('duration parsing', () => {
  const cases: [string, string, ReturnType<typeof parseDuration>][] = [
    ['defaults to milliseconds', '250', { ms: 250 }],
    ['reads seconds', '5s', { ms: 5000 }],
    ['reads minutes, hours and days', '2m', { ms: 120000 }],
    ['rounds microseconds up to a millisecond', '10us', { ms: 1 }],
    ['reports the first unexpected character', '10x', { error: "unexpected character 'x'" }],
    ['reports a value that is not a number', 'soon', { error: "unexpected character 's'" }],
    ['refuses a timer beyond 24.8 days', '30d', { error: 'timer overflow (the maximum is 2147483647 ms, about 24.8 days)' }],
  ];
  for (const [name, text, want] of cases) it(name, () => expect(parseDuration(text)).to.deep.equal(want));
});

describe('configuration line tokenizer', () => {
  const cases: [string, string, ReturnType<typeof tokenizeLine>][] = [
    ['splits on blanks and tabs', '  server\ts1  1.2.3.4:80 ', { words: ['server', 's1', '1.2.3.4:80'] }],
    ['drops a comment', 'mode http # the mode', { words: ['mode', 'http'] }],
    ['keeps # inside quotes', 'x "a#b"', { words: ['x', 'a#b'] }],
    ['keeps single quotes literal', "x 'a\\nb'", { words: ['x', 'a\\nb'] }],
    ['decodes escapes', 'x a\\ b \\x41', { words: ['x', 'a b', 'A'] }],
    ['keeps an empty quoted word', 'guid ""', { words: ['guid', ''] }],
    ['reports an unmatched quote', 'x "a', { error: 'unmatched quote' }],
    ['reports a bad hex escape', 'x \\xZZ', { error: 'truncated or invalid hexadecimal sequence at position 3' }],
  ];
  for (const [name, text, want] of cases) it(name, () => expect(tokenizeLine(text)).to.deep.equal(want));
});
