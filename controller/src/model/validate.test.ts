import { expect } from 'chai';
import { canonicalIPv4, canonicalIPv6, hostProblem, pathProblem } from './validate.ts';

describe('model: address and name validation', () => {
  const v6: [string, string | undefined][] = [
    ['2001:db8::1', '2001:db8::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::ffff:10.0.0.1', '::ffff:a00:1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['1::2::3', undefined],
    ['fe80::1%eth0', undefined],
    ['12345::', undefined],
    ['10.0.0.1', undefined],
  ];
  for (const [input, want] of v6) {
    it(`canonicalises IPv6 ${input} to ${String(want)}`, () => {
      expect(canonicalIPv6(input)).to.equal(want);
    });
  }

  const v4: [string, string | undefined][] = [['10.0.0.1', '10.0.0.1'], ['010.0.0.1', undefined], ['256.0.0.1', undefined], ['1.2.3', undefined], ['1.2.3.4 ', undefined]];
  for (const [input, want] of v4) {
    it(`reads IPv4 ${JSON.stringify(input)} as ${String(want)}`, () => {
      expect(canonicalIPv4(input)).to.equal(want);
    });
  }

  it('accepts a wildcard host with one label and a 253-character host', () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect([hostProblem('*.example.com'), hostProblem(long)]).to.deep.equal([undefined, undefined]);
    expect(hostProblem(`${long}x`)).to.equal('host is longer than 253 characters');
  });

  it('accepts RFC 3986 path characters other than ;', () => {
    expect(pathProblem("/a-b_c.d~e%20f!$&'()*+,=:@/g")).to.equal(undefined);
  });
});
